import { GatewayError } from '../../wire/errors/gateway-error.js';
import { MIN_SPLICE_BYTES, spliceJsonObject } from '../../wire/json-splice.js';
import type { MessagesCall } from '../types.js';
import { bedrockDescriptor } from './descriptor.js';

/**
 * Serializes an InvokeModel body and checks it against Bedrock's limit of
 * 25,000,000 bytes; above it, throws a REQUEST_TOO_LARGE GatewayError that
 * names the limit instead of letting Bedrock answer a bare ValidationException.
 *
 * @example
 * const text = serializeBedrockBody({ max_tokens: 5, messages }); // '{"max_tokens":5,…}'
 */
export function serializeBedrockBody(body: Record<string, unknown>): string {
  const text = JSON.stringify(body);
  // A string never takes more than 3 bytes per UTF-16 unit: measure only when it might be over.
  if (text.length * 3 > bedrockDescriptor.maxBodyBytes) checkBedrockBodySize(Buffer.byteLength(text, 'utf8'));
  return text;
}

/**
 * The InvokeModel body's bytes, as {@link serializeBedrockBody} with the same
 * limit, but spliced from the client's own bytes when the call carries them (from 2 KB on):
 * the values `body` kept from `call.body` are copied as sent and only the
 * edited ones serialized (see `spliceJsonObject`). A 100 KB body then costs
 * no `JSON.stringify` and no UTF-8 encoding for the signature and the socket.
 *
 * @example
 * bedrockBodyBytes(call, bedrockRequestBody(call).body); // Buffer '{"max_tokens":5,…,"anthropic_version":"bedrock-2023-05-31"}'
 */
export function bedrockBodyBytes(call: MessagesCall, body: Record<string, unknown>): string | Uint8Array {
  const raw = call.rawBody;
  const spliced =
    raw && raw.byteLength >= MIN_SPLICE_BYTES ? spliceJsonObject(raw, call.body, body) : undefined;
  if (!spliced) return serializeBedrockBody(body);
  checkBedrockBodySize(spliced.byteLength);
  return spliced;
}

function checkBedrockBodySize(bytes: number): void {
  const limit = bedrockDescriptor.maxBodyBytes;
  if (bytes <= limit) return;
  throw new GatewayError({
    code: 'REQUEST_TOO_LARGE',
    status: 413,
    type: 'request_too_large',
    platform: 'gateway',
    message:
      `The request body is ${bytes.toLocaleString('en-US')} bytes once prepared for Amazon Bedrock, ` +
      `over Bedrock's limit of ${limit.toLocaleString('en-US')} bytes per request. ` +
      'Send fewer or smaller images and documents, or route the request to a platform with a larger limit.',
  });
}
