import { GatewayError } from '../../wire/errors/gateway-error.js';
import type { PlatformCallContext } from '../descriptor.js';
import { checkCredentials } from '../preflight.js';

/** Foundry has no identity call: the credentials are looked for, and the first request proves them. */
export async function verifyFoundryPlatform(context: PlatformCallContext): Promise<string> {
  const [check] = await checkCredentials({ foundry: context.platforms.foundry ?? {} });
  if (!check?.ok) {
    throw GatewayError.fromCode(
      'PLATFORM_CREDENTIALS_UNAVAILABLE',
      { platform: 'Microsoft Foundry', reason: check?.detail ?? 'no credentials' },
      { platform: 'foundry', retryable: false },
    );
  }
  return `${check.detail} (found; Foundry has no identity call, so the first request proves them)`;
}
