import type { Platform } from '../../catalog/types.js';
import { GatewayError } from '../../wire/errors/index.js';
import { descriptorOf } from '../descriptors.js';
import type { MessagesCall } from '../types.js';

/**
 * The JSON text of an upstream body, or REQUEST_TOO_LARGE (413) when it is
 * larger than the platform takes, so the client hears it before anything is sent.
 *
 * @example
 * serializeBody('vertex', { messages: [] }); // '{"messages":[]}'
 */
export function serializeBody(platform: Platform, body: Record<string, unknown>): string {
  const text = JSON.stringify(body);
  const limit = descriptorOf(platform).maxBodyBytes;
  // A UTF-16 unit takes at most 3 UTF-8 bytes, so a text of at most limit/3 units needs no exact count.
  if (text.length * 3 > limit && Buffer.byteLength(text, 'utf8') > limit) {
    throw GatewayError.fromCode('REQUEST_TOO_LARGE', { limit: String(limit) }, { platform });
  }
  return text;
}

/**
 * The client's own bytes, when the first-party body would be exactly what it
 * sent: the same model id, no other dialect's `anthropic_version` or
 * `anthropic_beta` to remove, and `stream` already as the call wants it.
 * Forwarding them skips a parse-serialize round trip on the hot path. Undefined
 * when something must change (or the bytes are not known).
 */
export function unchangedRawBody(
  call: MessagesCall,
  operation: 'messages' | 'count-tokens',
  modelId: string,
): Uint8Array | undefined {
  const raw = call.rawBody;
  if (!raw || operation !== 'messages') return undefined;
  if (raw.byteLength > descriptorOf('foundry').maxBodyBytes) return undefined; // too large: serializeBody says so
  const body = call.body;
  if (body['model'] !== modelId || 'anthropic_version' in body || 'anthropic_beta' in body) return undefined;
  if (call.stream ? body['stream'] !== true : body['stream'] === true) return undefined;
  return raw;
}
