import { ENDPOINTS } from '../../catalog/platforms.js';
import { CLIENT_BETAS, FIRST_PARTY_ONLY_BETAS, SHARED_BETAS } from '../beta-support.js';
import type { PlatformDescriptor } from '../descriptor.js';
import { singleEndpointTargetRules } from '../single-endpoint-targets.js';
import { ANTHROPIC_KEY, firstPartyHint } from './first-party-fix-hint.js';

/** The Anthropic API (first party): the Messages API itself, SSE, `x-api-key`. */
export const anthropicDescriptor: PlatformDescriptor = {
  name: 'anthropic',
  displayName: 'the Anthropic API',
  configKey: 'anthropic',
  ownsConfigSection: true,
  streamFraming: 'sse',
  errorDialect: 'anthropic',
  genAiProviderName: 'anthropic',
  credentialCheck: 'Anthropic API key (GET /v1/models)',
  targets: singleEndpointTargetRules('anthropic'),
  betas: {
    accepted: [...SHARED_BETAS, ...CLIENT_BETAS, ...FIRST_PARTY_ONLY_BETAS],
    rejected: [],
    unknown: 'accept',
  },
  apiVersions: { accepted: ['2023-06-01', '2026-10-21'] },
  maxBodyBytes: 32 * 1024 * 1024,
  lifecycle: { datesOf: 'anthropic', anthropicDates: true },
  regionalPremium: () => false,
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
