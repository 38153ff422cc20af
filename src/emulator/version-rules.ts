import { API_VERSIONS, datedVersion, removalsBetween } from '../catalog/api-versions.js';
import type { ModelEntry, Platform } from '../catalog/types.js';
import { acceptedApiVersions } from '../platforms/api-version.js';

/**
 * Why a platform refuses a request's API version or what the version removed,
 * or undefined when it takes it. The version lists are the catalog's and the
 * descriptors' (`acceptedApiVersions`), so the emulator and the gateway read
 * one rule. The wording is the emulator's; the status (400) is the platforms'.
 *
 * @example
 * versionProblem('anthropic', '2026-10-21', model, { temperature: 1 }) // 'temperature: Extra inputs are not permitted …'
 */
export function versionProblem(
  platform: Platform,
  version: string,
  model: ModelEntry | undefined,
  body: Record<string, unknown>,
): string | undefined {
  const accepted = acceptedApiVersions(platform, model);
  if (model && !accepted.includes(version) && API_VERSIONS[version]) {
    return (
      `anthropic-version ${version} is not supported for ${model.displayName} on this platform; ` +
      `it takes ${accepted.join(' or ')}.`
    );
  }
  for (const removed of removalsBetween('2023-06-01', datedVersion(version))) {
    const field = removed.fields.find((name) => name in body);
    if (field) return `${field}: Extra inputs are not permitted (removed in API version ${version})`;
    const messages = Array.isArray(body['messages']) ? (body['messages'] as unknown[]) : [];
    for (const [index, message] of messages.entries()) {
      if (typeof message !== 'object' || message === null) continue;
      const { role, content } = message as { role?: unknown; content?: unknown };
      if (!Array.isArray(content)) continue;
      for (const block of content as { type?: unknown; citations?: unknown; content?: unknown }[]) {
        if (removed.blocks.some((rule) => rule.role === role && rule.type === block?.type)) {
          return `messages.${index}: a ${String(block.type)} block is not permitted in an ${String(role)} message (API version ${version})`;
        }
        if (typeof role === 'string' && removed.citationsOn.includes(role) && hasCitations(block)) {
          return `messages.${index}: text blocks in a ${role} message may not carry citations (API version ${version})`;
        }
      }
    }
  }
  return undefined;
}

function hasCitations(
  block: { type?: unknown; citations?: unknown; content?: unknown } | undefined,
): boolean {
  if (!block) return false;
  if (block.type === 'text') return Array.isArray(block.citations) && block.citations.length > 0;
  if (block.type === 'search_result' && Array.isArray(block.content)) {
    return (block.content as { type?: unknown; citations?: unknown }[]).some(hasCitations);
  }
  return false;
}
