import { ENDPOINTS } from '../../catalog/platforms.js';
import type { BetaMemory } from '../betas.js';
import {
  type AnthropicCredentialOptions,
  anthropicCredentials,
  MISSING_ANTHROPIC_CREDENTIALS,
} from './anthropic-credentials.js';
import { FirstPartyAdapter } from './first-party-adapter.js';

export interface AnthropicAdapterOptions extends AnthropicCredentialOptions {
  /** Default `https://api.anthropic.com` (a proxy, the emulator). `ANTHROPIC_BASE_URL` is not read: it points clients at the gateway. */
  baseUrl?: string;
  /** Betas learned to be rejected, shared by the adapters of one engine. */
  betaMemory?: BetaMemory;
}

/**
 * The adapter for the Anthropic API: `POST /v1/messages` and
 * `/v1/messages/count_tokens` with `x-api-key` (or a bearer auth token),
 * `anthropic-version` and `anthropic-beta` headers, and the body as the
 * client sent it with `model` set to the first-party id.
 *
 * @example
 * const anthropic = createAnthropicAdapter({ apiKey: process.env.ANTHROPIC_API_KEY });
 * const { request } = anthropic.prepareMessages(call, target);
 * const response = await transport.send(await anthropic.authorize(request, target), 'anthropic');
 */
export function createAnthropicAdapter(options: AnthropicAdapterOptions = {}): FirstPartyAdapter {
  return new FirstPartyAdapter({
    platform: 'anthropic',
    baseUrl: options.baseUrl ?? ENDPOINTS.anthropic,
    credentials: anthropicCredentials(options),
    missingCredentials: MISSING_ANTHROPIC_CREDENTIALS,
    authenticationHint: 'check the API key: `apiKey` for the anthropic platform or ANTHROPIC_API_KEY',
    ...(options.betaMemory ? { betaMemory: options.betaMemory } : {}),
  });
}
