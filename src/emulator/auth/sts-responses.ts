import type { AwsAuthErrorType } from './aws-auth-failure.js';

const stsNamespace = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** What GetCallerIdentity reports. */
export interface CallerIdentity {
  arn: string;
  userId: string;
  account: string;
}

/** An STS error: its query-protocol code, HTTP status and message. */
export interface StsError {
  code: string;
  status: number;
  message: string;
  /** The error type the JSON protocol names in `__type`. */
  jsonType: string;
}

/** The query-protocol codes STS uses for the generic credential failures. */
const stsCodes: Record<AwsAuthErrorType, string> = {
  UnrecognizedClientException: 'InvalidClientTokenId',
  InvalidSignatureException: 'SignatureDoesNotMatch',
  IncompleteSignatureException: 'IncompleteSignature',
  MissingAuthenticationTokenException: 'MissingAuthenticationToken',
  ExpiredTokenException: 'ExpiredToken',
};

/**
 * The STS error for a failed credential check, with the code STS uses in place of the JSON services' type.
 *
 * @example
 * stsAuthError('UnrecognizedClientException', 'The security token included in the request is invalid.').code;
 * // 'InvalidClientTokenId'
 */
export function stsAuthError(errorType: AwsAuthErrorType, message: string): StsError {
  const stsMessage =
    errorType === 'MissingAuthenticationTokenException' ? 'Request is missing Authentication Token' : message;
  return { code: stsCodes[errorType], status: 403, message: stsMessage, jsonType: errorType };
}

/**
 * The XML STS answers GetCallerIdentity with.
 *
 * @example
 * callerIdentityXml({ arn: 'arn:aws:iam::1:user/u', userId: 'AIDA1', account: '1' }, 'request-id');
 * // '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">…'
 */
export function callerIdentityXml(identity: CallerIdentity, requestId: string): string {
  return (
    `<GetCallerIdentityResponse xmlns="${stsNamespace}">\n` +
    '  <GetCallerIdentityResult>\n' +
    `    <Arn>${escapeXml(identity.arn)}</Arn>\n` +
    `    <UserId>${escapeXml(identity.userId)}</UserId>\n` +
    `    <Account>${escapeXml(identity.account)}</Account>\n` +
    '  </GetCallerIdentityResult>\n' +
    '  <ResponseMetadata>\n' +
    `    <RequestId>${escapeXml(requestId)}</RequestId>\n` +
    '  </ResponseMetadata>\n' +
    '</GetCallerIdentityResponse>\n'
  );
}

/**
 * The XML STS answers an error with.
 *
 * @example
 * stsErrorXml({ code: 'InvalidAction', status: 400, message: 'Could not find operation X', jsonType: 'InvalidAction' }, 'id');
 * // '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>Sender</Type>…'
 */
export function stsErrorXml(error: StsError, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${stsNamespace}">\n` +
    '  <Error>\n' +
    `    <Type>${error.status >= 500 ? 'Receiver' : 'Sender'}</Type>\n` +
    `    <Code>${escapeXml(error.code)}</Code>\n` +
    `    <Message>${escapeXml(error.message)}</Message>\n` +
    '  </Error>\n' +
    `  <RequestId>${escapeXml(requestId)}</RequestId>\n` +
    '</ErrorResponse>\n'
  );
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
