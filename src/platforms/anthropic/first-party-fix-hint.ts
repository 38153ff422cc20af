import type { GatewayError } from '../../wire/errors/gateway-error.js';

/** Where the key of each first-party-shaped platform is set, for the hints. */
export const ANTHROPIC_KEY = 'ANTHROPIC_API_KEY (or platforms.anthropic.apiKey)';

/**
 * What to do about a failure on a platform with the first-party API's shape:
 * `key` says where its key is set, `notFound` what a 404 means there.
 */
export function firstPartyHint(key: string, notFound: string, error: GatewayError): string | undefined {
  if (error.code === 'PLATFORM_CREDENTIALS_UNAVAILABLE' || error.status === 401) return `set a valid ${key}`;
  if (error.status === 403) return 'the key may not use this model: check its workspace or deployment';
  if (error.status === 404) return notFound;
  if (error.status === 429) return 'rate limited: wait, or ask for higher limits';
  return undefined;
}
