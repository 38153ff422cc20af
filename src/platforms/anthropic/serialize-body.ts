import { MAX_BODY_BYTES } from '../../catalog/platforms.js';
import type { Platform } from '../../catalog/types.js';
import { GatewayError } from '../../wire/errors/index.js';

/**
 * The JSON text of an upstream body, or REQUEST_TOO_LARGE (413) when it is
 * larger than the platform takes, so the client hears it before anything is sent.
 *
 * @example
 * serializeBody('vertex', { messages: [] }); // '{"messages":[]}'
 */
export function serializeBody(platform: Platform, body: Record<string, unknown>): string {
  const text = JSON.stringify(body);
  const limit = MAX_BODY_BYTES[platform];
  // A UTF-16 unit takes at most 3 UTF-8 bytes, so a text of at most limit/3 units needs no exact count.
  if (text.length * 3 > limit && Buffer.byteLength(text, 'utf8') > limit) {
    throw GatewayError.fromCode('REQUEST_TOO_LARGE', { limit: String(limit) }, { platform });
  }
  return text;
}
