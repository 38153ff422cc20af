import { bedrockHint } from '../bedrock/bedrock-fix-hint.js';
import { bedrockModelId } from '../bedrock/bedrock-model-id.js';
import { BEDROCK_MESSAGES_SCOPES, bedrockTargetRules } from '../bedrock/bedrock-targets.js';
import type { PlatformDescriptor } from '../descriptor.js';

/**
 * "Claude in Amazon Bedrock": the Messages API at `…/anthropic/v1/messages` on
 * `bedrock-runtime` or `bedrock-mantle` (Claude 4.7 and later), first-party
 * body with the model inside, SSE. Configured by the `bedrock` section.
 */
export const bedrockMessagesDescriptor: PlatformDescriptor = {
  name: 'bedrock-messages',
  displayName: "Amazon Bedrock's Messages API",
  configKey: 'bedrock',
  ownsConfigSection: false,
  streamFraming: 'sse',
  // Not published for the Messages hosts (unconfirmed): taken to be the first party's shape.
  errorDialect: 'anthropic',
  genAiProviderName: 'aws.bedrock',
  credentialCheck: 'AWS credentials (STS GetCallerIdentity)',
  targets: bedrockTargetRules('bedrock-messages', "Bedrock's Messages API", BEDROCK_MESSAGES_SCOPES),
  // `anthropic-beta` is not supported there (PLATFORMS-2026.md; AWS user guide,
  // https://docs.aws.amazon.com/bedrock/latest/userguide/inference-messages-api.html).
  betas: { accepted: [], rejected: [], unknown: 'reject', refusesAll: true },
  // A header on both hosts (the AWS guide's Mantle example sends 2023-06-01). 2026-10-21 is
  // accepted: only Claude 4.7 and later are served there.
  apiVersions: { accepted: ['2023-06-01', '2026-10-21'] },
  // Not published for the Messages hosts: Bedrock's own limit is assumed.
  maxBodyBytes: 25_000_000,
  // Bedrock's dates, as for InvokeModel.
  lifecycle: { datesOf: 'bedrock', anthropicDates: false },
  regionalPremium: (target) => target.scope !== 'global',
  modelId: (resolved, target) => bedrockModelId(resolved, target.scope, 'messages'),
  // Only the models of Bedrock's new integration are served there.
  catalogId: (model) =>
    model.bedrock && model.bedrock.integration !== 'invoke'
      ? (model.bedrock.messagesId ?? model.bedrock.baseId)
      : undefined,
  fixHint: (error, context) => bedrockHint(error, context.region ?? 'the region'),
  listModels: async () => (await import('../catalog-listing.js')).listFromCatalog(bedrockMessagesDescriptor),
  // The same credentials as InvokeModel: the same check.
  verify: async (context) =>
    (await import('../bedrock/bedrock-platform-calls.js')).verifyBedrockPlatform(context),
  location: async (settings, env) =>
    (await import('../bedrock/bedrock-location.js')).bedrockLocation(settings, env),
  catalogView: async (input) =>
    (await import('../catalog-view.js')).catalogIdView(bedrockMessagesDescriptor, input),
};
