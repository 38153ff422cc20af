import { ENDPOINTS } from '../../catalog/platforms.js';
import type { PlatformDescriptor } from '../descriptor.js';
import { singleEndpointTargetRules } from '../single-endpoint-targets.js';
import { ANTHROPIC_KEY, firstPartyHint } from './first-party-fix-hint.js';
import { FIRST_PARTY_SHAPE } from './first-party-shape.js';

/** The Anthropic API (first party): the Messages API itself, SSE, `x-api-key`. */
export const anthropicDescriptor: PlatformDescriptor = {
  name: 'anthropic',
  displayName: 'the Anthropic API',
  configKey: 'anthropic',
  ownsConfigSection: true,
  ...FIRST_PARTY_SHAPE,
  genAiProviderName: 'anthropic',
  credentialCheck: 'Anthropic API key (GET /v1/models)',
  targets: singleEndpointTargetRules('anthropic'),
  lifecycle: { datesOf: 'anthropic', anthropicDates: true },
  modelId: (resolved) => resolved.ids.anthropic,
  catalogId: (model) => (model.offeredBy.includes('anthropic') ? model.anthropicId : undefined),
  fixHint: (error) => firstPartyHint(ANTHROPIC_KEY, 'the API does not know this model id', error),
  listModels: async (context) =>
    (await import('./anthropic-platform-calls.js')).listAnthropicPlatform(context),
  verify: async (context) => (await import('./anthropic-platform-calls.js')).verifyAnthropicPlatform(context),
  location: async (settings) => ({
    mark: '✓',
    label: 'endpoint',
    text: settings.anthropic?.baseUrl ?? ENDPOINTS.anthropic,
  }),
  catalogView: async (input) => (await import('./anthropic-catalog-view.js')).anthropicCatalogView(input),
};
