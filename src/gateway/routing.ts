import type { Catalog } from '../catalog/catalog.js';
import { defaultCatalog } from '../catalog/default-catalog.js';
import { geoLabel, geoWithin } from '../catalog/geographies.js';
import type { ResolvedModel } from '../catalog/resolve.js';
import { type Geo, PLATFORMS, type Platform, type Target } from '../catalog/types.js';
import { platformSettings, platformsWithSettings } from '../config/platform-settings.js';
import type { GatewayConfig, PlatformsConfig } from '../config/schema.js';
import { findRoute, type Plan, planTargets, type Route, stickyFirst } from '../engine/plan.js';
import { geoOfTarget, parseTarget } from '../engine/targets.js';
import { resolveAwsRegion } from '../platforms/aws/aws-region.js';
import { descriptorOf } from '../platforms/descriptors.js';
import { GatewayError } from '../wire/errors/gateway-error.js';

/** Routes and default targets as the engine uses them, parsed once at start. */
export interface RoutingTable {
  routes: Route[];
  defaultTargets: Target[];
  platforms: Set<Platform>;
  defaults: { bedrockRegion?: string; vertexRegion?: string };
  /** The models this gateway knows (built-in, discovered, configured). */
  catalog: Catalog;
  /** Plans already computed, by requested name, hint and residency; cleared when the catalog changes. */
  planCache: Map<string, RequestPlan>;
}

/** The targets used when no route matches and none are configured: every configured platform. */
function implicitDefaults(platforms: PlatformsConfig, vertexRegion: string | undefined): string[] {
  return platformsWithSettings(platforms).flatMap((platform) =>
    descriptorOf(platform).targets.defaults({ ...(vertexRegion ? { vertexRegion } : {}) }),
  );
}

/**
 * Parses the configured routes, naming the route and target of any mistake.
 * Targets that name no region are called in each platform's region as its
 * adapter and the start line resolve it: the configuration's, else the
 * environment's (AWS_REGION → AWS_DEFAULT_REGION → the profile's region →
 * us-east-1; CLOUD_ML_REGION → global).
 */
export function buildRoutingTable(
  config: GatewayConfig,
  platforms: PlatformsConfig,
  env: Readonly<Record<string, string | undefined>> = process.env,
  catalog: Catalog = defaultCatalog(),
): RoutingTable {
  const bedrock = platforms.bedrock;
  const vertexRegion = platforms.vertex ? (platforms.vertex.region ?? env['CLOUD_ML_REGION']) : undefined;
  const defaults = {
    ...(bedrock
      ? {
          bedrockRegion: resolveAwsRegion({
            ...(bedrock.region ? { explicit: bedrock.region } : {}),
            ...(bedrock.profile ? { profile: bedrock.profile } : {}),
            env,
          }).region,
        }
      : {}),
    ...(vertexRegion ? { vertexRegion } : {}),
  };
  const parse = (spec: string, where: string) => {
    try {
      return parseTarget(spec, defaults);
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
  };
  const routes: Route[] = config.routes.map((route, index) => ({
    models: route.models,
    targets: route.targets.map((spec, targetIndex) =>
      parse(spec, `routes[${index}].targets[${targetIndex}]`),
    ),
    ...(route.strategy ? { strategy: route.strategy } : {}),
    ...(route.weights ? { weights: route.weights } : {}),
    options: {
      ...(route.model ? { model: route.model } : {}),
      ...(route.invalidToolInput ? { invalidToolInput: route.invalidToolInput } : {}),
    },
  }));
  const defaultSpecs = config.defaultTargets ?? implicitDefaults(platforms, vertexRegion);
  return {
    routes,
    defaultTargets: defaultSpecs.map((spec, index) => parse(spec, `defaultTargets[${index}]`)),
    // Config sections name platforms (bedrock's also configures bedrock-messages; claudePlatformAws is claude-platform-aws).
    platforms: new Set(PLATFORMS.filter((platform) => platformSettings(platforms, platform) !== undefined)),
    defaults,
    catalog,
    planCache: new Map(),
  };
}

/** A request's plan: its targets in order, the route that chose them, and the model they serve. */
export interface RequestPlan extends Plan {
  /** The model the targets serve: the one asked for, or the route's `model:`. */
  served: ResolvedModel;
}

/**
 * The ordered targets for one request, from the model it resolved to. A route
 * may serve the request with another model (`model:`); a request no route
 * matches goes first where the client itself pointed (its Bedrock scope or
 * Vertex location), then to the default targets.
 */
export function planRequest(
  table: RoutingTable,
  requested: ResolvedModel,
  options: { hint?: string; residency?: Geo; stickyTarget?: string },
): RequestPlan {
  // Plans depend only on the name, the hint and the residency (the table does not change while
  // serving), so they are computed once; weighted routes draw a new order every time.
  const key = `${requested.requested}\u0000${options.hint ?? ''}\u0000${options.residency ?? ''}`;
  let plan = table.planCache.get(key);
  if (!plan) {
    plan = computePlan(table, requested, options);
    if (plan.route?.strategy !== 'weighted') {
      if (table.planCache.size >= 10_000) table.planCache.clear();
      table.planCache.set(key, plan);
    }
  }
  const targets = stickyFirst(plan.targets, options.stickyTarget);
  return targets === plan.targets ? plan : { ...plan, targets: [...targets] };
}

function computePlan(
  table: RoutingTable,
  requested: ResolvedModel,
  options: { hint?: string; residency?: Geo },
): RequestPlan {
  // The route is chosen by the model asked for; the model it serves may be one its names do not select.
  const route = findRoute(table.routes, requested, table.catalog);
  const override = route?.options?.model;
  const served = override === undefined ? requested : table.catalog.resolve(override);
  let defaultTargets = table.defaultTargets;
  if (!route && options.hint) {
    try {
      defaultTargets = [parseTarget(options.hint, table.defaults), ...table.defaultTargets];
    } catch {
      // a hint the gateway cannot use (an unknown location) is only a hint
    }
  }
  const plan = planTargets(
    {
      resolved: served,
      routes: table.routes,
      route: route ?? false,
      defaultTargets,
      platforms: table.platforms,
      ...(options.residency ? { residency: options.residency } : {}),
    },
    table.catalog,
  );
  if (plan.targets.length === 0) {
    const reasons = plan.skipped.map((skip) => `${skip.target}: ${skip.reason}`).join('; ');
    throw GatewayError.fromCode('NO_ROUTE', {
      model: requested.requested,
      reason: reasons || 'no route or default target is configured for it',
    });
  }
  return { ...plan, served };
}

/**
 * The residency a request is held to: the caller's key's, and with
 * `clientGeography: require` the geography the client itself named (its
 * Bedrock scope or Vertex location; `global` names none). The narrower of the
 * two holds when one lies inside the other (`eu` inside `europe`); otherwise
 * they conflict.
 */
export function requestResidency(
  table: RoutingTable,
  mode: 'prefer' | 'require',
  keyResidency: Geo | undefined,
  hint: string | undefined,
): Geo | undefined {
  if (mode !== 'require' || !hint) return keyResidency;
  let named: Geo | undefined;
  try {
    named = geoOfTarget(parseTarget(hint, table.defaults));
  } catch {
    return keyResidency; // a location the gateway does not know holds nothing
  }
  if (!named || named === 'global') return keyResidency;
  if (!keyResidency || geoWithin(named, keyResidency)) return named;
  // A key held to the EU asking for an `eu.` profile (Europe): the narrower rule, the key's, holds.
  if (geoWithin(keyResidency, named)) return keyResidency;
  throw GatewayError.fromCode('GEOGRAPHY_CONFLICT', {
    requested: geoLabel(named),
    named: hint,
    allowed: geoLabel(keyResidency),
    allowedLower: keyResidency,
  });
}
