import { GatewayError } from '../../wire/errors/gateway-error.js';

/** Where the credentials were to come from, which decides the advice. */
export type AwsCredentialOrigin =
  | { kind: 'static' }
  | { kind: 'profile'; profile: string }
  | { kind: 'default-chain'; environmentProfile?: string }
  | { kind: 'custom' };

const SSO_PROBLEM =
  /\bsso\b|token (?:is |has )?expired|refresh(?:ing)? (?:the )?token|expired.*session|session.*expired/i;

/**
 * The error for AWS credentials that cannot be had, saying what to do about it
 * (`aws configure`, `aws sso login --profile X`, set AWS_PROFILE…).
 *
 * @example
 * awsCredentialsError({ kind: 'profile', profile: 'dev' }, new Error('The SSO session has expired'));
 * // GatewayError PLATFORM_CREDENTIALS_UNAVAILABLE: "… run `aws sso login --profile dev` …"
 */
export function awsCredentialsError(origin: AwsCredentialOrigin, cause: unknown): GatewayError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return GatewayError.fromCode(
    'PLATFORM_CREDENTIALS_UNAVAILABLE',
    { platform: 'Amazon Bedrock', reason: `${whatFailed(origin, detail)} ${advice(origin, detail)}` },
    { platform: 'bedrock', cause },
  );
}

function whatFailed(origin: AwsCredentialOrigin, detail: string): string {
  switch (origin.kind) {
    case 'static':
      return `the AWS access keys given are not usable (${detail}).`;
    case 'profile':
      return `could not load AWS credentials from profile "${origin.profile}" (${detail}).`;
    case 'default-chain':
      return `no AWS credentials were found by the default chain (${detail}).`;
    case 'custom':
      return `the AWS credential provider failed (${detail}).`;
  }
}

function advice(origin: AwsCredentialOrigin, detail: string): string {
  const profile =
    origin.kind === 'profile'
      ? origin.profile
      : origin.kind === 'default-chain'
        ? origin.environmentProfile
        : undefined;
  if (profile !== undefined && SSO_PROBLEM.test(detail)) {
    return `Run \`aws sso login --profile ${profile}\` to start a new SSO session.`;
  }
  switch (origin.kind) {
    case 'static':
      return 'Give both an access key id and a secret access key (and the session token of temporary keys).';
    case 'profile':
      return (
        `Check the [profile ${origin.profile}] section of ~/.aws/config (or AWS_CONFIG_FILE) and ~/.aws/credentials: ` +
        `run \`aws configure --profile ${origin.profile}\` for access keys, or ` +
        `\`aws sso login --profile ${origin.profile}\` if it uses IAM Identity Center (SSO).`
      );
    case 'default-chain':
      return (
        (profile === undefined
          ? ''
          : `AWS_PROFILE is "${profile}": check that profile, and run \`aws sso login --profile ${profile}\` if it uses SSO. `) +
        'Run `aws configure`, or set AWS_PROFILE to a configured profile (for SSO profiles run ' +
        '`aws sso login --profile <name>` first), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ' +
        'or set AWS_BEARER_TOKEN_BEDROCK to a Bedrock API key.'
      );
    case 'custom':
      return 'Check the credential provider passed in the configuration.';
  }
}
