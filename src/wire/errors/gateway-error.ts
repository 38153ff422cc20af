/**
 * The one error class of the gateway. Whatever goes wrong, in the gateway or
 * on any upstream platform, becomes a `GatewayError`, and one renderer per
 * client dialect turns it into a response (`renderAnthropicError`,
 * `renderBedrockError`, `renderVertexError`) or a stream event.
 */

import { BEDROCK_EXCEPTIONS, isBedrockExceptionName } from './bedrock-exceptions.js';
import {
  formatErrorMessage,
  GATEWAY_ERROR_CODES,
  type GatewayErrorCode,
  type GatewayErrorCodeParameters,
  type TemplateParameterNames,
} from './codes.js';
import { GOOGLE_STATUS_CODES, googleStatusNameForHttpStatus, isGoogleStatusName } from './google-status.js';
import { anthropicErrorTypeForBedrock, anthropicErrorTypeForGoogle } from './mapping.js';
import { PLATFORM_NAMES, sentence } from './platform-names.js';
import {
  type AnthropicErrorType,
  anthropicErrorTypeForStatus,
  type ErrorPlatform,
  statusForAnthropicErrorType,
} from './types.js';

export interface GatewayErrorOptions {
  message: string;
  /** The HTTP status; by default the one the type is answered with. */
  status?: number;
  /** The Anthropic error type; by default the one the status stands for. */
  type?: AnthropicErrorType;
  code?: GatewayErrorCode;
  platform?: ErrorPlatform;
  /** The upstream's own name for the error: a Bedrock exception or a `google.rpc.Code` name. */
  upstreamCode?: string;
  /** Overrides the status's answer, when the upstream said explicitly (`x-should-retry`). */
  retryable?: boolean;
  retryAfterSeconds?: number;
  requestId?: string;
  cause?: unknown;
}

/** What a caller may add to an error built from a code. */
export type GatewayErrorCodeOptions = Omit<GatewayErrorOptions, 'message' | 'status' | 'type' | 'code'>;

type FromCodeArguments<Code extends GatewayErrorCode> = [
  TemplateParameterNames<(typeof GATEWAY_ERROR_CODES)[Code]['message']>,
] extends [never]
  ? [parameters?: Record<string, never>, options?: GatewayErrorCodeOptions]
  : [parameters: GatewayErrorCodeParameters<Code>, options?: GatewayErrorCodeOptions];

/** An Anthropic-shaped error as read from the wire. */
export interface AnthropicErrorFields {
  status: number;
  type?: string;
  message?: string;
  platform?: ErrorPlatform;
  requestId?: string;
  retryAfterSeconds?: number;
  retryable?: boolean;
}

/** A Bedrock error as read from the wire: the exception name and its message. */
export interface BedrockErrorFields {
  name?: string;
  status?: number;
  message?: string;
  requestId?: string;
  retryAfterSeconds?: number;
}

/** A `google.rpc.Status` as read from the wire: `status` is the code name, `code` the HTTP status. */
export interface GoogleErrorFields {
  status?: string;
  code?: number;
  message?: string;
  platform?: ErrorPlatform;
  requestId?: string;
  retryAfterSeconds?: number;
}

/**
 * Whether a status is worth retrying: request timeouts (408), conflicts
 * (409), rate limits (429) and server errors (5xx, including 529).
 *
 * @example
 * isRetryableStatus(529); // true
 * isRetryableStatus(400); // false
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

function messageForMissingText(platform: ErrorPlatform, status: number): string {
  return sentence(`${PLATFORM_NAMES[platform]} answered HTTP ${status} without an error message.`);
}

/**
 * An error with its HTTP status, Anthropic error type and original message,
 * plus where it came from; thrown anywhere, rendered in one place.
 *
 * @example
 * throw GatewayError.fromCode('INVALID_JSON', { reason: 'Unexpected end of input' });
 */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly status: number;
  readonly type: AnthropicErrorType;
  readonly code: GatewayErrorCode | undefined;
  readonly platform: ErrorPlatform | undefined;
  readonly upstreamCode: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;
  readonly requestId: string | undefined;

  /**
   * @example
   * new GatewayError({ status: 429, message: 'Slow down.' }).type; // 'rate_limit_error'
   */
  constructor(options: GatewayErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status =
      options.status ?? (options.type === undefined ? 500 : statusForAnthropicErrorType(options.type));
    this.type = options.type ?? anthropicErrorTypeForStatus(this.status);
    this.code = options.code;
    this.platform = options.platform;
    this.upstreamCode = options.upstreamCode;
    this.retryable = options.retryable ?? isRetryableStatus(this.status);
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.requestId = options.requestId;
  }

  /**
   * The gateway's own error for a stable code, its message filled from the parameters.
   *
   * @example
   * const error = GatewayError.fromCode('NO_ROUTE', { model: 'opus', reason: 'no EU target' });
   * error.status; // 404
   * error.message; // 'No platform can serve model "opus": no EU target'
   */
  static fromCode<Code extends GatewayErrorCode>(code: Code, ...rest: FromCodeArguments<Code>): GatewayError {
    const [parameters, options] = rest;
    const definition = GATEWAY_ERROR_CODES[code];
    return new GatewayError({
      platform: 'gateway',
      ...options,
      code,
      status: definition.status,
      type: definition.type,
      // A template may start with a platform name written for mid-sentence ("the Anthropic API").
      message: sentence(formatErrorMessage(definition.message, parameters)),
    });
  }

  /**
   * An error an Anthropic-shaped body described (Anthropic API, Foundry, or the model behind Vertex).
   *
   * @example
   * GatewayError.fromAnthropic({ status: 529, type: 'overloaded_error', message: 'Overloaded' }).retryable; // true
   */
  static fromAnthropic(fields: AnthropicErrorFields): GatewayError {
    const platform = fields.platform ?? 'anthropic';
    return new GatewayError({
      status: fields.status,
      type: fields.type ?? anthropicErrorTypeForStatus(fields.status),
      message: fields.message ?? messageForMissingText(platform, fields.status),
      platform,
      retryable: fields.retryable,
      retryAfterSeconds: fields.retryAfterSeconds,
      requestId: fields.requestId,
    });
  }

  /**
   * An error Bedrock described by exception name; the status and message
   * default to what Bedrock sends for that exception.
   *
   * @example
   * const error = GatewayError.fromBedrock({ name: 'ThrottlingException', message: 'Too many tokens' });
   * [error.status, error.type]; // [429, 'rate_limit_error']
   */
  static fromBedrock(fields: BedrockErrorFields): GatewayError {
    const known = fields.name !== undefined && isBedrockExceptionName(fields.name) ? fields.name : undefined;
    const definition = known === undefined ? undefined : BEDROCK_EXCEPTIONS[known];
    const status = fields.status ?? definition?.status ?? 500;
    return new GatewayError({
      status,
      type: anthropicErrorTypeForBedrock(fields.name, status),
      message: fields.message ?? definition?.message ?? messageForMissingText('bedrock', status),
      platform: 'bedrock',
      upstreamCode: fields.name,
      retryAfterSeconds: fields.retryAfterSeconds,
      requestId: fields.requestId,
    });
  }

  /**
   * An error a `google.rpc.Status` described; a missing code name is derived
   * from the HTTP status, and a missing HTTP status from the name.
   *
   * @example
   * const error = GatewayError.fromGoogle({ status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded' });
   * [error.status, error.type]; // [429, 'rate_limit_error']
   */
  static fromGoogle(fields: GoogleErrorFields): GatewayError {
    const known =
      fields.status !== undefined && isGoogleStatusName(fields.status) ? fields.status : undefined;
    const status = fields.code ?? (known === undefined ? 500 : GOOGLE_STATUS_CODES[known]);
    const name = fields.status ?? googleStatusNameForHttpStatus(status);
    const platform = fields.platform ?? 'vertex';
    return new GatewayError({
      status,
      type: anthropicErrorTypeForGoogle(name, status),
      message: fields.message ?? messageForMissingText(platform, status),
      platform,
      upstreamCode: name,
      retryAfterSeconds: fields.retryAfterSeconds,
      requestId: fields.requestId,
    });
  }

  /**
   * Any thrown value as a GatewayError: itself if it is one, otherwise an
   * INTERNAL_ERROR that keeps the original as its cause.
   *
   * @example
   * GatewayError.from(new TypeError('boom')).code; // 'INTERNAL_ERROR'
   */
  static from(error: unknown): GatewayError {
    if (error instanceof GatewayError) return error;
    const reason = error instanceof Error ? error.message : String(error);
    return GatewayError.fromCode('INTERNAL_ERROR', { reason }, { cause: error });
  }

  /** The fields a log line needs (an Error's own fields are not enumerable). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      status: this.status,
      type: this.type,
      message: this.message,
      platform: this.platform,
      upstreamCode: this.upstreamCode,
      retryable: this.retryable,
      retryAfterSeconds: this.retryAfterSeconds,
      requestId: this.requestId,
    };
  }
}
