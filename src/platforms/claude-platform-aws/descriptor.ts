import { FIRST_PARTY_SHAPE } from '../anthropic/first-party-shape.js';
import type { PlatformDescriptor } from '../descriptor.js';
import { singleEndpointTargetRules } from '../single-endpoint-targets.js';
import { claudePlatformAwsHint } from './claude-platform-aws-fix-hint.js';

/**
 * Claude Platform on AWS: Anthropic-operated, billed through AWS Marketplace,
 * the whole Claude API at `aws-external-anthropic.{region}.api.aws`
 * (https://platform.claude.com/docs/en/build-with-claude/claude-platform-on-aws).
 */
export const claudePlatformAwsDescriptor: PlatformDescriptor = {
  name: 'claude-platform-aws',
  displayName: 'Claude Platform on AWS',
  configKey: 'claudePlatformAws',
  ownsConfigSection: true,
  ...FIRST_PARTY_SHAPE,
  // Operated by Anthropic, billed through AWS.
  genAiProviderName: 'anthropic',
  credentialCheck: 'Claude Platform on AWS credentials and workspace',
  // Its region is the workspace's, from the configuration; its data "may not reside in AWS": global.
  targets: singleEndpointTargetRules('claude-platform-aws'),
  // Anthropic-operated: Anthropic's retirement dates apply.
  lifecycle: { datesOf: 'claude-platform-aws', anthropicDates: true },
  // The first-party ids (https://docs.aws.amazon.com/claude-platform/latest/userguide/models.html).
  modelId: (resolved) => resolved.model?.claudePlatformAwsId ?? resolved.ids.anthropic,
  catalogId: (model) => model.claudePlatformAwsId,
  fixHint: (error) => claudePlatformAwsHint(error),
  listModels: async () =>
    (await import('../catalog-listing.js')).listFromCatalog(claudePlatformAwsDescriptor),
  verify: async (context) =>
    (await import('./claude-platform-aws-platform-calls.js')).verifyClaudePlatformAwsPlatform(context),
  location: async (settings, env) =>
    (await import('./claude-platform-aws-location.js')).claudePlatformAwsLocation(settings, env),
  catalogView: async (input) =>
    (await import('../catalog-view.js')).catalogIdView(claudePlatformAwsDescriptor, input),
};
