/**
 * The gateway's own errors, each with a stable code, declared in this one
 * table (as Fastify declares `FST_ERR_*`). Logs, metrics and tests match on
 * the code, never on the prose.
 *
 * A message is a template: `{name}` is replaced by the parameter of that
 * name, and the parameters a code needs are checked at compile time.
 */

import type { KnownAnthropicErrorType } from './types.js';

/** One code's HTTP status, Anthropic error type and message template. */
export interface GatewayErrorCodeDefinition {
  status: number;
  type: KnownAnthropicErrorType;
  message: string;
}

export const GATEWAY_ERROR_CODES = {
  INVALID_JSON: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The request body is not valid JSON: {reason}',
  },
  INVALID_REQUEST: {
    status: 400,
    type: 'invalid_request_error',
    message: 'Invalid request: {reason}',
  },
  MISSING_MODEL: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The request names no model. Set `model` to a Claude model, for example "claude-sonnet-4-5".',
  },
  NO_ROUTE: {
    status: 404,
    type: 'not_found_error',
    message: 'No platform can serve model "{model}": {reason}',
  },
  NOT_FOUND: {
    status: 404,
    type: 'not_found_error',
    message: 'Nothing is served at {method} {path}.',
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    type: 'invalid_request_error',
    message: 'Method {method} is not allowed on {path}.',
  },
  REQUEST_TOO_LARGE: {
    status: 413,
    type: 'request_too_large',
    message: 'The request body is larger than the limit of {limit} bytes.',
  },
  UNSUPPORTED_CONTENT_ENCODING: {
    status: 415,
    type: 'invalid_request_error',
    message:
      'The request body is sent with Content-Encoding "{encoding}", which the gateway does not decode. Send it uncompressed or as {supported}.',
  },
  BAD_CONTENT_ENCODING: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The request body is not valid {encoding} data, as its Content-Encoding says: {detail}',
  },
  MISSING_API_KEY: {
    status: 401,
    type: 'authentication_error',
    message:
      'This gateway requires a gateway key and none was sent. Send it in the x-api-key header or as "Authorization: Bearer <key>"; an administrator creates one with `claude-gateway keys create NAME`.',
  },
  OPEN_BEYOND_LOOPBACK: {
    status: 403,
    type: 'permission_error',
    message:
      'This gateway listens on {host} but has no gateway keys, so it refuses every request: anyone who can reach it could spend its cloud credits. Create a key with `claude-gateway keys create NAME`, or listen on 127.0.0.1.',
  },
  INVALID_API_KEY: {
    status: 401,
    type: 'authentication_error',
    message: 'The gateway key is not valid. Check the key, or create one with `claude-gateway keys create`.',
  },
  EXPIRED_API_KEY: {
    status: 401,
    type: 'authentication_error',
    message:
      'The gateway key "{name}" expired at {expiredAt}. Ask an administrator for a new key, or to extend this one (`claude-gateway keys update {name} --expires 30d`).',
  },
  ROTATED_API_KEY: {
    status: 401,
    type: 'authentication_error',
    message:
      'This secret of the gateway key "{name}" was replaced at {rotatedAt} (the key was rotated) and stopped working at {endedAt}. Use the key\'s new secret.',
  },
  GEOGRAPHY_CONFLICT: {
    status: 403,
    type: 'permission_error',
    message:
      'The request names the {requested} geography ({named}), but this gateway key may only use targets in {allowed}. Ask for a {allowedLower} or global model id or location instead.',
  },
  MODEL_NOT_ALLOWED: {
    status: 403,
    type: 'permission_error',
    message: 'This gateway key may not use model "{model}".',
  },
  PERMISSION_DENIED: {
    status: 403,
    type: 'permission_error',
    message: 'Permission denied: {reason}',
  },
  BUDGET_EXCEEDED: {
    // 403 rather than 402: every dialect's clients treat 403 as final, and Bedrock has no 402.
    status: 403,
    type: 'permission_error',
    message:
      'This gateway key has spent its monthly budget of {budget} (spent {spent}). Raise the budget or wait for {resetsAt}.',
  },
  POLICY_BUDGET_EXCEEDED: {
    status: 403,
    type: 'permission_error',
    message:
      '{who} has spent the {period} budget of {budget} (spent {spent}). It resets on {resetsAt}; to raise it, {raise}.',
  },
  POLICY_MODEL_NOT_ALLOWED: {
    status: 403,
    type: 'permission_error',
    message:
      'Model "{model}" is not allowed for {who}: {rule} allows only {allowed}. Use one of those, or ask an administrator to allow it ({fix}).',
  },
  POLICY_RESIDENCY_CONFLICT: {
    status: 403,
    type: 'permission_error',
    message:
      'The policies of {who} hold requests to geographies that do not overlap ({rules}), so no target can serve them. Ask an administrator to align them.',
  },
  POLICY_RATE_LIMITED: {
    status: 429,
    type: 'rate_limit_error',
    message:
      '{who} exceeded the rate limit of {limit}. Retry after {retryAfter}, or ask an administrator for a higher limit.',
  },
  SIGN_IN_EXPIRED: {
    status: 401,
    type: 'authentication_error',
    message:
      'Your gateway sign-in token expired at {expiredAt}. Run `claude-gateway token` for a fresh one (Claude Code runs it as its apiKeyHelper); if that fails, sign in again with `claude-gateway login --gateway {gateway}`.',
  },
  SIGN_IN_INVALID: {
    status: 401,
    type: 'authentication_error',
    message:
      'The gateway sign-in token is not valid ({reason}). Sign in again with `claude-gateway login --gateway {gateway}`.',
  },
  SIGN_IN_FOREIGN_ISSUER: {
    status: 401,
    type: 'authentication_error',
    message:
      'This token was issued by {issuer}, not by this gateway: it takes only its own sign-in tokens. Sign in with `claude-gateway login --gateway {gateway}` and use `claude-gateway token`.',
  },
  SIGN_IN_ENDED: {
    status: 401,
    type: 'authentication_error',
    message:
      '{reason} Sign in again with `claude-gateway login --gateway {gateway}`, or ask an administrator.',
  },
  SERVICE_TOKEN_EXPIRED: {
    status: 401,
    type: 'authentication_error',
    message:
      'The service token "{name}" expired at {expiredAt}. Ask an administrator for a new one (`claude-gateway tokens create {name} --group {group} --expires 90d`), or sign in as a person with `claude-gateway login`.',
  },
  SERVICE_TOKEN_REVOKED: {
    status: 401,
    type: 'authentication_error',
    message:
      'The service token "{name}" was revoked at {revokedAt}. Ask an administrator for a new one, or sign in as a person with `claude-gateway login`.',
  },
  USER_DISABLED: {
    status: 401,
    type: 'authentication_error',
    message:
      'The user {name} is disabled on this gateway, so their keys and sign-ins are refused. Ask an administrator (`claude-gateway users update {name} --enable`).',
  },
  RATE_LIMITED: {
    status: 429,
    type: 'rate_limit_error',
    message:
      'This gateway key exceeded its rate limit of {limit}. Retry after {retryAfter}, or ask for a higher limit.',
  },
  PLATFORM_CREDENTIALS_UNAVAILABLE: {
    status: 500,
    type: 'api_error',
    message: 'The gateway has no usable credentials for {platform}: {reason}',
  },
  UPSTREAM_UNREACHABLE: {
    status: 502,
    type: 'api_error',
    message: 'Could not reach {platform}: {reason}',
  },
  UPSTREAM_TIMEOUT: {
    status: 504,
    type: 'timeout_error',
    message: '{platform} did not answer within {duration}.',
  },
  UPSTREAM_STREAM_INTERRUPTED: {
    status: 502,
    type: 'api_error',
    message: '{platform} stream ended before the message was complete: {reason}',
  },
  CLIENT_CLOSED_REQUEST: {
    status: 499,
    type: 'api_error',
    message: 'The client closed the connection before the response was complete.',
  },
  SHUTTING_DOWN: {
    status: 503,
    type: 'overloaded_error',
    message: 'The gateway is shutting down. Retry the request.',
  },
  STORE_UNAVAILABLE: {
    status: 503,
    type: 'overloaded_error',
    message:
      'The gateway cannot check gateway keys or budgets right now: its store does not answer. Retry shortly.',
  },
  INTERNAL_ERROR: {
    status: 500,
    type: 'api_error',
    message: 'Internal gateway error: {reason}',
  },
} as const satisfies Record<string, GatewayErrorCodeDefinition>;

/** A stable gateway error code, such as `'INVALID_JSON'`. */
export type GatewayErrorCode = keyof typeof GATEWAY_ERROR_CODES;

/** The `{name}` placeholders of a message template, as a union of names. */
export type TemplateParameterNames<Template extends string> =
  Template extends `${string}{${infer Name}}${infer Rest}` ? Name | TemplateParameterNames<Rest> : never;

/** The parameters a code's message template needs. */
export type GatewayErrorCodeParameters<Code extends GatewayErrorCode> = Record<
  TemplateParameterNames<(typeof GATEWAY_ERROR_CODES)[Code]['message']>,
  string | number
>;

/**
 * Whether a string is one of the declared gateway error codes.
 *
 * @example
 * isGatewayErrorCode('INVALID_JSON'); // true
 * isGatewayErrorCode('NOPE'); // false
 */
export function isGatewayErrorCode(code: string): code is GatewayErrorCode {
  return Object.hasOwn(GATEWAY_ERROR_CODES, code);
}

/**
 * Fills a message template's `{name}` placeholders; a placeholder without a
 * parameter stays as written, so a missing value is visible, not silent.
 *
 * @example
 * formatErrorMessage('No route for "{model}".', { model: 'opus' }); // 'No route for "opus".'
 */
export function formatErrorMessage(
  template: string,
  parameters: Readonly<Record<string, string | number>> = {},
): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
    const value = Object.hasOwn(parameters, name) ? parameters[name] : undefined;
    return value === undefined ? placeholder : String(value);
  });
}
