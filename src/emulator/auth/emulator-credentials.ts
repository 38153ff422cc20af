/** The credentials the emulator accepts, one of each kind. Every field can be overridden. */
export interface EmulatorCredentials {
  /** AWS access key id accepted for SigV4 (Bedrock runtime, control plane, STS). */
  awsAccessKeyId: string;
  /** The secret that belongs to `awsAccessKeyId`. */
  awsSecretAccessKey: string;
  /** The AWS account every AWS identity belongs to. */
  awsAccountId: string;
  /** A Bedrock API key (`Authorization: Bearer <key>`, what `AWS_BEARER_TOKEN_BEDROCK` holds). */
  bedrockApiKey: string;
  /** An Anthropic API key (`x-api-key`). */
  anthropicApiKey: string;
  /** A Claude Platform on AWS workspace API key (`Authorization: Bearer`, what ANTHROPIC_AWS_API_KEY holds). */
  claudePlatformAwsApiKey: string;
  /** The Claude Platform on AWS workspace requests must name in `anthropic-workspace-id`. */
  claudePlatformAwsWorkspaceId: string;
  /** The Google Cloud project the emulator's Vertex AI and metadata server belong to. */
  vertexProjectId: string;
  /** The e-mail of the emulator's own service account (and of the metadata server's default account). */
  googleServiceAccountEmail: string;
  /** OAuth client id of the emulator's `authorized_user` credential (what gcloud's ADC file holds). */
  googleClientId: string;
  /** OAuth client secret of the `authorized_user` credential. */
  googleClientSecret: string;
  /** Refresh token of the `authorized_user` credential. */
  googleRefreshToken: string;
  /** The user the `authorized_user` credential stands for. */
  googleUserEmail: string;
}

/** The values used when nothing is overridden. */
export const defaultEmulatorCredentials: Readonly<EmulatorCredentials> = Object.freeze({
  awsAccessKeyId: 'AKIDEMULATOR',
  awsSecretAccessKey: 'emulator-secret',
  awsAccountId: '123456789012',
  bedrockApiKey: 'emulator-bedrock-key',
  anthropicApiKey: 'sk-ant-emulator',
  claudePlatformAwsApiKey: 'emulator-aws-workspace-key',
  claudePlatformAwsWorkspaceId: 'wrkspc_emulator',
  vertexProjectId: 'emulator-project',
  googleServiceAccountEmail: 'emulator@emulator-project.iam.gserviceaccount.com',
  googleClientId: 'emulator-client.apps.googleusercontent.com',
  googleClientSecret: 'emulator-client-secret',
  googleRefreshToken: '1//emulator-refresh-token',
  googleUserEmail: 'emulator-user@example.com',
});

/**
 * The emulator's credentials: the defaults with `overrides` laid over them.
 *
 * @example
 * const credentials = resolveEmulatorCredentials({ awsAccessKeyId: 'AKIDTEST' });
 * credentials.awsSecretAccessKey; // 'emulator-secret'
 * resolveEmulatorCredentials({ vertexProjectId: 'p' }).googleServiceAccountEmail; // 'emulator@p.iam.gserviceaccount.com'
 */
export function resolveEmulatorCredentials(
  overrides: Partial<EmulatorCredentials> = {},
): EmulatorCredentials {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const resolved: EmulatorCredentials = { ...defaultEmulatorCredentials, ...defined };
  if (overrides.vertexProjectId !== undefined && overrides.googleServiceAccountEmail === undefined) {
    resolved.googleServiceAccountEmail = `emulator@${resolved.vertexProjectId}.iam.gserviceaccount.com`;
  }
  return resolved;
}
