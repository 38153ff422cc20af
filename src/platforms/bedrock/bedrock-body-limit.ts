import { GatewayError } from '../../wire/errors/gateway-error.js';
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
  const limit = bedrockDescriptor.maxBodyBytes;
  // A string never takes more than 3 bytes per UTF-16 unit: measure only when it might be over.
  if (text.length * 3 > limit) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > limit) {
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
  }
  return text;
}
