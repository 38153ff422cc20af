import type { Platform } from '../catalog/types.js';
import { isBedrockExceptionName } from '../wire/errors/bedrock-exceptions.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { isGoogleStatusName } from '../wire/errors/google-status.js';
import type { Fault } from './faults.js';

/** What each platform says for the common injected statuses, when the fault gives no message. */
const DEFAULT_MESSAGES: Record<Platform, Record<number, string>> = {
  bedrock: {
    400: 'Malformed input request, please reformat your input and try again.',
    403: "You don't have access to the model with the specified model ID.",
    429: 'Too many requests, please wait before trying again.',
    500: 'The system encountered an unexpected error during processing. Try your request again.',
    503: 'Bedrock is unable to process your request.',
  },
  vertex: {
    429: 'Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model with base model: anthropic-claude. Please submit a quota increase request.',
    403: 'Permission denied on resource project (or it may not exist).',
    500: 'Internal error encountered.',
    503: 'The service is currently unavailable.',
    529: 'Overloaded',
  },
  anthropic: {
    400: 'Invalid request.',
    403: 'Your API key does not have permission to use the specified resource.',
    429: 'Number of request tokens has exceeded your per-minute rate limit.',
    500: 'Internal server error',
    503: 'Service unavailable',
    529: 'Overloaded',
  },
  'bedrock-messages': {
    400: 'Invalid request.',
    403: "You don't have access to the model with the specified model ID.",
    429: 'Too many requests, please wait before trying again.',
    500: 'Internal server error',
    503: 'Service unavailable',
  },
  'claude-platform-aws': {
    400: 'Invalid request.',
    403: 'Your credentials do not have permission to use the specified resource.',
    429: 'Number of request tokens has exceeded your per-minute rate limit.',
    500: 'Internal server error',
    529: 'Overloaded',
  },
  foundry: {
    429: 'Rate limit exceeded.',
    500: 'Internal server error',
    529: 'Overloaded',
  },
};

/** Bedrock answers overload with ServiceUnavailableException; 529 is not one of its statuses. */
const BEDROCK_NAME_FOR_STATUS: Record<number, string> = {
  400: 'ValidationException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  408: 'ModelTimeoutException',
  424: 'ModelErrorException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
  529: 'ServiceUnavailableException',
};

/**
 * The error an injected fault stands for, as the emulated platform would word
 * it. `errorType` may name a Bedrock exception, a google.rpc code or an
 * Anthropic error type.
 */
export function faultError(fault: Fault, platform: Platform): GatewayError {
  const status = fault.status ?? (fault.kind === 'stream-error' ? 529 : 500);
  const message = fault.message ?? DEFAULT_MESSAGES[platform][status] ?? `Injected error ${status}`;
  const retryAfterSeconds = fault.retryAfterSeconds;
  const errorType = fault.errorType;
  const bedrockName =
    errorType && (isBedrockExceptionName(errorType) || /Exception$/.test(errorType))
      ? capitalize(errorType)
      : undefined;
  if (platform === 'bedrock' || bedrockName) {
    const name = bedrockName ?? BEDROCK_NAME_FOR_STATUS[status] ?? 'InternalServerException';
    return GatewayError.fromBedrock({
      name,
      message,
      status: status === 529 ? 503 : status,
      retryAfterSeconds,
    });
  }
  if (errorType && isGoogleStatusName(errorType)) {
    return GatewayError.fromGoogle({
      status: errorType,
      code: status,
      message,
      platform: 'vertex',
      retryAfterSeconds,
    });
  }
  if (platform === 'vertex' && !errorType && status !== 529 && status !== 400) {
    return GatewayError.fromGoogle({ code: status, message, platform: 'vertex', retryAfterSeconds });
  }
  return GatewayError.fromAnthropic({
    status,
    ...(errorType ? { type: errorType } : {}),
    message,
    platform,
    retryAfterSeconds,
  });
}

function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
