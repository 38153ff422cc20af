import type { GatewayError } from '../../wire/errors/gateway-error.js';

const AWS_CREDENTIAL_CODES = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
]);

const AWS_LOGIN =
  'check the AWS credentials: `aws configure` (access keys), `aws sso login --profile <name>` (SSO), ' +
  'AWS_PROFILE, or accessKeyId/secretAccessKey under platforms.bedrock';

/** What to do about a failure on either Bedrock integration. */
export function bedrockHint(error: GatewayError, region: string): string | undefined {
  const code = error.upstreamCode ?? '';
  if (code === 'AccessDeniedException' || code === 'AccessDenied') {
    return (
      `request model access in the Bedrock console for ${region} (Bedrock → Model access), and let the IAM ` +
      'identity call bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream and bedrock:CountTokens'
    );
  }
  if (/expired/i.test(code)) return 'refresh the AWS credentials (`aws sso login --profile <name>` for SSO)';
  if (AWS_CREDENTIAL_CODES.has(code) || error.type === 'authentication_error') return AWS_LOGIN;
  if (error.code === 'PLATFORM_CREDENTIALS_UNAVAILABLE') {
    return 'set up AWS credentials: `aws configure`, AWS_PROFILE (run `aws sso login` for SSO), or AWS_BEARER_TOKEN_BEDROCK';
  }
  if (code === 'ValidationException' && /model identifier is invalid/i.test(error.message)) {
    return (
      `this model id or inference profile cannot be called in ${region}; see the scopes callable there ` +
      `with \`claude-gateway models --platform bedrock --region ${region}\``
    );
  }
  if (code === 'ResourceNotFoundException' || error.status === 404) {
    return `the model is not offered in ${region}; pick another region or scope`;
  }
  if (error.status === 429) {
    return `Bedrock is throttling: ask for a higher quota in Service Quotas for ${region}, or add a failover target`;
  }
  return undefined;
}
