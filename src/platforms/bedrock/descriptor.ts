import { BEDROCK_SCOPES } from '../../catalog/types.js';
import { CLIENT_BETAS, FIRST_PARTY_ONLY_BETAS, SHARED_BETAS } from '../beta-support.js';
import type { PlatformDescriptor } from '../descriptor.js';
import { bedrockHint } from './bedrock-fix-hint.js';
import { bedrockModelId } from './bedrock-model-id.js';
import { bedrockTargetRules } from './bedrock-targets.js';

const targets = bedrockTargetRules('bedrock', 'Amazon Bedrock', BEDROCK_SCOPES);

/**
 * Amazon Bedrock's legacy integration: InvokeModel and
 * InvokeModelWithResponseStream with ARN-versioned ids, AWS event-stream,
 * betas in the body's `anthropic_beta`.
 */
export const bedrockDescriptor: PlatformDescriptor = {
  name: 'bedrock',
  displayName: 'Amazon Bedrock',
  configKey: 'bedrock',
  ownsConfigSection: true,
  streamFraming: 'aws-eventstream',
  errorDialect: 'bedrock',
  genAiProviderName: 'aws.bedrock',
  credentialCheck: 'AWS credentials (STS GetCallerIdentity)',
  targets: { ...targets, defaults: () => ['bedrock/global', 'bedrock/us'] },
  betas: {
    accepted: [...SHARED_BETAS, ...CLIENT_BETAS],
    rejected: FIRST_PARTY_ONLY_BETAS,
    unknown: 'reject',
  },
  // In the body. The official SDKs ≥ 1.0 copy their `anthropic-version` (2026-10-21) there; the
  // legacy models refuse it: their catalog rows narrow the list (`apiVersions.bedrock`).
  apiVersions: { accepted: ['bedrock-2023-05-31', '2026-10-21'] },
  maxBodyBytes: 25_000_000,
  // Amazon sets its own dates: Anthropic's do not retire a model here.
  lifecycle: { datesOf: 'bedrock', anthropicDates: false },
  // The global profile has no premium; geographic profiles and in-region ids cost 10% more.
  regionalPremium: (target) => target.scope !== 'global',
  modelId: (resolved, target) => bedrockModelId(resolved, target.scope),
  catalogId: (model) => model.bedrock?.baseId,
  fixHint: (error, context) => bedrockHint(error, context.region ?? 'the region'),
  listModels: async (context) => (await import('./bedrock-platform-calls.js')).listBedrockPlatform(context),
  verify: async (context) => (await import('./bedrock-platform-calls.js')).verifyBedrockPlatform(context),
  location: async (settings, env) => (await import('./bedrock-location.js')).bedrockLocation(settings, env),
  catalogView: async (input) => (await import('./bedrock-catalog-view.js')).bedrockCatalogView(input),
};
