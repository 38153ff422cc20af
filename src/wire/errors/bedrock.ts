/**
 * The Bedrock runtime's error dialect: the exception name in the
 * `x-amzn-errortype` header (`<Name>:<namespace>`), `{"message":"…"}` as the
 * body, `x-amzn-requestid`; once a response stream has started, an event
 * stream frame whose `:exception-type` is the camelCase name and whose
 * payload is `{"message":"…"}`.
 */

import { z } from 'zod';
import type { RenderErrorOptions } from './anthropic.js';
import {
  BEDROCK_EXCEPTIONS,
  BEDROCK_SERVICE_NAMESPACE,
  type BedrockStreamExceptionType,
  bedrockNameForStreamException,
  isBedrockExceptionName,
  sanitizeBedrockErrorCode,
} from './bedrock-exceptions.js';
import { messageText, parseJsonSafely, textAsMessage } from './body-text.js';
import { GatewayError } from './gateway-error.js';
import { type HeaderSource, readHeader } from './headers.js';
import { errorMappingFor } from './mapping.js';
import { errorDialectOf } from './platform-names.js';
import { formatRetryAfter, parseRetryAfterSeconds } from './retry-after.js';
import type { RenderedError } from './types.js';
import { upstreamErrorAnswer } from './upstream-answer.js';

const bedrockErrorBodySchema = z.object({
  message: z.unknown().optional(),
  Message: z.unknown().optional(),
  code: z.union([z.string(), z.number()]).nullish(),
  __type: z.string().nullish(),
});

/**
 * The exception a Bedrock client is answered with: Bedrock's own name when
 * Bedrock produced the error (kept even if this package does not know it),
 * otherwise the mapping table's name for the error's type.
 *
 * @example
 * bedrockExceptionNameFor(GatewayError.fromCode('MISSING_API_KEY')); // 'UnrecognizedClientException'
 */
export function bedrockExceptionNameFor(error: GatewayError): string {
  if (errorDialectOf(error.platform) === 'bedrock' && error.upstreamCode) return error.upstreamCode;
  return errorMappingFor(error.type, error.status).bedrock;
}

function bedrockStatusFor(error: GatewayError, name: string): number {
  if (errorDialectOf(error.platform) === 'bedrock' && error.upstreamCode === name) return error.status;
  return isBedrockExceptionName(name) ? BEDROCK_EXCEPTIONS[name].status : error.status;
}

/**
 * The error as the Bedrock runtime would answer it; the AWS SDK reads the
 * exception class from `x-amzn-errortype` and the message from the body.
 *
 * @example
 * const rendered = renderBedrockError(GatewayError.fromAnthropic({ status: 529, type: 'overloaded_error', message: 'Overloaded' }));
 * rendered.status; // 503
 * rendered.headers['x-amzn-errortype']; // 'ServiceUnavailableException:http://internal.amazon.com/coral/com.amazon.bedrock/'
 */
export function renderBedrockError(error: GatewayError, options: RenderErrorOptions = {}): RenderedError {
  const name = bedrockExceptionNameFor(error);
  const namespace = isBedrockExceptionName(name)
    ? BEDROCK_EXCEPTIONS[name].namespace
    : BEDROCK_SERVICE_NAMESPACE;
  const requestId = options.requestId ?? error.requestId;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-amzn-errortype': `${name}:${namespace}`,
  };
  if (requestId !== undefined) headers['x-amzn-requestid'] = requestId;
  if (error.retryAfterSeconds !== undefined)
    headers['retry-after'] = formatRetryAfter(error.retryAfterSeconds);
  return { status: bedrockStatusFor(error, name), headers, body: JSON.stringify({ message: error.message }) };
}

/**
 * A Bedrock error response read back into a GatewayError. The name comes
 * from where the AWS SDK looks, in its order: the `x-amzn-errortype` header,
 * then the body's `code`, then its `__type`; the message from `message` or
 * `Message`, or the text itself when the body is not JSON.
 *
 * @example
 * const error = parseBedrockError(response.status, response.headers, await response.text());
 */
export function parseBedrockError(
  status: number,
  headers: HeaderSource | undefined,
  bodyText: string,
): GatewayError {
  const json = parseJsonSafely(bodyText);
  const parsed = bedrockErrorBodySchema.safeParse(json);
  const fields = parsed.success ? parsed.data : undefined;
  const rawName = readHeader(headers, 'x-amzn-errortype') ?? fields?.code ?? fields?.__type ?? undefined;
  const name = rawName === undefined ? undefined : sanitizeBedrockErrorCode(String(rawName)) || undefined;
  const message = fields
    ? (messageText(fields.message) ?? messageText(fields.Message))
    : textAsMessage(bodyText);
  const error = GatewayError.fromBedrock({
    name,
    status,
    message,
    requestId: readHeader(headers, 'x-amzn-requestid') ?? readHeader(headers, 'x-amz-request-id'),
    retryAfterSeconds: parseRetryAfterSeconds(headers),
  });
  error.cause ??= upstreamErrorAnswer('bedrock', status, headers, bodyText, error.message);
  return error;
}

/**
 * The `:exception-type` an error is sent as inside a Bedrock response stream.
 *
 * @example
 * bedrockExceptionTypeFor(GatewayError.fromCode('UPSTREAM_TIMEOUT', { platform: 'Vertex AI', duration: '600 seconds' })); // 'modelTimeoutException'
 */
export function bedrockExceptionTypeFor(error: GatewayError): BedrockStreamExceptionType {
  const name = bedrockExceptionNameFor(error);
  if (isBedrockExceptionName(name)) return BEDROCK_EXCEPTIONS[name].stream;
  return BEDROCK_EXCEPTIONS[errorMappingFor(error.type, error.status).bedrock].stream;
}

/**
 * The `:exception-type` header and JSON payload of the event stream frame
 * that reports an error to a Bedrock streaming client.
 *
 * @example
 * renderBedrockStreamException(error); // { exceptionType: 'throttlingException', body: '{"message":"…"}' }
 */
export function renderBedrockStreamException(error: GatewayError): {
  exceptionType: BedrockStreamExceptionType;
  body: string;
} {
  return { exceptionType: bedrockExceptionTypeFor(error), body: JSON.stringify({ message: error.message }) };
}

/**
 * An in-stream exception frame read back into a GatewayError, with the
 * status the same exception has over HTTP.
 *
 * @example
 * errorFromBedrockException('throttlingException', 'Too many tokens').status; // 429
 */
export function errorFromBedrockException(exceptionType: string, message?: string): GatewayError {
  return GatewayError.fromBedrock({ name: bedrockNameForStreamException(exceptionType), message });
}
