import { geoLabel, geoWithin } from '../catalog/geographies.js';
import {
  BEDROCK_REGIONS,
  BEDROCK_SCOPE_HOME_REGION,
  BEDROCK_SCOPE_SOURCE_REGIONS,
  geoOfAwsRegion,
  geoOfBedrockScope,
  geoOfVertexLocation,
} from '../catalog/platforms.js';
import {
  BEDROCK_SCOPES,
  type BedrockScope,
  type Geo,
  isBedrockPlatform,
  PLATFORMS,
  type Platform,
  type Target,
} from '../catalog/types.js';

/**
 * The inference-profile scopes of Bedrock's Messages API: the global endpoint and the
 * geographic profiles US, EU, JP and AU (AWS user guide, inference-messages-api; the
 * per-model profile list is not published there, so the catalog's scopes still decide).
 */
export const BEDROCK_MESSAGES_SCOPES: readonly BedrockScope[] = ['global', 'us', 'eu', 'jp', 'au'];

/**
 * Parses a target as routes write it:
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
export function parseTarget(
  spec: string,
  defaults: { bedrockRegion?: string; vertexRegion?: string } = {},
): Target {
  const [platformName, where] = spec.trim().split('/', 2) as [string, string | undefined];
  if (!(PLATFORMS as readonly string[]).includes(platformName)) {
    throw new Error(
      `unknown platform "${platformName}" in target "${spec}"; use one of ${PLATFORMS.join(', ')}`,
    );
  }
  const platform = platformName as Platform;
  if (platform === 'anthropic' || platform === 'foundry' || platform === 'claude-platform-aws') {
    if (where) throw new Error(`target "${spec}": ${platform} takes no region; write "${platform}"`);
    return { platform };
  }
  if (platform === 'vertex') {
    const location = where || defaults.vertexRegion || 'global';
    if (!/^[a-z]+(-[a-z]+\d*)?$/.test(location)) {
      throw new Error(
        `target "${spec}": "${location}" is not a Vertex location (global, us, eu, or a region like us-east5)`,
      );
    }
    return { platform, region: location };
  }
  const [scopeOrRegion, explicitRegion] = (where ?? '').split('@', 2) as [string, string | undefined];
  if (!scopeOrRegion) {
    return { platform, region: defaults.bedrockRegion ?? 'us-east-1' };
  }
  const scopes = platform === 'bedrock-messages' ? BEDROCK_MESSAGES_SCOPES : BEDROCK_SCOPES;
  const scopeNames = scopes.join(', ');
  if (platform === 'bedrock-messages' && BEDROCK_SCOPES.includes(scopeOrRegion as BedrockScope)) {
    if (!scopes.includes(scopeOrRegion as BedrockScope)) {
      throw new Error(
        `target "${spec}": Bedrock's Messages API has no ${scopeOrRegion}. inference profile; use one of ${scopeNames}, or an AWS region`,
      );
    }
  }
  if ((scopes as readonly string[]).includes(scopeOrRegion)) {
    const scope = scopeOrRegion as BedrockScope;
    const region = explicitRegion ?? regionForScope(scope, defaults.bedrockRegion);
    if (scope !== 'global' && !BEDROCK_SCOPE_SOURCE_REGIONS[scope].includes(region)) {
      throw new Error(
        `target "${spec}": a ${scope}. inference profile cannot be called from ${region}; ` +
          `use one of ${BEDROCK_SCOPE_SOURCE_REGIONS[scope].join(', ')}`,
      );
    }
    return { platform, scope, region };
  }
  if (explicitRegion)
    throw new Error(`target "${spec}": "${scopeOrRegion}" is not a Bedrock scope (${scopeNames})`);
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(scopeOrRegion)) {
    throw new Error(
      `target "${spec}": "${scopeOrRegion}" is neither a Bedrock scope (${scopeNames}) nor an AWS region`,
    );
  }
  if (!BEDROCK_REGIONS.includes(scopeOrRegion)) {
    // Still allowed: AWS adds regions; the catalog only knows where it has checked.
  }
  return { platform, region: scopeOrRegion };
}

/** The region a scope is called in: the configured one when it can call the scope, else the scope's home. */
export function regionForScope(scope: BedrockScope, configured: string | undefined): string {
  if (configured && (scope === 'global' || BEDROCK_SCOPE_SOURCE_REGIONS[scope].includes(configured)))
    return configured;
  return BEDROCK_SCOPE_HOME_REGION[scope];
}

/** A stable name for a target, for logs, headers and session stickiness: `bedrock/us@us-east-1`. */
export function targetKey(target: Target): string {
  if (isBedrockPlatform(target.platform)) {
    const name = target.platform;
    return target.scope ? `${name}/${target.scope}@${target.region ?? ''}` : `${name}/${target.region ?? ''}`;
  }
  if (target.platform === 'vertex') return `vertex/${target.region ?? 'global'}`;
  return target.platform;
}

/**
 * Where a target keeps the data, for residency rules. The first-party API,
 * Foundry and Claude Platform on AWS (whose data "may not reside in AWS") are
 * `global` unless configured otherwise.
 */
export function geoOfTarget(target: Target): Geo | undefined {
  if (isBedrockPlatform(target.platform)) {
    if (target.scope) return geoOfBedrockScope(target.scope);
    return target.region ? geoOfAwsRegion(target.region) : undefined;
  }
  if (target.platform === 'vertex') return geoOfVertexLocation(target.region ?? 'global');
  return 'global';
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
