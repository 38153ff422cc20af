import type { Platform } from '../catalog/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';

/** Thrown by a platform call when the engine has no adapter of the expected kind for it (a wiring mistake). */
export function missingAdapter(platform: Platform): never {
  throw GatewayError.fromCode(
    'INTERNAL_ERROR',
    { reason: `no ${platform} adapter was built` },
    { platform: 'gateway' },
  );
}
