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
  PLATFORMS,
  type Platform,
  type Target,
} from '../catalog/types.js';

/**
 * Parses a target as routes write it:
 * - `bedrock/global`, `bedrock/us`, `bedrock/eu` … an inference-profile scope, called in the
 *   platform's configured region when the scope can be called from it, else in the scope's home region;
 * - `bedrock/eu@eu-west-1` — a scope called in a given region;
 * - `bedrock/us-west-2` — the base model id in one region (no profile);
 * - `vertex/global`, `vertex/us`, `vertex/eu`, `vertex/us-east5` — a Vertex location;
 * - `anthropic`, `foundry`.
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
  if (platform === 'anthropic' || platform === 'foundry') {
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
  if ((BEDROCK_SCOPES as readonly string[]).includes(scopeOrRegion)) {
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
    throw new Error(
      `target "${spec}": "${scopeOrRegion}" is not a Bedrock scope (${BEDROCK_SCOPES.join(', ')})`,
    );
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(scopeOrRegion)) {
    throw new Error(
      `target "${spec}": "${scopeOrRegion}" is neither a Bedrock scope (${BEDROCK_SCOPES.join(', ')}) nor an AWS region`,
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
  if (target.platform === 'bedrock') {
    return target.scope ? `bedrock/${target.scope}@${target.region ?? ''}` : `bedrock/${target.region ?? ''}`;
  }
  if (target.platform === 'vertex') return `vertex/${target.region ?? 'global'}`;
  return target.platform;
}

/**
 * Where a target keeps the data, for residency rules. The first-party API and
 * Foundry are `global` unless configured otherwise.
 */
export function geoOfTarget(target: Target): Geo | undefined {
  if (target.platform === 'bedrock') {
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
