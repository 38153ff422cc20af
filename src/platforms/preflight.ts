import type { Platform } from '../catalog/types.js';
import type { PlatformsConfig } from '../config/schema.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { anthropicCredentials } from './anthropic/anthropic-credentials.js';
import { createAwsAuthorizer } from './aws/aws-authorizer.js';
import { resolveAwsRegion } from './aws/aws-region.js';
import { foundryBaseUrl } from './foundry/foundry-base-url.js';
import { createGoogleTokenSource } from './google/google-token-source.js';

/** What a platform's credentials look like at start: found (and what they are), or what to fix. */
export interface CredentialCheck {
  platform: Platform;
  ok: boolean;
  /** Where the credentials came from, or what is wrong and how to fix it. */
  detail: string;
}

function problem(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** AWS credentials as Bedrock and Claude Platform on AWS find them: an API key, or the AWS chain in a region. */
async function checkAws(
  platform: 'bedrock' | 'claude-platform-aws',
  config: NonNullable<PlatformsConfig['bedrock']> | NonNullable<PlatformsConfig['claudePlatformAws']>,
  env: Readonly<Record<string, string | undefined>>,
  keyName: string,
): Promise<CredentialCheck> {
  // The same resolution the routing table uses for targets that name no region.
  const region = resolveAwsRegion({
    ...(config.region ? { explicit: config.region } : {}),
    ...(config.profile ? { profile: config.profile } : {}),
    env,
  });
  const authorizer = createAwsAuthorizer({
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
    ...(config.accessKeyId && config.secretAccessKey
      ? {
          credentials: {
            accessKeyId: config.accessKeyId,
            secretAccessKey: config.secretAccessKey,
            ...(config.sessionToken ? { sessionToken: config.sessionToken } : {}),
          },
        }
      : config.profile
        ? { credentials: { profile: config.profile } }
        : {}),
  });
  const where = `region ${region.region} (from ${region.source})`;
  if (authorizer.mode === 'api-key') return { platform, ok: true, detail: `${keyName}, ${where}` };
  try {
    await authorizer.credentials?.get();
    return { platform, ok: true, detail: `${authorizer.description}, ${where}` };
  } catch (error) {
    return { platform, ok: false, detail: problem(error) };
  }
}

/** Claude Platform on AWS: a workspace id (every request needs it), then a workspace key or AWS credentials. */
async function checkClaudePlatformAws(
  config: NonNullable<PlatformsConfig['claudePlatformAws']>,
  env: Readonly<Record<string, string | undefined>>,
): Promise<CredentialCheck> {
  const workspace = config.workspaceId ?? env['ANTHROPIC_AWS_WORKSPACE_ID']?.trim();
  if (!workspace) {
    return {
      platform: 'claude-platform-aws',
      ok: false,
      detail:
        'no workspace id: set platforms.claudePlatformAws.workspaceId or ANTHROPIC_AWS_WORKSPACE_ID ' +
        '(wrkspc_…, from the Claude Platform on AWS console); every request needs it',
    };
  }
  const credentials = await checkAws('claude-platform-aws', config, env, 'workspace API key');
  return credentials.ok
    ? { ...credentials, detail: `${credentials.detail}, workspace ${workspace}` }
    : credentials;
}

async function checkVertex(config: NonNullable<PlatformsConfig['vertex']>): Promise<CredentialCheck> {
  const source = createGoogleTokenSource({
    ...(config.projectId ? { projectId: config.projectId } : {}),
    ...(config.keyFile ? { keyFile: config.keyFile } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    ...(config.accessToken ? { accessToken: config.accessToken } : {}),
    ...(config.quotaProjectId ? { quotaProjectId: config.quotaProjectId } : {}),
    ...(config.tokenUrl ? { tokenUrl: config.tokenUrl } : {}),
  });
  try {
    await source.getAccessToken();
    const project = await source.getProjectId();
    const described = await source.describeCredentials();
    const who = described.principal ? ` as ${described.principal}` : '';
    return {
      platform: 'vertex',
      ok: true,
      detail: `${described.type} credentials${who}, project ${project}, location ${config.region ?? process.env['CLOUD_ML_REGION'] ?? 'global'}`,
    };
  } catch (error) {
    return { platform: 'vertex', ok: false, detail: problem(error) };
  }
}

function checkAnthropic(config: NonNullable<PlatformsConfig['anthropic']>): CredentialCheck {
  const credentials = anthropicCredentials({
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
    ...(config.authToken ? { authToken: config.authToken } : {}),
  });
  if (!credentials) {
    return {
      platform: 'anthropic',
      ok: false,
      detail:
        'no API key: set platforms.anthropic.apiKey or ANTHROPIC_API_KEY (or an auth token in ANTHROPIC_AUTH_TOKEN)',
    };
  }
  return {
    platform: 'anthropic',
    ok: true,
    detail: credentials.kind === 'api-key' ? 'API key' : 'auth token',
  };
}

function checkFoundry(config: NonNullable<PlatformsConfig['foundry']>): CredentialCheck {
  try {
    const baseUrl = foundryBaseUrl({
      ...(config.resource ? { resource: config.resource } : {}),
      ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
    });
    const key = config.apiKey ?? process.env['ANTHROPIC_FOUNDRY_API_KEY'];
    if (!key && !config.entraToken) {
      return {
        platform: 'foundry',
        ok: false,
        detail:
          'no credentials: set platforms.foundry.apiKey or ANTHROPIC_FOUNDRY_API_KEY, or an Entra ID token in platforms.foundry.entraToken',
      };
    }
    return {
      platform: 'foundry',
      ok: true,
      detail: `${key ? 'resource key' : 'Entra ID token'} for ${baseUrl}`,
    };
  } catch (error) {
    return { platform: 'foundry', ok: false, detail: problem(error) };
  }
}

/**
 * Looks for each configured platform's credentials the way the adapters will
 * (without calling the platform): the AWS chain, Google ADC, API keys.
 */
export async function checkCredentials(
  platforms: PlatformsConfig,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<CredentialCheck[]> {
  const checks: Promise<CredentialCheck>[] = [];
  if (platforms.anthropic) checks.push(Promise.resolve(checkAnthropic(platforms.anthropic)));
  if (platforms.bedrock) checks.push(checkAws('bedrock', platforms.bedrock, env, 'Bedrock API key'));
  if (platforms.claudePlatformAws) checks.push(checkClaudePlatformAws(platforms.claudePlatformAws, env));
  if (platforms.vertex) checks.push(checkVertex(platforms.vertex));
  if (platforms.foundry) checks.push(Promise.resolve(checkFoundry(platforms.foundry)));
  return Promise.all(
    checks.map((check) =>
      check.catch((error: unknown) => ({
        platform: 'anthropic' as Platform,
        ok: false,
        detail: GatewayError.from(error).message,
      })),
    ),
  );
}
