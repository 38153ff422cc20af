import type { PlatformsConfig } from '../../config/schema.js';
import type { LocationLine } from '../descriptor.js';
import { foundryBaseUrl } from './foundry-base-url.js';

/** The Foundry resource's endpoint, or why it cannot be made. */
export function foundryLocation(settings: PlatformsConfig): LocationLine {
  const foundry = settings.foundry ?? {};
  try {
    const url = foundryBaseUrl({
      ...(foundry.resource ? { resource: foundry.resource } : {}),
      ...(foundry.baseUrl ? { baseUrl: foundry.baseUrl } : {}),
    });
    return { mark: '✓', label: 'endpoint', text: url };
  } catch (error) {
    return { mark: '✗', label: 'endpoint', text: (error as Error).message };
  }
}
