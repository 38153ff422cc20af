import { FirstPartyAdapter } from '../anthropic/first-party-adapter.js';
import type { BearerToken, FirstPartyCredentials } from '../anthropic/first-party-credentials.js';
import type { BetaMemory } from '../betas.js';
import { type FoundryLocationOptions, foundryBaseUrl } from './foundry-base-url.js';

export interface FoundryAdapterOptions extends FoundryLocationOptions {
  /** A Foundry resource key, sent as `x-api-key`. Default `ANTHROPIC_FOUNDRY_API_KEY`. */
  apiKey?: string;
  /**
   * A Microsoft Entra ID access token for the scope `https://ai.azure.com/.default`,
   * sent as `Authorization: Bearer`, or a function asked for one before every
   * request. This package has no Azure identity library: pass a token, or a
   * provider from `@azure/identity`, e.g.
   * `getBearerTokenProvider(new DefaultAzureCredential(), 'https://ai.azure.com/.default')`
   * (it caches and refreshes the token itself). Takes precedence over an API key.
   */
  entraToken?: BearerToken;
  /** Betas learned to be rejected, shared by the adapters of one engine. */
  betaMemory?: BetaMemory;
}

/**
 * The adapter for Claude on Microsoft Foundry: the first-party Messages API
 * under `https://{resource}.services.ai.azure.com/anthropic`, with `model`
 * kept as the Foundry deployment name, authenticated by a resource key
 * (`x-api-key`) or an Entra ID bearer token. Built on the same code as the
 * Anthropic API adapter.
 *
 * @example
 * const foundry = createFoundryAdapter({ resource: 'my-resource', apiKey: process.env.ANTHROPIC_FOUNDRY_API_KEY });
 * const { request } = foundry.prepareMessages(call, target); // POST https://my-resource.services.ai.azure.com/anthropic/v1/messages
 */
export function createFoundryAdapter(options: FoundryAdapterOptions = {}): FirstPartyAdapter {
  return new FirstPartyAdapter({
    platform: 'foundry',
    baseUrl: foundryBaseUrl(options),
    credentials: foundryCredentials(options),
    missingCredentials:
      'no credentials are configured; set `apiKey` for the foundry platform or the ANTHROPIC_FOUNDRY_API_KEY ' +
      'environment variable, or pass an Entra ID token provider as `entraToken`',
    authenticationHint:
      'check the Foundry key (ANTHROPIC_FOUNDRY_API_KEY) or that the Entra ID token is for the scope ' +
      'https://ai.azure.com/.default and the identity has access to the resource',
    ...(options.betaMemory ? { betaMemory: options.betaMemory } : {}),
  });
}

function foundryCredentials(options: FoundryAdapterOptions): FirstPartyCredentials | undefined {
  if (options.entraToken) return { kind: 'bearer', token: options.entraToken };
  const apiKey = options.apiKey ?? process.env['ANTHROPIC_FOUNDRY_API_KEY'];
  return apiKey ? { kind: 'api-key', apiKey } : undefined;
}
