import { GatewayError } from '../../wire/errors/index.js';
import { MIN_SPLICE_BYTES, spliceJsonObject } from '../../wire/json-splice.js';
import { serializeBody } from '../anthropic/serialize-body.js';
import type { MessagesCall } from '../types.js';
import { vertexDescriptor } from './descriptor.js';

/**
 * The rawPredict body's bytes, as `serializeBody('vertex', body)` with the same
 * limit, but spliced from the client's own bytes when the call carries them (from 2 KB on):
 * the values `body` kept from `call.body` are copied as sent and only the
 * edited ones (`model`, `stream`, `anthropic_version`) serialized (see
 * `spliceJsonObject`). A 100 KB body then costs no `JSON.stringify` and no
 * UTF-8 encoding on the way to the socket.
 *
 * @example
 * vertexBodyBytes(call, vertexRequestBody(call, 'messages', modelId)); // Buffer '{"max_tokens":5,…,"anthropic_version":"vertex-2023-10-16"}'
 */
export function vertexBodyBytes(call: MessagesCall, body: Record<string, unknown>): string | Uint8Array {
  const raw = call.rawBody;
  const spliced =
    raw && raw.byteLength >= MIN_SPLICE_BYTES ? spliceJsonObject(raw, call.body, body) : undefined;
  if (!spliced) return serializeBody('vertex', body);
  const limit = vertexDescriptor.maxBodyBytes;
  if (spliced.byteLength > limit) {
    throw GatewayError.fromCode('REQUEST_TOO_LARGE', { limit: String(limit) }, { platform: 'vertex' });
  }
  return spliced;
}
