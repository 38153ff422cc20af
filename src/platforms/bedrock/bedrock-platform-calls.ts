import { BEDROCK_SCOPES, type BedrockScope } from '../../catalog/types.js';
import { awsServiceEndpoint } from '../aws/aws-endpoint.js';
import type { PlatformCallContext, PlatformListItem } from '../descriptor.js';
import { missingAdapter } from '../missing-adapter.js';
import { BedrockAdapter } from './bedrock-adapter.js';
import { listBedrockModels } from './bedrock-models.js';
import { verifyAwsCredentials } from './verify-aws-credentials.js';

function scopeOf(profileId: string): BedrockScope | undefined {
  const prefix = profileId.split('.', 1)[0];
  return BEDROCK_SCOPES.find((scope) => scope === prefix);
}

/** Bedrock's own lists: ListFoundationModels and ListInferenceProfiles in the configured region. */
export async function listBedrockPlatform(context: PlatformCallContext): Promise<PlatformListItem[]> {
  const adapter = context.engine.adapters.bedrock;
  if (!(adapter instanceof BedrockAdapter)) return [];
  const controlEndpoint = awsServiceEndpoint('bedrock', context.platforms.bedrock ?? {});
  const list = await listBedrockModels({
    region: adapter.region,
    authorizer: adapter.authorizer,
    transport: context.engine.transport,
    ...(controlEndpoint ? { endpoint: controlEndpoint } : {}),
  });
  const items: PlatformListItem[] = [];
  for (const model of list.foundationModels) {
    items.push({
      platform: 'bedrock',
      id: model.modelId,
      kind: 'foundation-model',
      region: list.region,
      inferenceTypes: model.inferenceTypes,
      source: 'platform',
      ...(model.modelName ? { displayName: model.modelName } : {}),
      ...(model.lifecycleStatus ? { status: model.lifecycleStatus } : {}),
    });
  }
  for (const profile of list.inferenceProfiles) {
    const scope = scopeOf(profile.id);
    items.push({
      platform: 'bedrock',
      id: profile.id,
      kind: 'inference-profile',
      region: list.region,
      source: 'platform',
      ...(scope ? { scope } : {}),
      ...(profile.name ? { displayName: profile.name } : {}),
      ...(profile.status ? { status: profile.status } : {}),
    });
  }
  return items;
}

/** STS GetCallerIdentity, or the control plane for a Bedrock API key (STS does not take those). */
export async function verifyBedrockPlatform(context: PlatformCallContext): Promise<string> {
  const adapter = context.engine.adapters.bedrock;
  if (!(adapter instanceof BedrockAdapter)) return missingAdapter('bedrock');
  const settings = context.platforms.bedrock ?? {};
  const controlEndpoint = awsServiceEndpoint('bedrock', settings);
  const stsEndpoint = awsServiceEndpoint('sts', settings);
  const authorizer = adapter.authorizer;
  if (authorizer.mode === 'api-key' || !authorizer.credentials) {
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
