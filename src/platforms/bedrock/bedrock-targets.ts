import {
  BEDROCK_SCOPE_HOME_REGION,
  BEDROCK_SCOPE_SOURCE_REGIONS,
  geoOfAwsRegion,
  geoOfBedrockScope,
} from '../../catalog/platforms.js';
import type { ResolvedModel } from '../../catalog/resolve.js';
import {
  BEDROCK_SCOPES,
  type BedrockScope,
  type Geo,
  type Platform,
  type Target,
} from '../../catalog/types.js';
import type { TargetDefaults, TargetRules } from '../descriptor.js';

/**
 * The inference-profile scopes of Bedrock's Messages API: the global endpoint and the
 * geographic profiles US, EU, JP and AU (AWS user guide, inference-messages-api; the
 * per-model profile list is not published there, so the catalog's scopes still decide).
 */
export const BEDROCK_MESSAGES_SCOPES: readonly BedrockScope[] = ['global', 'us', 'eu', 'jp', 'au'];

/** The region a scope is called in: the configured one when it can call the scope, else the scope's home. */
export function regionForScope(scope: BedrockScope, configured: string | undefined): string {
  if (configured && callableFrom(scope, configured)) return configured;
  return BEDROCK_SCOPE_HOME_REGION[scope];
}

function callableFrom(scope: BedrockScope, region: string): boolean {
  return scope === 'global' || BEDROCK_SCOPE_SOURCE_REGIONS[scope].includes(region);
}

/**
 * The Bedrock target for a model when the caller only chose a region: the
 * scope or region the name itself carries (`eu.anthropic…`, an ARN, a base
 * id), else the global inference profile, else the region's geographic
 * profile, else the base model id in the region.
 *
 * @example
 * bedrockTargetFor(resolveModel('claude-opus-4-1'), 'us-west-2'); // { platform: 'bedrock', scope: 'us', region: 'us-west-2' }
 * bedrockTargetFor(resolveModel('sonnet'), 'eu-west-1');          // { platform: 'bedrock', scope: 'global', region: 'eu-west-1' }
 */
export function bedrockTargetFor(
  resolved: ResolvedModel,
  region: string,
  platform: Platform = 'bedrock',
): Target {
  if (resolved.onlyOn === platform) return { platform, region: resolved.arnRegion ?? region };
  if (resolved.bedrockScope) {
    const scope = resolved.bedrockScope;
    return { platform, scope, region: resolved.arnRegion ?? regionForScope(scope, region) };
  }
  if (resolved.arnRegion) return { platform, region: resolved.arnRegion };
  const model = resolved.model;
  const name = resolved.requested.trim().toLowerCase();
  if (!model?.bedrock) return { platform, scope: 'global', region };
  if (name === model.bedrock.baseId.toLowerCase() && !model.bedrock.profileOnly) return { platform, region };
  const scopes = model.bedrock.scopes;
  if (scopes.includes('global')) return { platform, scope: 'global', region };
  const geo = geoOfAwsRegion(region);
  const regional =
    scopes.find((scope) => scope === geo && callableFrom(scope, region)) ??
    scopes.find((scope) => callableFrom(scope, region));
  if (regional) return { platform, scope: regional, region };
  return { platform, region };
}

/**
 * Target rules for one of Bedrock's integrations: `<name>/<scope>[@region]`
 * (an inference profile, called in the configured region when it can call the
 * scope, else in the scope's home region) or `<name>/<aws-region>` (the base
 * model id in one region).
 */
export function bedrockTargetRules(
  platform: Platform,
  label: string,
  scopes: readonly BedrockScope[],
): TargetRules {
  const scopeNames = scopes.join(', ');
  return {
    syntax: `${scopeNames}, a scope@region, or an AWS region`,
    takesRegion: true,
    parse(where, spec, defaults) {
      const [scopeOrRegion, explicitRegion] = (where ?? '').split('@', 2) as [string, string | undefined];
      if (!scopeOrRegion) return { platform, region: defaults.bedrockRegion ?? 'us-east-1' };
      if (
        BEDROCK_SCOPES.includes(scopeOrRegion as BedrockScope) &&
        !scopes.includes(scopeOrRegion as BedrockScope)
      ) {
        throw new Error(
          `target "${spec}": ${label} has no ${scopeOrRegion}. inference profile; use one of ${scopeNames}, or an AWS region`,
        );
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
      // Any well-formed region is allowed: AWS adds regions; the catalog only knows where it has checked.
      if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(scopeOrRegion)) {
        throw new Error(
          `target "${spec}": "${scopeOrRegion}" is neither a Bedrock scope (${scopeNames}) nor an AWS region`,
        );
      }
      return { platform, region: scopeOrRegion };
    },
    key(target) {
      return target.scope
        ? `${platform}/${target.scope}@${target.region ?? ''}`
        : `${platform}/${target.region ?? ''}`;
    },
    geo(target): Geo | undefined {
      if (target.scope) return geoOfBedrockScope(target.scope);
      return target.region ? geoOfAwsRegion(target.region) : undefined;
    },
    defaults: () => [],
    forModel: (resolved, defaults: TargetDefaults) =>
      bedrockTargetFor(resolved, defaults.bedrockRegion ?? 'us-east-1', platform),
    region: (defaults) => defaults.bedrockRegion,
  };
}
