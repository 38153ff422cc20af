import { randomUUID } from 'node:crypto';

/** The error types AWS services answer with when a request's credentials do not check out. */
export type AwsAuthErrorType =
  | 'UnrecognizedClientException'
  | 'InvalidSignatureException'
  | 'IncompleteSignatureException'
  | 'MissingAuthenticationTokenException'
  | 'ExpiredTokenException';

/** A failed credential check, carrying what AWS would answer. */
export interface AwsAuthFailure {
  ok: false;
  status: 403;
  errorType: AwsAuthErrorType;
  message: string;
}

/** AWS's own wording for the common failures. */
export const awsAuthMessages = Object.freeze({
  unrecognizedClient: 'The security token included in the request is invalid.',
  invalidSecurityToken: 'The security token included in the request is invalid',
  expiredToken: 'The security token included in the request is expired',
  signatureMismatch:
    'The request signature we calculated does not match the signature you provided. ' +
    'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  missingAuthenticationToken: 'Missing Authentication Token',
  contentHashMismatch: "The provided 'x-amz-content-sha256' header does not match what was computed.",
});

/**
 * A failure of the given type.
 *
 * @example
 * awsAuthFailure('UnrecognizedClientException', awsAuthMessages.unrecognizedClient).status; // 403
 */
export function awsAuthFailure(errorType: AwsAuthErrorType, message: string): AwsAuthFailure {
  return { ok: false, status: 403, errorType, message };
}

/**
 * The failure as a JSON-protocol AWS service (Bedrock runtime and control plane) sends it: the error type in
 * `x-amzn-errortype` with the coral namespace, the message in a `{"message":…}` body.
 *
 * @example
 * const response = awsJsonAuthErrorResponse(awsAuthFailure('InvalidSignatureException', awsAuthMessages.signatureMismatch));
 * response.headers.get('x-amzn-errortype');
 * // 'InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/'
 */
export function awsJsonAuthErrorResponse(
  failure: AwsAuthFailure,
  requestId: string = randomUUID(),
): Response {
  return new Response(JSON.stringify({ message: failure.message }), {
    status: failure.status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': `${failure.errorType}:http://internal.amazon.com/coral/com.amazon.coral.service/`,
      'x-amzn-requestid': requestId,
    },
  });
}
