/**
 * The Anthropic API's error dialect, also spoken by Microsoft Foundry and by
 * the model behind Vertex:
 * `{"type":"error","error":{"type":"…","message":"…"},"request_id":"req_…"}`
 * with headers `request-id`, `retry-after` and `x-should-retry` (which the
 * Anthropic SDK obeys before looking at the status).
 */

import { z } from 'zod';
import { messageText, parseJsonSafely, textAsMessage } from './body-text.js';
import { GatewayError } from './gateway-error.js';
import { type HeaderSource, readHeader } from './headers.js';
import { formatRetryAfter, parseRetryAfterSeconds } from './retry-after.js';
import { type ErrorPlatform, type RenderedError, statusForAnthropicErrorType } from './types.js';
import { upstreamErrorAnswer } from './upstream-answer.js';

export interface RenderErrorOptions {
  /** The request id to report; by default the error's own. */
  requestId?: string;
}

export interface ParseAnthropicErrorOptions {
  /** Who answered in this dialect: 'anthropic' (default), 'foundry' or 'vertex'. */
  platform?: ErrorPlatform;
}

const anthropicErrorBodySchema = z.object({
  error: z
    .object({
      type: z.string().nullish(),
      message: z.unknown().optional(),
    })
    .nullish(),
  message: z.unknown().optional(),
  request_id: z.string().nullish(),
});

/**
 * The status an error is answered with in the Anthropic dialect: its own
 * status when it was Anthropic-shaped or the gateway's own, otherwise (it
 * came from another dialect) the status the Anthropic API uses for its type.
 *
 * @example
 * anthropicStatusFor(GatewayError.fromBedrock({ name: 'ServiceUnavailableException' })); // 529
 */
export function anthropicStatusFor(error: GatewayError): number {
  return error.upstreamCode === undefined
    ? error.status
    : statusForAnthropicErrorType(error.type, error.status);
}

/**
 * The error as the Anthropic API would answer it.
 *
 * @example
 * const { status, headers, body } = renderAnthropicError(GatewayError.fromCode('INVALID_JSON', { reason: 'x' }));
 * return new Response(body, { status, headers });
 */
export function renderAnthropicError(error: GatewayError, options: RenderErrorOptions = {}): RenderedError {
  const requestId = options.requestId ?? error.requestId;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-should-retry': String(error.retryable),
  };
  if (requestId !== undefined) headers['request-id'] = requestId;
  if (error.retryAfterSeconds !== undefined)
    headers['retry-after'] = formatRetryAfter(error.retryAfterSeconds);
  const body = {
    type: 'error',
    error: { type: error.type, message: error.message },
    ...(requestId === undefined ? {} : { request_id: requestId }),
  };
  return { status: anthropicStatusFor(error), headers, body: JSON.stringify(body) };
}

/**
 * An Anthropic-dialect error response read back into a GatewayError. Bodies
 * that are not the documented shape are tolerated: a bare `message`, a
 * missing type (read from the status), or text that is not JSON at all
 * (kept as the message).
 *
 * @example
 * const error = parseAnthropicError(response.status, response.headers, await response.text());
 */
export function parseAnthropicError(
  status: number,
  headers: HeaderSource | undefined,
  bodyText: string,
  options: ParseAnthropicErrorOptions = {},
): GatewayError {
  const error = anthropicErrorFromBody(
    status,
    headers,
    parseJsonSafely(bodyText),
    bodyText,
    options.platform,
  );
  error.cause ??= upstreamErrorAnswer('anthropic', status, headers, bodyText, error.message);
  return error;
}

/**
 * The same as `parseAnthropicError` for a body already parsed (one element of
 * Vertex's array form, for instance).
 *
 * @example
 * anthropicErrorFromBody(400, undefined, { type: 'error', error: { type: 'invalid_request_error', message: 'x' } }, '');
 */
export function anthropicErrorFromBody(
  status: number,
  headers: HeaderSource | undefined,
  body: unknown,
  bodyText: string,
  platform: ErrorPlatform = 'anthropic',
): GatewayError {
  const parsed = anthropicErrorBodySchema.safeParse(body);
  const fields = parsed.success ? parsed.data : undefined;
  const message = fields
    ? (messageText(fields.error?.message) ?? messageText(fields.message))
    : textAsMessage(bodyText);
  return GatewayError.fromAnthropic({
    status,
    type: fields?.error?.type ?? undefined,
    message,
    platform,
    requestId: fields?.request_id ?? readHeader(headers, 'request-id'),
    retryAfterSeconds: parseRetryAfterSeconds(headers),
    retryable: readShouldRetry(headers),
  });
}

function readShouldRetry(headers: HeaderSource | undefined): boolean | undefined {
  const value = readHeader(headers, 'x-should-retry');
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}
