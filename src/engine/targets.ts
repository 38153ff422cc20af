import { geoLabel, geoWithin } from '../catalog/geographies.js';
import { type Geo, PLATFORMS, type Platform, type Target } from '../catalog/types.js';
import type { TargetDefaults } from '../platforms/descriptor.js';
import { descriptorOf } from '../platforms/descriptors.js';

export { BEDROCK_MESSAGES_SCOPES, regionForScope } from '../platforms/bedrock/bedrock-targets.js';

/**
 * Parses a target as routes write it, by the rules of the platform it names
 * (its descriptor's `targets`):
 * - `bedrock/global`, `bedrock/us`, `bedrock/eu` … an inference-profile scope, called in the
 *   platform's configured region when the scope can be called from it, else in the scope's home region;
 * - `bedrock/eu@eu-west-1` — a scope called in a given region;
 * - `bedrock/us-west-2` — the base model id in one region (no profile);
 * - `bedrock-messages/global`, `bedrock-messages/eu@eu-west-1`, `bedrock-messages/us-east-1` — the same
 *   for Bedrock's Messages API (Claude 4.7 and later; scopes global, us, eu, jp, au);
 * - `vertex/global`, `vertex/us`, `vertex/eu`, `vertex/us-east5` — a Vertex location;
 * - `anthropic`, `foundry`, `claude-platform-aws` (its region is the workspace's, from the configuration).
 *
 * @example
 * parseTarget('bedrock/eu@eu-west-1') // { platform: 'bedrock', scope: 'eu', region: 'eu-west-1' }
 */
export function parseTarget(spec: string, defaults: TargetDefaults = {}): Target {
  const [platformName, where] = spec.trim().split('/', 2) as [string, string | undefined];
  if (!(PLATFORMS as readonly string[]).includes(platformName)) {
    throw new Error(
      `unknown platform "${platformName}" in target "${spec}"; use one of ${PLATFORMS.join(', ')}`,
    );
  }
  return descriptorOf(platformName as Platform).targets.parse(where, spec, defaults);
}

/** A stable name for a target, for logs, headers and session stickiness: `bedrock/us@us-east-1`. */
export function targetKey(target: Target): string {
  return descriptorOf(target.platform).targets.key(target);
}

/**
 * Where a target keeps the data, for residency rules. The first-party API,
 * Foundry and Claude Platform on AWS (whose data "may not reside in AWS") are
 * `global` unless configured otherwise.
 */
export function geoOfTarget(target: Target): Geo | undefined {
  return descriptorOf(target.platform).targets.geo(target);
}

/**
 * Why a residency rule leaves a target out, or undefined when the target's
 * geography lies inside it (`eu` is inside `europe`, never the reverse). A
 * target in no known geography is left out too.
 *
 * @example
 * residencyRefusal(parseTarget('vertex/europe-west2'), 'eu') // 'outside the EU residency (Europe)'
 */
export function residencyRefusal(target: Target, residency: Geo): string | undefined {
  const geo = geoOfTarget(target);
  if (geo === undefined) {
    const where = target.region ?? target.platform;
    return `outside the ${geoLabel(residency)} residency (${where} is in no geography the gateway knows; see src/catalog/data/geographies.json)`;
  }
  if (geoWithin(geo, residency)) return undefined;
  return `outside the ${geoLabel(residency)} residency (${geo === 'global' ? 'global' : geoLabel(geo)})`;
}
