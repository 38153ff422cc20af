import { BEDROCK_SCOPE_SOURCE_REGIONS, geoOfAwsRegion } from '../catalog/platforms.js';
import type { ResolvedModel } from '../catalog/resolve.js';
import type { BedrockScope, Platform, Target } from '../catalog/types.js';
import { regionForScope } from '../engine/targets.js';
import type { TargetChoice } from './claude-options.js';

/** The regions targets default to: the Bedrock region and the Vertex location the platforms are set to. */
export interface TargetDefaults {
  bedrockRegion: string;
  vertexRegion: string;
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
export function bedrockTargetFor(resolved: ResolvedModel, region: string): Target {
  if (resolved.onlyOn === 'bedrock') return { platform: 'bedrock', region: resolved.arnRegion ?? region };
  if (resolved.bedrockScope) {
    const scope = resolved.bedrockScope;
    return { platform: 'bedrock', scope, region: resolved.arnRegion ?? regionForScope(scope, region) };
  }
  if (resolved.arnRegion) return { platform: 'bedrock', region: resolved.arnRegion };
  const model = resolved.model;
  const name = resolved.requested.trim().toLowerCase();
  if (!model?.bedrock) return { platform: 'bedrock', scope: 'global', region };
  if (name === model.bedrock.baseId.toLowerCase() && !model.bedrock.profileOnly)
    return { platform: 'bedrock', region };
  const scopes = model.bedrock.scopes;
  if (scopes.includes('global')) return { platform: 'bedrock', scope: 'global', region };
  const geo = geoOfAwsRegion(region);
  const regional =
    scopes.find((scope) => scope === geo && callableFrom(scope, region)) ??
    scopes.find((scope) => callableFrom(scope, region));
  if (regional) return { platform: 'bedrock', scope: regional, region };
  return { platform: 'bedrock', region };
}

/** The one target a platform offers for a model. */
export function platformTargetFor(
  platform: Platform,
  resolved: ResolvedModel,
  defaults: TargetDefaults,
): Target {
  switch (platform) {
    case 'bedrock':
      return bedrockTargetFor(resolved, defaults.bedrockRegion);
    case 'vertex':
      return { platform, region: defaults.vertexRegion };
    default:
      return { platform };
  }
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
