import type { Platform } from '../catalog/types.js';
import type { GatewayError } from '../wire/errors/gateway-error.js';

/** Where the failing call went, to name it in the advice. */
export interface HintContext {
  /** The AWS region or Vertex location. */
  region?: string;
  /** The Google Cloud project. */
  project?: string;
}

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

function bedrockHint(error: GatewayError, region: string): string | undefined {
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

function vertexHint(error: GatewayError, context: HintContext): string | undefined {
  const project = context.project ? `project ${context.project}` : 'the project';
  if (error.code === 'PLATFORM_CREDENTIALS_UNAVAILABLE') {
    if (/no Google Cloud project/i.test(error.message)) {
      return 'set platforms.vertex.projectId or ANTHROPIC_VERTEX_PROJECT_ID';
    }
    return 'run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file';
  }
  if (error.status === 401) return 'run `gcloud auth application-default login` again, or check the key file';
  if (error.status === 403) {
    return (
      `enable the Claude model in Vertex AI Model Garden for ${project}, enable the Vertex AI API, ` +
      'and grant the principal roles/aiplatform.user'
    );
  }
  if (error.status === 404) {
    return `enable the model in Model Garden for ${project} and check that ${context.region ?? 'the location'} offers it (global offers the most)`;
  }
  if (error.status === 429) {
    return `ask for a higher Vertex AI quota for ${project} (IAM & Admin → Quotas), or add a failover target`;
  }
  return undefined;
}

function claudePlatformAwsHint(error: GatewayError): string | undefined {
  if (error.code === 'PLATFORM_CREDENTIALS_UNAVAILABLE' || error.status === 401) {
    return 'set platforms.claudePlatformAws.apiKey (a workspace API key) or AWS credentials for SigV4, and the workspaceId';
  }
  if (error.status === 403) {
    return 'grant aws-external-anthropic:CreateInference on the workspace, and check that the workspace is in this region';
  }
  return firstPartyHint('anthropic', error);
}

function firstPartyHint(platform: 'anthropic' | 'foundry', error: GatewayError): string | undefined {
  const key =
    platform === 'anthropic'
      ? 'ANTHROPIC_API_KEY (or platforms.anthropic.apiKey)'
      : 'ANTHROPIC_FOUNDRY_API_KEY (or platforms.foundry.apiKey) and the resource name';
  if (error.code === 'PLATFORM_CREDENTIALS_UNAVAILABLE' || error.status === 401) return `set a valid ${key}`;
  if (error.status === 403) return 'the key may not use this model: check its workspace or deployment';
  if (error.status === 404) {
    return platform === 'foundry'
      ? 'deploy the model in the Foundry resource under the name the catalog uses'
      : 'the API does not know this model id';
  }
  if (error.status === 429) return 'rate limited: wait, or ask for higher limits';
  return undefined;
}

/**
 * One line on what to do about a platform's failure, for `doctor` and
 * `Claude.verify()`: request model access, log in again, set the project.
 * Undefined when there is nothing better to say than the error itself.
 *
 * @example
 * fixHint('bedrock', error, { region: 'eu-west-1' });
 * // 'request model access in the Bedrock console for eu-west-1 (Bedrock → Model access), …'
 */
export function fixHint(
  platform: Platform,
  error: GatewayError,
  context: HintContext = {},
): string | undefined {
  if (error.code === 'UPSTREAM_UNREACHABLE' || error.code === 'UPSTREAM_TIMEOUT') {
    return `check the network path to ${platform} (proxy, firewall, VPC endpoint, or the endpoint setting)`;
  }
  switch (platform) {
    case 'bedrock':
    case 'bedrock-messages':
      return bedrockHint(error, context.region ?? 'the region');
    case 'claude-platform-aws':
      return claudePlatformAwsHint(error);
    case 'vertex':
      return vertexHint(error, context);
    default:
      return firstPartyHint(platform, error);
  }
}
