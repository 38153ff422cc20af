import type { Platform } from '../catalog/types.js';
import type { PlatformsConfig } from '../config/schema.js';
import type { Engine } from '../engine/engine.js';
import { verifyAnthropicKey } from '../platforms/anthropic/verify-anthropic-key.js';
import { awsServiceEndpoint } from '../platforms/aws/aws-endpoint.js';
import { BedrockAdapter } from '../platforms/bedrock/bedrock-adapter.js';
import { listBedrockModels } from '../platforms/bedrock/bedrock-models.js';
import { verifyAwsCredentials } from '../platforms/bedrock/verify-aws-credentials.js';
import { ClaudePlatformAwsAdapter } from '../platforms/claude-platform-aws/claude-platform-aws-adapter.js';
import { verifyGoogleCredentials } from '../platforms/google/verify-google-credentials.js';
import { checkCredentials } from '../platforms/preflight.js';
import { VertexAdapter } from '../platforms/vertex/vertex-adapter.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { ClaudeError } from './claude-error.js';
import { fixHint } from './fix-hint.js';
import type { TargetDefaults } from './target-selection.js';

/** One platform's check: what was found, or what failed and what to do about it. */
export interface PlatformCheck {
  platform: Platform;
  ok: boolean;
  /** Who the credentials act as (account, principal, project, region), or the error message. */
  detail: string;
  /** What to do about a failure. */
  hint?: string;
  error?: ClaudeError;
}

/** What the checks need of the client. */
export interface VerifyContext {
  engine: Engine;
  platforms: PlatformsConfig;
  defaults: TargetDefaults;
}

function missingAdapter(platform: Platform): never {
  throw GatewayError.fromCode(
    'INTERNAL_ERROR',
    { reason: `no ${platform} adapter was built` },
    { platform: 'gateway' },
  );
}

async function verifyBedrock(context: VerifyContext): Promise<string> {
  const adapter = context.engine.adapters.bedrock;
  if (!(adapter instanceof BedrockAdapter)) return missingAdapter('bedrock');
  const settings = context.platforms.bedrock ?? {};
  const controlEndpoint = awsServiceEndpoint('bedrock', settings);
  const stsEndpoint = awsServiceEndpoint('sts', settings);
  const authorizer = adapter.authorizer;
  if (authorizer.mode === 'api-key' || !authorizer.credentials) {
    // STS does not take Bedrock API keys: the control plane does.
    const list = await listBedrockModels({
      region: adapter.region,
      authorizer,
      transport: context.engine.transport,
      ...(controlEndpoint ? { endpoint: controlEndpoint } : {}),
    });
    return `Bedrock API key accepted in ${adapter.region} (${list.foundationModels.length} Claude models listed)`;
  }
  const identity = await verifyAwsCredentials({
    region: adapter.region,
    credentials: authorizer.credentials,
    transport: context.engine.transport,
    ...(stsEndpoint ? { endpoint: stsEndpoint } : {}),
  });
  return `AWS account ${identity.account} as ${identity.arn} (${authorizer.description}), region ${adapter.region}`;
}

async function verifyVertex(context: VerifyContext): Promise<string> {
  const adapter = context.engine.adapters.vertex;
  if (!(adapter instanceof VertexAdapter)) return missingAdapter('vertex');
  const report = await verifyGoogleCredentials(adapter.tokenSource);
  const who = report.principal ? ` as ${report.principal}` : '';
  const quota = report.quotaProjectId ? `, quota project ${report.quotaProjectId}` : '';
  return `${report.credentialType} credentials${who}, project ${report.projectId}${quota}, location ${context.defaults.vertexRegion}`;
}

async function verifyAnthropic(context: VerifyContext): Promise<string> {
  const settings = context.platforms.anthropic ?? {};
  const report = await verifyAnthropicKey({
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    ...(settings.authToken ? { authToken: settings.authToken } : {}),
    ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
  });
  const kind = report.authentication === 'api-key' ? 'API key' : 'auth token';
  return `${kind} accepted by ${report.baseUrl}${report.firstModel ? ` (models include ${report.firstModel})` : ''}`;
}

async function verifyFoundry(context: VerifyContext): Promise<string> {
  const [check] = await checkCredentials({ foundry: context.platforms.foundry ?? {} });
  if (!check?.ok) {
    throw GatewayError.fromCode(
      'PLATFORM_CREDENTIALS_UNAVAILABLE',
      { platform: 'Microsoft Foundry', reason: check?.detail ?? 'no credentials' },
      { platform: 'foundry', retryable: false },
    );
  }
  return `${check.detail} (found; Foundry has no identity call, so the first request proves them)`;
}

async function verifyClaudePlatformAws(context: VerifyContext): Promise<string> {
  const adapter = context.engine.adapters['claude-platform-aws'];
  if (!(adapter instanceof ClaudePlatformAwsAdapter)) return missingAdapter('claude-platform-aws');
  if (!adapter.workspaceId) {
    throw GatewayError.fromCode(
      'PLATFORM_CREDENTIALS_UNAVAILABLE',
      {
        platform: 'Claude Platform on AWS',
        reason: 'no workspace id: set platforms.claudePlatformAws.workspaceId or ANTHROPIC_AWS_WORKSPACE_ID',
      },
      { platform: 'claude-platform-aws', retryable: false },
    );
  }
  if (adapter.credentials) await adapter.credentials.get();
  return `${adapter.description}, workspace ${adapter.workspaceId}, region ${adapter.region} (the first request proves them)`;
}

const VERIFIERS: Record<Platform, (context: VerifyContext) => Promise<string>> = {
  anthropic: verifyAnthropic,
  bedrock: verifyBedrock,
  // The same credentials as the bedrock platform: the same check.
  'bedrock-messages': verifyBedrock,
  'claude-platform-aws': verifyClaudePlatformAws,
  vertex: verifyVertex,
  foundry: verifyFoundry,
};

/**
 * Checks one platform's credentials with a real call: STS
 * GetCallerIdentity (or the control plane for a Bedrock API key), a Google
 * token and the project, `GET /v1/models` for the Anthropic API. Never
 * throws: a failure is a result with the error and a hint.
 */
export async function verifyPlatform(platform: Platform, context: VerifyContext): Promise<PlatformCheck> {
  try {
    return { platform, ok: true, detail: await VERIFIERS[platform](context) };
  } catch (caught) {
    const error = ClaudeError.from(caught);
    const region = platform === 'bedrock' ? bedrockRegion(context) : context.defaults.vertexRegion;
    const hint = fixHint(platform, error, {
      region,
      ...(context.platforms.vertex?.projectId ? { project: context.platforms.vertex.projectId } : {}),
    });
    return { platform, ok: false, detail: error.message, ...(hint ? { hint } : {}), error };
  }
}

function bedrockRegion(context: VerifyContext): string {
  const adapter = context.engine.adapters.bedrock;
  return adapter instanceof BedrockAdapter ? adapter.region : context.defaults.bedrockRegion;
}
