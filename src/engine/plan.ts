import type { Catalog } from '../catalog/catalog.js';
import { matcherOf } from '../catalog/model-matcher.js';
import { CatalogError, modelIdForTarget, type ResolvedModel } from '../catalog/resolve.js';
import type { Geo, Platform, Target } from '../catalog/types.js';
import { descriptorOf } from '../platforms/descriptors.js';
import type { ResolvedTarget } from '../platforms/types.js';
import { residencyRefusal, targetKey } from './targets.js';

/** One routing rule: requested model names → ordered targets. */
export interface Route {
  /** Names that select this route: any name of a catalog model, an exact string, a glob (`claude-opus-*`), or `*`. */
  models: readonly string[];
  targets: readonly Target[];
  /** `priority` (default): try targets in order. `weighted`: shuffle by weight, then fail over in that order. */
  strategy?: 'priority' | 'weighted';
  weights?: readonly number[];
  options?: RouteOptions;
}

/** What a route changes about the requests it takes. */
export interface RouteOptions {
  /** Serve the request with this model instead of the one asked for. */
  model?: string;
  /** `wrap`: streamed tool input that is not valid JSON comes back wrapped; `raw` (default): as it came (see invalid-tool-input.ts). */
  invalidToolInput?: 'raw' | 'wrap';
}

export interface PlanInput {
  resolved: ResolvedModel;
  routes: readonly Route[];
  /** Targets for names no route matches, in order. */
  defaultTargets: readonly Target[];
  /** Platforms the engine has adapters for. */
  platforms: ReadonlySet<Platform>;
  /** The route already chosen (`false`: none matched), so it is not looked for again. */
  route?: Route | false;
  /** Only targets inside this geography (a key's residency rule). */
  residency?: Geo;
  /** The target that served this session last, by `targetKey`. */
  stickyTarget?: string;
  random?: () => number;
}

export interface Plan {
  targets: ResolvedTarget[];
  /** Why targets were left out, for the error when none remain. */
  skipped: { target: string; reason: string }[];
  route?: Route;
}

/**
 * The first route whose names select the model, decided on the model the
 * request resolves to (an ARN's or a scope's text selects nothing), with
 * each route's names compiled once (see ModelMatcher).
 */
export function findRoute(
  routes: readonly Route[],
  resolved: ResolvedModel,
  catalog?: Catalog,
): Route | undefined {
  return routes.find((route) => matcherOf(route.models).matches(resolved, catalog));
}

/** The targets with the session's last one moved first (when it is among them). */
export function stickyFirst<T extends Target>(
  targets: readonly T[],
  sticky: string | undefined,
): readonly T[] {
  if (!sticky) return targets;
  const index = targets.findIndex((target) => targetKey(target) === sticky);
  if (index <= 0) return targets;
  const ordered = [...targets];
  ordered.unshift(...ordered.splice(index, 1));
  return ordered;
}

function weightedOrder<T>(
  items: readonly T[],
  weights: readonly number[] | undefined,
  random: () => number,
): T[] {
  const pool = items.map((item, index) => ({ item, weight: Math.max(0, weights?.[index] ?? 1) }));
  const ordered: T[] = [];
  while (pool.length > 0) {
    const total = pool.reduce((sum, entry) => sum + entry.weight, 0);
    let pick = total > 0 ? random() * total : 0;
    let index = pool.findIndex((entry) => {
      pick -= entry.weight;
      return pick < 0;
    });
    if (index === -1) index = 0;
    const [chosen] = pool.splice(index, 1);
    if (chosen) ordered.push(chosen.item);
  }
  return ordered;
}

/** Whether a platform offers the model at all (unknown models are assumed to be offered). */
function availability(resolved: ResolvedModel, target: Target): string | undefined {
  const model = resolved.model;
  if (!model) return undefined;
  const descriptor = descriptorOf(target.platform);
  if (model.offeredBy.includes(target.platform) && descriptor.catalogId(model) === undefined)
    return `${model.displayName} is not offered on ${descriptor.displayName}`;
  return undefined;
}

/**
 * Orders the targets for one request: the matching route's targets (or the
 * defaults), without targets outside the caller's residency, without targets
 * where the model does not exist (a scope it lacks, a platform that does not
 * offer it), with the session's last target first.
 */
export function planTargets(input: PlanInput, catalog?: Catalog): Plan {
  const route =
    input.route === undefined ? findRoute(input.routes, input.resolved, catalog) : input.route || undefined;
  const random = input.random ?? Math.random;
  let candidates = route ? [...route.targets] : [...input.defaultTargets];
  if (route?.strategy === 'weighted') candidates = weightedOrder(candidates, route.weights, random);
  const skipped: Plan['skipped'] = [];
  const targets: ResolvedTarget[] = [];
  const seen = new Set<string>();
  for (const target of candidates) {
    const key = targetKey(target);
    if (seen.has(key)) continue;
    seen.add(key);
    if (!input.platforms.has(target.platform)) {
      skipped.push({ target: key, reason: `${target.platform} is not configured` });
      continue;
    }
    if (input.residency) {
      const refused = residencyRefusal(target, input.residency);
      if (refused) {
        skipped.push({ target: key, reason: refused });
        continue;
      }
    }
    const missing = availability(input.resolved, target);
    if (missing) {
      skipped.push({ target: key, reason: missing });
      continue;
    }
    try {
      targets.push({
        ...target,
        modelId: modelIdForTarget(input.resolved, target),
        resolved: input.resolved,
      });
    } catch (error) {
      if (!(error instanceof CatalogError)) throw error;
      skipped.push({ target: key, reason: error.message });
    }
  }
  return { targets: [...stickyFirst(targets, input.stickyTarget)], skipped, ...(route ? { route } : {}) };
}
