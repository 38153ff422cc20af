import type { Catalog } from '../catalog/catalog.js';
import { deriveIds } from '../catalog/resolve.js';
import { BEDROCK_SCOPES, type BedrockScope, type ModelEntry, type Platform } from '../catalog/types.js';
import { unpricedModel } from '../catalog/unpriced-model.js';
import type { PlatformsConfig } from '../config/schema.js';
import type { Engine } from '../engine/engine.js';
import { listAnthropicModels } from '../platforms/anthropic/list-anthropic-models.js';
import { BedrockAdapter } from '../platforms/bedrock/bedrock-adapter.js';
import { type BedrockModelList, listBedrockModels } from '../platforms/bedrock/bedrock-models.js';
import type { Logger } from './logger.js';

/*
 * Live discovery: the configured platforms' own model listings (the Anthropic
 * API's GET /v1/models; Bedrock's ListFoundationModels and ListInferenceProfiles,
 * system-defined and application) merged into the gateway's catalog, so a model
 * a platform offers that the built-in data lacks is routable by the platform's
 * real ids, a profile the data lacks can be used, and an application profile
 * ARN is priced as its model. Vertex and Foundry have no listing worth asking.
 */

/** What one discovery run found. */

/** The platforms that offer a model, with one more (once). */
function withPlatform(offeredBy: readonly Platform[], platform: Platform): Platform[] {
  return [...new Set([...offeredBy, platform])];
}
export interface Discovered {
  models: ModelEntry[];
  /** Application inference profile ARN → model name. */
  applicationProfiles: Map<string, string>;
  /** One line per platform whose listing failed (the rest still count). */
  failures: string[];
}

const DATED = /^(claude-[a-z0-9.-]+?)-(\d{8})$/;

/** A model only a listing names: its ids are the platform's, its price unknown (never $0). */
function listedModel(name: string, platform: Platform, displayName: string | undefined): ModelEntry {
  return unpricedModel(name, `${platform} model listing`, displayName);
}

/** The canonical name for an id a platform listed: the undated first-party form. */
function nameFor(id: string): string {
  const anthropic = deriveIds(id).anthropic;
  return DATED.exec(anthropic)?.[1] ?? anthropic;
}

function scopeOf(profileId: string): BedrockScope | undefined {
  const prefix = profileId.split('.', 1)[0];
  return BEDROCK_SCOPES.find((scope) => scope === prefix);
}

/** Merges a Bedrock listing into `found` (by name), given the catalog as it stands. */
export function mergeBedrockListing(
  list: BedrockModelList,
  catalog: Catalog,
  found: Map<string, ModelEntry>,
  applicationProfiles: Map<string, string>,
): void {
  const entryFor = (baseId: string, displayName?: string): ModelEntry | undefined => {
    const known = catalog.find(baseId);
    if (known) {
      const current = found.get(known.name) ?? known;
      // Only known rows with a Bedrock offer are extended; the listing says nothing of the others' prices.
      return current.bedrock ? current : undefined;
    }
    const name = nameFor(baseId);
    const entry = found.get(name) ?? listedModel(name, 'bedrock', displayName);
    entry.bedrock ??= { baseId, scopes: [], profileOnly: false, integration: 'invoke' };
    entry.offeredBy = withPlatform(entry.offeredBy, 'bedrock');
    return entry;
  };
  for (const model of list.foundationModels) {
    const entry = entryFor(model.modelId, model.modelName);
    if (!entry?.bedrock || entry.origin !== 'discovered') continue;
    entry.bedrock.profileOnly = !model.inferenceTypes.includes('ON_DEMAND');
    found.set(entry.name, entry);
  }
  for (const profile of list.inferenceProfiles) {
    const baseId = /foundation-model\/(anthropic\.[^/]+)$/.exec(profile.modelArns[0] ?? '')?.[1];
    if (profile.type === 'APPLICATION') {
      const model = baseId ? (catalog.find(baseId)?.name ?? found.get(nameFor(baseId))?.name) : undefined;
      if (model && profile.arn) applicationProfiles.set(profile.arn, model);
      continue;
    }
    const scope = scopeOf(profile.id);
    const entry = entryFor(profile.id.slice(profile.id.indexOf('.') + 1));
    if (!scope || !entry?.bedrock || entry.bedrock.scopes.includes(scope)) continue;
    const extended: ModelEntry = {
      ...entry,
      bedrock: { ...entry.bedrock, scopes: [...entry.bedrock.scopes, scope] },
      sources: [...new Set([...entry.sources, 'bedrock model listing'])],
    };
    found.set(extended.name, extended);
  }
}

/**
 * Reads every configured platform's listing once. A platform whose listing
 * fails adds a line to `failures`; the others still count.
 */
export async function discoverModels(options: {
  catalog: Catalog;
  engine: Engine;
  platforms: PlatformsConfig;
}): Promise<Discovered> {
  const { catalog, engine, platforms } = options;
  const found = new Map<string, ModelEntry>();
  const applicationProfiles = new Map<string, string>();
  const failures: string[] = [];
  if (platforms.anthropic) {
    const settings = platforms.anthropic;
    try {
      const models = await listAnthropicModels({
        ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
        ...(settings.authToken ? { authToken: settings.authToken } : {}),
        ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
      });
      for (const model of models) {
        if (!model.id.startsWith('claude') || catalog.find(model.id)) continue;
        const name = nameFor(model.id);
        const entry = found.get(name) ?? listedModel(name, 'anthropic', model.displayName);
        entry.anthropicId = model.id;
        entry.offeredBy = withPlatform(entry.offeredBy, 'anthropic');
        found.set(name, entry);
      }
    } catch (error) {
      failures.push(`the Anthropic API's model list: ${(error as Error).message}`);
    }
  }
  const bedrock = engine.adapters.bedrock;
  if (platforms.bedrock && bedrock instanceof BedrockAdapter) {
    try {
      const list = await listBedrockModels({
        region: bedrock.region,
        authorizer: bedrock.authorizer,
        transport: engine.transport,
        profileTypes: ['SYSTEM_DEFINED', 'APPLICATION'],
        ...(platforms.bedrock.controlEndpoint ? { endpoint: platforms.bedrock.controlEndpoint } : {}),
      });
      mergeBedrockListing(list, catalog, found, applicationProfiles);
    } catch (error) {
      failures.push(`Amazon Bedrock's model lists: ${(error as Error).message}`);
    }
  }
  return { models: [...found.values()], applicationProfiles, failures };
}

/**
 * Runs discovery at start (without holding the start up) and then every
 * `intervalMs`, applying what it finds to the catalog. A failed listing is a
 * warning: the built-in data serves, and the next run tries again.
 */
export function startModelDiscovery(options: {
  catalog: Catalog;
  engine: Engine;
  platforms: PlatformsConfig;
  logger: Logger;
  intervalMs: number;
  /** Called after the catalog changed (the routing table's plans must be recomputed). */
  onChange: () => void;
}): { first: Promise<void>; stop(): void } {
  let stopped = false;
  const run = async () => {
    const base = options.catalog.clone();
    base.setDiscovered([]);
    const found = await discoverModels({ ...options, catalog: base });
    if (stopped) return;
    for (const failure of found.failures) {
      options.logger.warn(
        `model discovery: ${failure}; serving from the built-in model data, retrying later`,
      );
    }
    // A listing that failed keeps what the last good run found for that platform: keep it all then.
    if (found.failures.length > 0 && found.models.length === 0) return;
    options.catalog.setDiscovered(found.models, found.applicationProfiles);
    options.onChange();
    for (const model of found.models.filter((entry) => entry.unpriced)) {
      options.logger.warn(
        `model discovery: ${model.name} is offered by ${model.offeredBy.join(', ')} but has no price in the catalog; ` +
          'its cost is logged as unknown until you add it under models: in claude-gateway.yaml',
      );
    }
  };
  const guarded = () =>
    run().catch((error: unknown) => {
      options.logger.warn(`model discovery failed: ${(error as Error).message}; retrying later`);
    });
  const first = guarded();
  const timer = setInterval(() => void guarded(), options.intervalMs);
  timer.unref();
  return {
    first,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
