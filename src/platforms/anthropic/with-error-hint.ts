import { GatewayError } from '../../wire/errors/index.js';

/**
 * The same error with a hint on how to fix it after the platform's own
 * message (which is kept word for word); every other field is unchanged.
 *
 * @example
 * withErrorHint(error, 'Check ANTHROPIC_API_KEY.').message; // 'invalid x-api-key (Check ANTHROPIC_API_KEY.)'
 */
export function withErrorHint(error: GatewayError, hint: string): GatewayError {
  return new GatewayError({
    message: `${error.message} (${hint})`,
    status: error.status,
    type: error.type,
    code: error.code,
    platform: error.platform,
    upstreamCode: error.upstreamCode,
    retryable: error.retryable,
    retryAfterSeconds: error.retryAfterSeconds,
    requestId: error.requestId,
    cause: error.cause,
  });
}
