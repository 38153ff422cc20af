import { firstPartyHint } from '../anthropic/first-party-fix-hint.js';
import { FIRST_PARTY_SHAPE } from '../anthropic/first-party-shape.js';
import type { PlatformDescriptor } from '../descriptor.js';
import { singleEndpointTargetRules } from '../single-endpoint-targets.js';

/** Microsoft Foundry: the Messages API under `https://{resource}.services.ai.azure.com/anthropic`. */
export const foundryDescriptor: PlatformDescriptor = {
  name: 'foundry',
  displayName: 'Microsoft Foundry',
  configKey: 'foundry',
  ownsConfigSection: true,
  ...FIRST_PARTY_SHAPE,
  genAiProviderName: 'azure.ai.inference',
  credentialCheck: 'Foundry credentials',
  targets: singleEndpointTargetRules('foundry'),
  // "Hosted on Anthropic" and "Hosted on Azure" alike: Anthropic's dates unless the data has Foundry's own.
  lifecycle: { datesOf: 'foundry', anthropicDates: true },
  modelId: (resolved) => resolved.ids.foundry,
  catalogId: (model) => model.foundryId,
  fixHint: (error) =>
    firstPartyHint(
      'ANTHROPIC_FOUNDRY_API_KEY (or platforms.foundry.apiKey) and the resource name',
      'deploy the model in the Foundry resource under the name the catalog uses',
      error,
    ),
  listModels: async () => (await import('../catalog-listing.js')).listFromCatalog(foundryDescriptor),
  verify: async (context) => (await import('./foundry-platform-calls.js')).verifyFoundryPlatform(context),
  location: async (settings) => (await import('./foundry-location.js')).foundryLocation(settings),
  catalogView: async (input) => (await import('./foundry-catalog-view.js')).foundryCatalogView(input),
};
