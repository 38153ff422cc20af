import type { ResolvedModel } from '../catalog/resolve.js';
import type { Platform, Target } from '../catalog/types.js';
import type { TargetDefaults as PlatformTargetDefaults } from '../platforms/descriptor.js';
import { descriptorOf } from '../platforms/descriptors.js';
import type { TargetChoice } from './claude-options.js';

export { bedrockTargetFor } from '../platforms/bedrock/bedrock-targets.js';

/** The regions targets default to: the Bedrock region and the Vertex location the platforms are set to. */
export type TargetDefaults = Required<PlatformTargetDefaults>;

/** The one target a platform offers for a model (its descriptor's choice: Bedrock picks a profile or region). */
export function platformTargetFor(
  platform: Platform,
  resolved: ResolvedModel,
  defaults: TargetDefaults,
): Target {
  return descriptorOf(platform).targets.forModel(resolved, defaults);
}

/**
 * The targets to try for a model, in order: the fixed failover list, or each
 * chosen platform's best target for it.
 */
export function targetsFor(
  choice: TargetChoice,
  resolved: ResolvedModel,
  defaults: TargetDefaults,
): Target[] {
  if (choice.kind === 'fixed') return choice.targets;
  return choice.platforms.map((platform) => platformTargetFor(platform, resolved, defaults));
}
