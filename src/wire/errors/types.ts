/**
 * The Anthropic error types, the status each one is answered with, and the
 * platforms an error can come from.
 *
 * The Anthropic error type is the gateway's common language for errors, as
 * the Messages body is for requests: every dialect's error maps to one.
 */

/** The error types the Anthropic API documents. */
export type KnownAnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

/** A known type, or a type a newer API sends that this package does not know yet (kept as is). */
export type AnthropicErrorType = KnownAnthropicErrorType | (string & {});

/** Who produced an error: one of the upstream platforms, or the gateway itself. */
export type ErrorPlatform =
  | 'anthropic'
  | 'bedrock'
  | 'bedrock-messages'
  | 'claude-platform-aws'
  | 'vertex'
  | 'foundry'
  | 'gateway';

/** The HTTP status the Anthropic API answers each error type with. */
export const ANTHROPIC_ERROR_STATUS: Readonly<Record<KnownAnthropicErrorType, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** Statuses whose error type is not the one a plain 4xx/5xx fallback would give. */
const TYPE_FOR_STATUS: Readonly<Record<number, KnownAnthropicErrorType>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  503: 'overloaded_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** An error rendered for one dialect, ready for `new Response(body, { status, headers })`. */
export interface RenderedError {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Whether a string is one of the documented Anthropic error types.
 *
 * @example
 * isKnownAnthropicErrorType('rate_limit_error'); // true
 * isKnownAnthropicErrorType('teapot_error'); // false
 */
export function isKnownAnthropicErrorType(type: string): type is KnownAnthropicErrorType {
  return Object.hasOwn(ANTHROPIC_ERROR_STATUS, type);
}

/**
 * The status the Anthropic API answers an error type with; for an unknown
 * type, `fallback` (500 unless given).
 *
 * @example
 * statusForAnthropicErrorType('overloaded_error'); // 529
 * statusForAnthropicErrorType('teapot_error', 418); // 418
 */
export function statusForAnthropicErrorType(type: AnthropicErrorType, fallback = 500): number {
  return isKnownAnthropicErrorType(type) ? ANTHROPIC_ERROR_STATUS[type] : fallback;
}

/**
 * The error type for a bare HTTP status (an error body without a type, or
 * no body at all): the documented status first, then any other 4xx is an
 * invalid request and anything else an API error.
 *
 * @example
 * anthropicErrorTypeForStatus(429); // 'rate_limit_error'
 * anthropicErrorTypeForStatus(422); // 'invalid_request_error'
 * anthropicErrorTypeForStatus(502); // 'api_error'
 */
export function anthropicErrorTypeForStatus(status: number): KnownAnthropicErrorType {
  const type = TYPE_FOR_STATUS[status];
  if (type) return type;
  return status >= 400 && status < 500 ? 'invalid_request_error' : 'api_error';
}
