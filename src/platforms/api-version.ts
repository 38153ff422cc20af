import { datedVersion, removalsBetween, type VersionRemovals } from '../catalog/api-versions.js';
import type { ModelEntry, Platform } from '../catalog/types.js';
import { descriptorOf } from './descriptors.js';
import type { MessagesCall, ResolvedTarget } from './types.js';

/**
 * The API versions a model takes on a platform: its catalog row's own list
 * (`apiVersions.<platform>`: Bedrock's legacy models refuse 2026-10-21), else
 * the platform's. The first is the one written for a client whose version is
 * not taken.
 */
export function acceptedApiVersions(platform: Platform, model?: ModelEntry): readonly string[] {
  return model?.apiVersions?.[platform] ?? descriptorOf(platform).apiVersions.accepted;
}

/**
 * The `anthropic_version` (body) or `anthropic-version` (header) to send to a
 * platform: the client's own when the platform (and model) takes it, else the
 * first it takes (`bedrock-2023-05-31` on Bedrock, `vertex-2023-10-16` on
 * Vertex, `2023-06-01` first-party). A Bedrock client's version reaching
 * Vertex is replaced, since Vertex rejects it.
 *
 * @example
 * apiVersionFor('vertex', 'bedrock-2023-05-31') // 'vertex-2023-10-16'
 * apiVersionFor('bedrock', '2026-10-21')        // '2026-10-21'
 */
export function apiVersionFor(
  platform: Platform,
  clientVersion: string | undefined,
  model?: ModelEntry,
): string {
  const accepted = acceptedApiVersions(platform, model);
  if (clientVersion && accepted.includes(clientVersion)) return clientVersion;
  return accepted[0] ?? clientVersion ?? '2023-06-01';
}

/**
 * The call as the target takes it: sent with a version the platform and model
 * accept. When that version is of another generation than the client's, the
 * change is reported (`anthropic-version:2026-10-21->bedrock-2023-05-31`);
 * when it is a later one, what the later version removed is dropped from a
 * copy of the body and each drop is reported (`dropped:temperature`,
 * `dropped:assistant-document`, `dropped:user-citations`), so nothing the
 * client sent is lost without saying so.
 */
export function negotiateApiVersion(
  call: MessagesCall,
  target: ResolvedTarget,
): { call: MessagesCall; changes: string[] } {
  const client = call.anthropicVersion ?? '2023-06-01';
  const chosen = apiVersionFor(target.platform, call.anthropicVersion, target.resolved.model);
  if (chosen === call.anthropicVersion || datedVersion(chosen) === datedVersion(client)) {
    return { call, changes: [] };
  }
  const changes = [`anthropic-version:${client}->${chosen}`];
  const removals = removalsBetween(client, chosen);
  if (removals.length === 0) return { call: { ...call, anthropicVersion: chosen }, changes };
  const body = { ...call.body };
  for (const removed of removals) changes.push(...applyRemovals(body, removed));
  const edited: MessagesCall = { ...call, body, anthropicVersion: chosen };
  // The client's bytes no longer say what is sent.
  if (changes.length > 1) delete edited.rawBody;
  return { call: edited, changes };
}

type Block = Record<string, unknown>;

function isBlock(value: unknown): value is Block {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Drops what one version removed from a shallow copy of the body (messages copied where edited). */
function applyRemovals(body: Record<string, unknown>, removed: VersionRemovals): string[] {
  const changes: string[] = [];
  for (const field of removed.fields) {
    if (field in body) {
      delete body[field];
      changes.push(`dropped:${field}`);
    }
  }
  const messages = body['messages'];
  if (!Array.isArray(messages)) return changes;
  const dropped = new Set<string>();
  body['messages'] = messages.map((message: unknown) => {
    if (!isBlock(message) || !Array.isArray(message['content'])) return message;
    const role = String(message['role']);
    const refused = new Set(removed.blocks.filter((rule) => rule.role === role).map((rule) => rule.type));
    const stripCitations = removed.citationsOn.includes(role);
    if (refused.size === 0 && !stripCitations) return message;
    let changed = false;
    const content: unknown[] = [];
    for (const block of message['content'] as unknown[]) {
      if (isBlock(block) && refused.has(String(block['type']))) {
        dropped.add(`dropped:${role}-${String(block['type'])}`);
        changed = true;
        continue;
      }
      const kept = stripCitations ? withoutCitations(block) : block;
      if (kept !== block) {
        dropped.add(`dropped:${role}-citations`);
        changed = true;
      }
      content.push(kept);
    }
    return changed ? { ...message, content } : message;
  });
  changes.push(...dropped);
  return changes;
}

/** A `text` block without non-empty `citations` (also inside a `search_result`'s content); the block itself when it has none. */
function withoutCitations(block: unknown): unknown {
  if (!isBlock(block)) return block;
  if (block['type'] === 'text' && Array.isArray(block['citations']) && block['citations'].length > 0) {
    const { citations: _citations, ...rest } = block;
    return rest;
  }
  if (block['type'] === 'search_result' && Array.isArray(block['content'])) {
    const inner = block['content'] as unknown[];
    const stripped = inner.map(withoutCitations);
    return stripped.some((item, index) => item !== inner[index]) ? { ...block, content: stripped } : block;
  }
  return block;
}
