/**
 * The one table between the error dialects: one row per Anthropic error type,
 * naming the Bedrock exception and the `google.rpc.Code` that type is
 * rendered as, the Bedrock exceptions and Google codes read back as that
 * type, and the shape Vertex answers it in. Statuses are not repeated here:
 * each dialect's own table says them (`ANTHROPIC_ERROR_STATUS`,
 * `BEDROCK_EXCEPTIONS`, `GOOGLE_STATUS_CODES`).
 *
 * | Anthropic type (status) | Bedrock client (status)         | Vertex client               | read as this type, besides the first two columns          |
 * |--------------------------|---------------------------------|-----------------------------|------------------------------------------------------------|
 * | invalid_request_error 400 | ValidationException 400        | Anthropic shape 400         | FAILED_PRECONDITION, OUT_OF_RANGE, ALREADY_EXISTS          |
 * | authentication_error 401 | UnrecognizedClientException 403 | UNAUTHENTICATED 401         | InvalidSignature-, ExpiredToken-, MissingAuthenticationToken-, IncompleteSignatureException |
 * | billing_error 402        | AccessDeniedException 403       | PERMISSION_DENIED 403       | (nothing reads back as billing_error)                      |
 * | permission_error 403     | AccessDeniedException 403       | PERMISSION_DENIED 403       |                                                            |
 * | not_found_error 404      | ResourceNotFoundException 404   | NOT_FOUND 404               | UNIMPLEMENTED                                              |
 * | request_too_large 413    | ValidationException 400         | Anthropic shape 413         | (nothing reads back as request_too_large)                  |
 * | rate_limit_error 429     | ThrottlingException 429         | RESOURCE_EXHAUSTED 429      | ServiceQuotaExceededException                              |
 * | api_error 500            | InternalServerException 500     | INTERNAL 500                | ModelErrorException, ModelStreamErrorException, UNKNOWN, DATA_LOSS, ABORTED, CANCELLED |
 * | timeout_error 504        | ModelTimeoutException 408       | DEADLINE_EXCEEDED 504       |                                                            |
 * | overloaded_error 529     | ServiceUnavailableException 503 | Anthropic shape 529         | ModelNotReadyException                                     |
 *
 * Rendering rules (in the dialect files): an error keeps its own name and
 * status in the dialect it came from (a Bedrock exception to a Bedrock
 * client, a Google code or Anthropic-shaped Vertex error to a Vertex client,
 * an Anthropic-shaped error or the gateway's own to an Anthropic client);
 * into any other dialect it goes by its type's row, with that dialect's
 * status for the name. A type this package does not know goes by its status
 * (`anthropicErrorTypeForStatus`). The message text is never changed.
 *
 * Choices worth knowing:
 * - ServiceQuotaExceededException (a 400 in the service model) is a quota the
 *   account owner must raise: it reads as `rate_limit_error`, but the error
 *   keeps its 400, so it is not retryable, and Anthropic clients are told so
 *   with `x-should-retry: false`.
 * - ModelNotReadyException (429, retried by the AWS SDK) means the model
 *   cannot serve yet, not that the caller sent too much: `overloaded_error`.
 * - ModelErrorException (424) is the model failing: `api_error`, still not
 *   retryable because its own status is 424.
 * - Bedrock has no "too large" exception: the real service answers an
 *   oversized body with ValidationException, so `request_too_large` does too.
 * - Vertex answers what the model's API produced (invalid requests, unknown
 *   betas, overload) in the Anthropic shape, and what Google's front end
 *   produced (credentials, permissions, quota, missing models, timeouts,
 *   internal errors) as `google.rpc.Status`: the `vertexShape` column.
 */

import type { BedrockExceptionName } from './bedrock-exceptions.js';
import type { GoogleStatusName } from './google-status.js';
import {
  type AnthropicErrorType,
  anthropicErrorTypeForStatus,
  isKnownAnthropicErrorType,
  type KnownAnthropicErrorType,
} from './types.js';

/** The shape Vertex uses for an error: the Anthropic error body, or `google.rpc.Status`. */
export type VertexErrorShape = 'anthropic' | 'google';

/** One row of the table: one Anthropic error type in every dialect. */
export interface ErrorMapping {
  type: KnownAnthropicErrorType;
  /** The exception a Bedrock client is answered with. */
  bedrock: BedrockExceptionName;
  /** The Bedrock exceptions read as this type (each name in one row only). */
  fromBedrock: readonly string[];
  /** The code a Vertex client is answered with when the shape is `google`. */
  google: GoogleStatusName;
  /** The Google codes read as this type (each name in one row only). */
  fromGoogle: readonly GoogleStatusName[];
  vertexShape: VertexErrorShape;
}

export const ERROR_MAPPINGS: readonly ErrorMapping[] = [
  {
    type: 'invalid_request_error',
    bedrock: 'ValidationException',
    fromBedrock: ['ValidationException'],
    google: 'INVALID_ARGUMENT',
    fromGoogle: ['INVALID_ARGUMENT', 'FAILED_PRECONDITION', 'OUT_OF_RANGE', 'ALREADY_EXISTS'],
    vertexShape: 'anthropic',
  },
  {
    type: 'authentication_error',
    bedrock: 'UnrecognizedClientException',
    fromBedrock: [
      'UnrecognizedClientException',
      'InvalidSignatureException',
      'ExpiredTokenException',
      'MissingAuthenticationTokenException',
      'IncompleteSignatureException',
    ],
    google: 'UNAUTHENTICATED',
    fromGoogle: ['UNAUTHENTICATED'],
    vertexShape: 'google',
  },
  {
    type: 'billing_error',
    bedrock: 'AccessDeniedException',
    fromBedrock: [],
    google: 'PERMISSION_DENIED',
    fromGoogle: [],
    vertexShape: 'google',
  },
  {
    type: 'permission_error',
    bedrock: 'AccessDeniedException',
    fromBedrock: ['AccessDeniedException'],
    google: 'PERMISSION_DENIED',
    fromGoogle: ['PERMISSION_DENIED'],
    vertexShape: 'google',
  },
  {
    type: 'not_found_error',
    bedrock: 'ResourceNotFoundException',
    fromBedrock: ['ResourceNotFoundException'],
    google: 'NOT_FOUND',
    fromGoogle: ['NOT_FOUND', 'UNIMPLEMENTED'],
    vertexShape: 'google',
  },
  {
    type: 'request_too_large',
    bedrock: 'ValidationException',
    fromBedrock: [],
    google: 'INVALID_ARGUMENT',
    fromGoogle: [],
    vertexShape: 'anthropic',
  },
  {
    type: 'rate_limit_error',
    bedrock: 'ThrottlingException',
    fromBedrock: ['ThrottlingException', 'ServiceQuotaExceededException'],
    google: 'RESOURCE_EXHAUSTED',
    fromGoogle: ['RESOURCE_EXHAUSTED'],
    vertexShape: 'google',
  },
  {
    type: 'api_error',
    bedrock: 'InternalServerException',
    fromBedrock: ['InternalServerException', 'ModelErrorException', 'ModelStreamErrorException'],
    google: 'INTERNAL',
    fromGoogle: ['INTERNAL', 'UNKNOWN', 'DATA_LOSS', 'ABORTED', 'CANCELLED'],
    vertexShape: 'google',
  },
  {
    type: 'timeout_error',
    bedrock: 'ModelTimeoutException',
    fromBedrock: ['ModelTimeoutException'],
    google: 'DEADLINE_EXCEEDED',
    fromGoogle: ['DEADLINE_EXCEEDED'],
    vertexShape: 'google',
  },
  {
    type: 'overloaded_error',
    bedrock: 'ServiceUnavailableException',
    fromBedrock: ['ServiceUnavailableException', 'ModelNotReadyException'],
    google: 'UNAVAILABLE',
    fromGoogle: ['UNAVAILABLE'],
    vertexShape: 'anthropic',
  },
];

/**
 * The row for an Anthropic error type; a type this package does not know is
 * looked up by the status it came with.
 *
 * @example
 * errorMappingFor('rate_limit_error').bedrock; // 'ThrottlingException'
 * errorMappingFor('teapot_error', 503).google; // 'UNAVAILABLE'
 */
export function errorMappingFor(type: AnthropicErrorType, status = 500): ErrorMapping {
  const known = isKnownAnthropicErrorType(type) ? type : anthropicErrorTypeForStatus(status);
  return ERROR_MAPPINGS.find((row) => row.type === known)!;
}

/**
 * The Anthropic error type a Bedrock exception reads as; an exception not in
 * the table is read by its status.
 *
 * @example
 * anthropicErrorTypeForBedrock('ThrottlingException', 429); // 'rate_limit_error'
 * anthropicErrorTypeForBedrock('ConflictException', 400); // 'invalid_request_error'
 */
export function anthropicErrorTypeForBedrock(
  name: string | undefined,
  status: number,
): KnownAnthropicErrorType {
  const row =
    name === undefined ? undefined : ERROR_MAPPINGS.find((mapping) => mapping.fromBedrock.includes(name));
  return row?.type ?? anthropicErrorTypeForStatus(status);
}

/**
 * The Anthropic error type a `google.rpc.Code` name reads as; a missing or
 * unknown name is read by the status.
 *
 * @example
 * anthropicErrorTypeForGoogle('RESOURCE_EXHAUSTED', 429); // 'rate_limit_error'
 * anthropicErrorTypeForGoogle(undefined, 404); // 'not_found_error'
 */
export function anthropicErrorTypeForGoogle(
  name: string | undefined,
  status: number,
): KnownAnthropicErrorType {
  const row =
    name === undefined
      ? undefined
      : ERROR_MAPPINGS.find((mapping) => (mapping.fromGoogle as readonly string[]).includes(name));
  return row?.type ?? anthropicErrorTypeForStatus(status);
}
