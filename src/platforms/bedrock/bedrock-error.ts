import { parseBedrockError } from '../../wire/errors/bedrock.js';
import { GatewayError } from '../../wire/errors/gateway-error.js';

const CREDENTIAL_EXCEPTIONS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'MissingAuthenticationTokenException',
  'IncompleteSignatureException',
]);

/**
 * A Bedrock HTTP error answer as a GatewayError: the exception name from
 * `x-amzn-errortype`, AWS's message kept, and the Anthropic error type it
 * stands for (throttling → rate_limit_error, service unavailable →
 * overloaded_error, access denied → permission_error, validation →
 * invalid_request_error). Access and credential errors get a hint on what to
 * do appended, naming the region.
 *
 * @example
 * const error = bedrockHttpError(403, headers, '{"message":"You don\'t have access to the model with the specified model ID."}', 'eu-west-1');
 * error.message; // "You don't have access … Request model access in the Bedrock console for eu-west-1 …"
 */
export function bedrockHttpError(
  status: number,
  headers: Headers,
  bodyText: string,
  region: string,
  /** How the gateway authenticated: a Bedrock API key needs other advice than AWS credentials. */
  authentication: 'api-key' | 'sigv4' = 'sigv4',
): GatewayError {
  const error = parseBedrockError(status, headers, bodyText);
  const hint = hintFor(error.upstreamCode, region, authentication);
  if (hint === undefined) return error;
  return new GatewayError({
    message: `${asSentence(error.message)} ${hint}`,
    status: error.status,
    type: error.type,
    platform: 'bedrock',
    upstreamCode: error.upstreamCode,
    retryable: error.retryable,
    retryAfterSeconds: error.retryAfterSeconds,
    requestId: error.requestId,
    cause: error,
  });
}

/** The text ending with a full stop, so a hint can follow it. */
function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function hintFor(
  exception: string | undefined,
  region: string,
  authentication: 'api-key' | 'sigv4',
): string | undefined {
  if (exception === 'AccessDeniedException') {
    return (
      `Request model access in the Bedrock console for ${region} (Model access), and check that the IAM ` +
      'identity may call bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream on this model or inference profile.'
    );
  }
  if (authentication === 'api-key' && exception !== undefined && CREDENTIAL_EXCEPTIONS.has(exception)) {
    return (
      `Check the Bedrock API key the gateway uses (platforms.bedrock.apiKey or AWS_BEARER_TOKEN_BEDROCK): it may be ` +
      `mistyped, expired or revoked, or made for another account or region than ${region}; generate a new one in the Bedrock console (API keys) if needed.`
    );
  }
  if (exception === 'ExpiredTokenException') {
    return 'The AWS credentials have expired: refresh them (for SSO profiles, `aws sso login --profile <name>`).';
  }
  if (exception !== undefined && CREDENTIAL_EXCEPTIONS.has(exception)) {
    return 'Check the AWS credentials the gateway uses (`aws sts get-caller-identity`, or `claude-gateway doctor`).';
  }
  return undefined;
}
