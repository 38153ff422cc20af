import { ANTHROPIC_VERSIONS } from '../catalog/platforms.js';
import type { Platform } from '../catalog/types.js';

/**
 * The `anthropic_version` (body) or `anthropic-version` (header) to send to a
 * platform: the client's own when the platform takes it, else the platform's
 * (`bedrock-2023-05-31` on Bedrock, `vertex-2023-10-16` on Vertex,
 * `2023-06-01` first-party). A Bedrock client's version reaching Vertex is
 * replaced, since Vertex rejects it.
 *
 * @example
 * apiVersionFor('vertex', 'bedrock-2023-05-31') // 'vertex-2023-10-16'
 * apiVersionFor('bedrock', '2026-10-21')        // '2026-10-21'
 */
export function apiVersionFor(platform: Platform, clientVersion: string | undefined): string {
  const accepted = ANTHROPIC_VERSIONS[platform];
  if (clientVersion && accepted.includes(clientVersion)) return clientVersion;
  return accepted[0] ?? clientVersion ?? '2023-06-01';
}
