import type { Platform } from '../catalog/types.js';
import type { HintContext } from '../platforms/descriptor.js';
import { descriptorOf } from '../platforms/descriptors.js';
import type { GatewayError } from '../wire/errors/gateway-error.js';

export type { HintContext } from '../platforms/descriptor.js';

/**
 * One line on what to do about a platform's failure, for `doctor` and
 * `Claude.verify()`: request model access, log in again, set the project
 * (each platform's descriptor knows its own advice). Undefined when there is
 * nothing better to say than the error itself.
 *
 * @example
 * fixHint('bedrock', error, { region: 'eu-west-1' });
 * // 'request model access in the Bedrock console for eu-west-1 (Bedrock → Model access), …'
 */
export function fixHint(
  platform: Platform,
  error: GatewayError,
  context: HintContext = {},
): string | undefined {
  if (error.code === 'UPSTREAM_UNREACHABLE' || error.code === 'UPSTREAM_TIMEOUT') {
    return `check the network path to ${platform} (proxy, firewall, VPC endpoint, or the endpoint setting)`;
  }
  return descriptorOf(platform).fixHint(error, context);
}
