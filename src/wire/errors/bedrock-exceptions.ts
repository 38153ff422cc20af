/**
 * The exceptions the Bedrock runtime answers with: the service's own (from
 * the botocore model `bedrock-runtime-2023-09-30`) and the ones AWS's front
 * end returns before the request reaches the service (bad or expired
 * credentials, bad signatures). For each: its HTTP status, the namespace its
 * `x-amzn-errortype` header names, the message AWS sends when it says
 * nothing more specific, and the in-stream exception frame it is sent as
 * once a response stream has started.
 */

/** The exception types an `invoke-with-response-stream` event stream can carry (its `:exception-type`). */
export type BedrockStreamExceptionType =
  | 'internalServerException'
  | 'modelStreamErrorException'
  | 'validationException'
  | 'throttlingException'
  | 'modelTimeoutException'
  | 'serviceUnavailableException';

/** The service's namespace and the AWS front end's, as `x-amzn-errortype` names them. */
export const BEDROCK_SERVICE_NAMESPACE = 'http://internal.amazon.com/coral/com.amazon.bedrock/';
export const AWS_FRONT_END_NAMESPACE = 'http://internal.amazon.com/coral/com.amazon.coral.service/';

export interface BedrockExceptionDefinition {
  status: number;
  namespace: string;
  message: string;
  stream: BedrockStreamExceptionType;
}

export const BEDROCK_EXCEPTIONS = {
  ValidationException: {
    status: 400,
    namespace: BEDROCK_SERVICE_NAMESPACE,
    message: 'The input fails to satisfy the constraints specified by Amazon Bedrock.',
    stream: 'validationException',
  },
  ServiceQuotaExceededException: {
    status: 400,
    namespace: BEDROCK_SERVICE_NAMESPACE,
    message: 'Your request exceeds the service quota for your account.',
    stream: 'throttlingException',
  },
  AccessDeniedException: {
    status: 403,
    namespace: BEDROCK_SERVICE_NAMESPACE,
    message: 'You do not have sufficient access to perform this action.',
    stream: 'validationException',
  },
  ResourceNotFoundException: {
    status: 404,
    namespace: BEDROCK_SERVICE_NAMESPACE,
    message: 'The specified resource was not found.',
    stream: 'validationException',
  },
  ModelTimeoutException: {
    status: 408,
    namespace: BEDROCK_SERVICE_NAMESPACE,
    message: 'The request took too long to process. Processing time exceeded the model timeout length.',
    stream: 'modelTimeoutException',
  },
  ModelErrorException: {
    status: 424,
    namespace: BEDROCK_SERVICE_NAMESPACE,
    message: 'The request failed due to an error while processing the model.',
    stream: 'modelStreamErrorException',
  },
  ModelStreamErrorException: {
    status: 424,
    namespace: BEDROCK_SERVICE_NAMESPACE,
    message: 'An error occurred while streaming the response. Retry your request.',
    stream: 'modelStreamErrorException',
  },
  ThrottlingException: {
    status: 429,
    namespace: BEDROCK_SERVICE_NAMESPACE,
    message: 'Too many requests, please wait before trying again.',
    stream: 'throttlingException',
  },
  ModelNotReadyException: {
    status: 429,
    namespace: BEDROCK_SERVICE_NAMESPACE,
    message: 'The model specified in the request is not ready to serve inference requests.',
    stream: 'serviceUnavailableException',
  },
  InternalServerException: {
    status: 500,
    namespace: BEDROCK_SERVICE_NAMESPACE,
    message: 'An internal server error occurred. Retry your request.',
    stream: 'internalServerException',
  },
  ServiceUnavailableException: {
    status: 503,
    namespace: BEDROCK_SERVICE_NAMESPACE,
    message: "The service isn't currently available. Try again later.",
    stream: 'serviceUnavailableException',
  },
  UnrecognizedClientException: {
    status: 403,
    namespace: AWS_FRONT_END_NAMESPACE,
    message: 'The security token included in the request is invalid.',
    stream: 'validationException',
  },
  InvalidSignatureException: {
    status: 403,
    namespace: AWS_FRONT_END_NAMESPACE,
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    stream: 'validationException',
  },
  ExpiredTokenException: {
    status: 403,
    namespace: AWS_FRONT_END_NAMESPACE,
    message: 'The security token included in the request is expired',
    stream: 'validationException',
  },
  MissingAuthenticationTokenException: {
    status: 403,
    namespace: AWS_FRONT_END_NAMESPACE,
    message: 'Missing Authentication Token',
    stream: 'validationException',
  },
  IncompleteSignatureException: {
    status: 400,
    namespace: AWS_FRONT_END_NAMESPACE,
    message: 'The request signature does not conform to AWS standards.',
    stream: 'validationException',
  },
} as const satisfies Record<string, BedrockExceptionDefinition>;

/** An exception name this package knows, such as `'ThrottlingException'`. */
export type BedrockExceptionName = keyof typeof BEDROCK_EXCEPTIONS;

/**
 * Whether a name is one of the Bedrock exceptions listed here.
 *
 * @example
 * isBedrockExceptionName('ThrottlingException'); // true
 * isBedrockExceptionName('ConflictException'); // false
 */
export function isBedrockExceptionName(name: string): name is BedrockExceptionName {
  return Object.hasOwn(BEDROCK_EXCEPTIONS, name);
}

/**
 * The Bedrock exception name an in-stream `:exception-type` stands for.
 *
 * @example
 * bedrockNameForStreamException('throttlingException'); // 'ThrottlingException'
 */
export function bedrockNameForStreamException(exceptionType: string): string {
  return exceptionType.charAt(0).toUpperCase() + exceptionType.slice(1);
}

/**
 * The error code in an `x-amzn-errortype` header or a body's `code` or
 * `__type`, cleaned as the AWS SDK cleans it: the part before `,` and `:`,
 * and the part after `#`.
 *
 * @example
 * sanitizeBedrockErrorCode('ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/'); // 'ThrottlingException'
 * sanitizeBedrockErrorCode('com.amazon.coral.service#UnrecognizedClientException'); // 'UnrecognizedClientException'
 */
export function sanitizeBedrockErrorCode(raw: string): string {
  let code = raw.split(',')[0] ?? '';
  code = code.split(':')[0] ?? '';
  if (code.includes('#')) code = code.split('#')[1] ?? '';
  return code.trim();
}
