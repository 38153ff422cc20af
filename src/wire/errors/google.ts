/**
 * Vertex AI's error dialect. Vertex answers Claude errors in two shapes:
 * the Anthropic shape when the model's API produced the error, and
 * `google.rpc.Status` (`{"error":{"code":429,"message":"…","status":"RESOURCE_EXHAUSTED"}}`,
 * often inside an array) when Google's front end did. Which type takes which
 * shape is the `vertexShape` column of the mapping table.
 */

import { z } from 'zod';
import { anthropicErrorFromBody, type RenderErrorOptions, renderAnthropicError } from './anthropic.js';
import { messageText, parseJsonSafely, textAsMessage } from './body-text.js';
import { GatewayError } from './gateway-error.js';
import { GOOGLE_STATUS_CODES, type GoogleStatusName, isGoogleStatusName } from './google-status.js';
import type { HeaderSource } from './headers.js';
import { errorMappingFor } from './mapping.js';
import { errorDialectOf } from './platform-names.js';
import { parseRetryAfterSeconds } from './retry-after.js';
import type { RenderedError } from './types.js';
import { upstreamErrorAnswer } from './upstream-answer.js';

export interface RenderVertexErrorOptions extends RenderErrorOptions {
  /** Wrap a `google.rpc.Status` in an array, as some Vertex endpoints do. */
  arrayWrapped?: boolean;
}

const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';

const anthropicShapeSchema = z.object({
  type: z.literal('error').optional(),
  error: z.object({ type: z.string() }),
});

const rpcStatusSchema = z.object({
  error: z.object({
    code: z.number().nullish(),
    message: z.unknown().optional(),
    status: z.string().nullish(),
    details: z.array(z.unknown()).nullish(),
  }),
});

const bareMessageSchema = z.object({ message: z.string() });

const retryInfoSchema = z.object({ '@type': z.literal(RETRY_INFO_TYPE), retryDelay: z.string() });

/**
 * The `google.rpc.Code` a Vertex client is answered with, or undefined when
 * the error is answered in the Anthropic shape. An error Vertex itself
 * produced keeps its shape and code; any other error takes the shape of its
 * type's row in the mapping table.
 *
 * @example
 * googleStatusNameFor(GatewayError.fromBedrock({ name: 'ThrottlingException' })); // 'RESOURCE_EXHAUSTED'
 * googleStatusNameFor(GatewayError.fromCode('INVALID_JSON', { reason: 'x' })); // undefined
 */
export function googleStatusNameFor(error: GatewayError): GoogleStatusName | undefined {
  if (errorDialectOf(error.platform) === 'vertex') {
    return error.upstreamCode !== undefined && isGoogleStatusName(error.upstreamCode)
      ? error.upstreamCode
      : undefined;
  }
  const row = errorMappingFor(error.type, error.status);
  return row.vertexShape === 'google' ? row.google : undefined;
}

/**
 * The error as Vertex AI would answer it: `google.rpc.Status` for what
 * Google's front end says (credentials, permissions, quota, missing models,
 * timeouts, internal errors), the Anthropic shape for what the model says
 * (invalid requests, overload).
 *
 * @example
 * const { status, body } = renderVertexError(GatewayError.fromBedrock({ name: 'ThrottlingException', message: 'Slow down' }));
 * // 429 '{"error":{"code":429,"message":"Slow down","status":"RESOURCE_EXHAUSTED"}}'
 */
export function renderVertexError(
  error: GatewayError,
  options: RenderVertexErrorOptions = {},
): RenderedError {
  const name = googleStatusNameFor(error);
  if (name === undefined) return renderAnthropicError(error, options);
  const code = errorDialectOf(error.platform) === 'vertex' ? error.status : GOOGLE_STATUS_CODES[name];
  const status: Record<string, unknown> = { code, message: error.message, status: name };
  if (error.retryAfterSeconds !== undefined) {
    status['details'] = [{ '@type': RETRY_INFO_TYPE, retryDelay: `${Math.ceil(error.retryAfterSeconds)}s` }];
  }
  const body = options.arrayWrapped ? [{ error: status }] : { error: status };
  return {
    status: code,
    headers: {
      'content-type': 'application/json; charset=UTF-8',
      // The Anthropic SDKs (and so the Vertex SDK) read retry-after, not google.rpc.RetryInfo.
      ...(error.retryAfterSeconds !== undefined
        ? { 'retry-after': String(Math.ceil(error.retryAfterSeconds)) }
        : {}),
    },
    body: JSON.stringify(body),
  };
}

/**
 * A Vertex error response read back into a GatewayError, whichever shape it
 * has: Anthropic, `google.rpc.Status`, either inside an array, or not JSON at
 * all (Google's front end; the text is kept and the code read from the status).
 *
 * @example
 * parseVertexError(429, {}, '[{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}}]').type; // 'rate_limit_error'
 */
export function parseVertexError(
  status: number,
  headers: HeaderSource | undefined,
  bodyText: string,
): GatewayError {
  const error = vertexErrorFromText(status, headers, bodyText);
  error.cause ??= upstreamErrorAnswer('vertex', status, headers, bodyText, error.message);
  return error;
}

function vertexErrorFromText(
  status: number,
  headers: HeaderSource | undefined,
  bodyText: string,
): GatewayError {
  const json = parseJsonSafely(bodyText);
  const body = Array.isArray(json) ? json[0] : json;
  if (anthropicShapeSchema.safeParse(body).success) {
    return anthropicErrorFromBody(status, headers, body, bodyText, 'vertex');
  }
  const rpc = rpcStatusSchema.safeParse(body);
  if (rpc.success) {
    const { code, message, status: name, details } = rpc.data.error;
    return GatewayError.fromGoogle({
      status: name ?? undefined,
      code: status >= 400 ? status : (code ?? undefined),
      message: messageText(message),
      retryAfterSeconds: readRetryDelay(details) ?? parseRetryAfterSeconds(headers),
    });
  }
  const bare = bareMessageSchema.safeParse(body);
  return GatewayError.fromGoogle({
    code: status,
    message: bare.success ? bare.data.message : textAsMessage(bodyText),
    retryAfterSeconds: parseRetryAfterSeconds(headers),
  });
}

/** The delay a `google.rpc.RetryInfo` detail asks for ("30s", "1.5s"), in seconds. */
function readRetryDelay(details: readonly unknown[] | null | undefined): number | undefined {
  for (const detail of details ?? []) {
    const retryInfo = retryInfoSchema.safeParse(detail);
    if (!retryInfo.success) continue;
    const match = /^(\d+(?:\.\d+)?)s$/.exec(retryInfo.data.retryDelay.trim());
    if (match?.[1] !== undefined) return Number(match[1]);
  }
  return undefined;
}
