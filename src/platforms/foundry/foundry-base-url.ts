import { ENDPOINTS } from '../../catalog/platforms.js';
import { GatewayError } from '../../wire/errors/index.js';

export interface FoundryLocationOptions {
  /** The Foundry resource name: `https://{resource}.services.ai.azure.com/anthropic`. Default `ANTHROPIC_FOUNDRY_RESOURCE`. */
  resource?: string;
  /** The whole base URL (a proxy, the emulator). Default `ANTHROPIC_FOUNDRY_BASE_URL`. */
  baseUrl?: string;
}

/**
 * Where Microsoft Foundry is: an explicit `baseUrl` or `resource`, else
 * `ANTHROPIC_FOUNDRY_BASE_URL`, else `ANTHROPIC_FOUNDRY_RESOURCE`. Throws
 * PLATFORM_CREDENTIALS_UNAVAILABLE naming the settings when none is given.
 *
 * @example
 * foundryBaseUrl({ resource: 'my-resource' }); // 'https://my-resource.services.ai.azure.com/anthropic'
 */
export function foundryBaseUrl(options: FoundryLocationOptions = {}): string {
  if (options.baseUrl) return options.baseUrl;
  if (options.resource) return ENDPOINTS.foundry(options.resource);
  const baseUrl = process.env['ANTHROPIC_FOUNDRY_BASE_URL'];
  if (baseUrl) return baseUrl;
  const resource = process.env['ANTHROPIC_FOUNDRY_RESOURCE'];
  if (resource) return ENDPOINTS.foundry(resource);
  throw GatewayError.fromCode(
    'PLATFORM_CREDENTIALS_UNAVAILABLE',
    {
      platform: 'Microsoft Foundry',
      reason:
        'no Foundry resource is configured; set `resource` (or `baseUrl`) for the foundry platform, ' +
        'or the ANTHROPIC_FOUNDRY_RESOURCE (or ANTHROPIC_FOUNDRY_BASE_URL) environment variable',
    },
    { platform: 'foundry', retryable: false },
  );
}
