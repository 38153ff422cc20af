import { namesOf, type ResolvedModel, resolveIn } from './resolve.js';
import type { ModelEntry, ModelOrigin } from './types.js';

/** A change the configuration's `models:` makes: to a known model, or a new one. */
export type ModelPatch = (base: ModelEntry | undefined) => ModelEntry;

/**
 * The models one process knows: the built-in data, what the platforms' own
 * listings add (discovered), and the operator's `models:` (configured), in that
 * order of precedence. Lookups go through one index of every name, rebuilt when
 * a layer changes (at start and after each discovery run, never per request).
 */
export class Catalog {
  #builtIn: readonly ModelEntry[];
  #discovered: readonly ModelEntry[] = [];
  #patches: readonly { name: string; patch: ModelPatch }[] = [];
  /** Bedrock application inference profile ARNs (lower-cased) → the model they route to. */
  #applicationProfiles: ReadonlyMap<string, string> = new Map();
  #models: readonly ModelEntry[] = [];
  #index = new Map<string, ModelEntry>();
  #generation = 0;

  constructor(builtIn: readonly ModelEntry[]) {
    this.#builtIn = builtIn;
    assertDistinctNames(builtIn);
    this.#rebuild();
  }

  /** Counts the rebuilds: what was compiled against this catalog (a ModelMatcher) is stale when it moves. */
  get generation(): number {
    return this.#generation;
  }

  /** Every model, configured and discovered ones included, built-in order first. */
  list(): readonly ModelEntry[] {
    return this.#models;
  }

  /** Resolves any name a client may send (see resolveModel). */
  resolve(requested: string): ResolvedModel {
    const resolved = resolveIn(this.#index, requested);
    if (resolved.onlyOn !== undefined && !resolved.model && this.#applicationProfiles.size > 0) {
      // An application inference profile is sent as its ARN, but priced and described as its model.
      const name = this.#applicationProfiles.get(requested.trim().toLowerCase());
      const model = name ? this.#index.get(name.toLowerCase()) : undefined;
      if (model) return { ...resolved, model };
    }
    return resolved;
  }

  find(name: string): ModelEntry | undefined {
    return this.resolve(name).model;
  }

  /**
   * Replaces what discovery found: models the built-in data lacks, known models
   * with more than the data says (the same name replaces the row), and the
   * account's application inference profiles (ARN → model name).
   */
  setDiscovered(
    models: readonly ModelEntry[],
    applicationProfiles: ReadonlyMap<string, string> = new Map(),
  ): void {
    this.#discovered = models;
    this.#applicationProfiles = new Map(
      [...applicationProfiles].map(([arn, model]) => [arn.toLowerCase(), model] as const),
    );
    this.#rebuild();
  }

  /** Replaces the configured changes (`models:` in claude-gateway.yaml). */
  setConfigured(patches: readonly { name: string; patch: ModelPatch }[]): void {
    this.#patches = patches;
    this.#rebuild();
  }

  /** A copy with the same layers, for a caller that changes one without touching this one. */
  clone(): Catalog {
    const copy = new Catalog(this.#builtIn);
    copy.#discovered = this.#discovered;
    copy.#applicationProfiles = this.#applicationProfiles;
    copy.#patches = this.#patches;
    copy.#rebuild();
    return copy;
  }

  #rebuild(): void {
    const byName = new Map<string, ModelEntry>();
    const order: string[] = [];
    const put = (model: ModelEntry) => {
      if (!byName.has(model.name)) order.push(model.name);
      byName.set(model.name, model);
    };
    for (const model of this.#builtIn) put(model);
    for (const model of this.#discovered) {
      // A row with a known model's name replaces it (discovery adds what the data lacks, e.g. a profile);
      // one that shares only another name with a known model adds nothing.
      const known =
        lookup(byName, model.name) ??
        namesOf(model)
          .map((name) => lookup(byName, name))
          .find(Boolean);
      if (!known || known.name === model.name) put(model);
    }
    for (const { name, patch } of this.#patches) {
      const base = lookup(byName, name);
      const patched = patch(base);
      if (base && base.name !== patched.name) {
        byName.delete(base.name);
        order.splice(order.indexOf(base.name), 1);
      }
      put(patched);
    }
    this.#models = order.map((name) => byName.get(name)).filter((model) => model !== undefined);
    // Later origins win a contested name (a configured alias `opus` beats the built-in one).
    const rank: Record<ModelOrigin, number> = { 'built-in': 0, discovered: 1, configured: 2 };
    const index = new Map<string, ModelEntry>();
    for (const model of [...this.#models].sort((a, b) => rank[a.origin] - rank[b.origin])) {
      for (const name of namesOf(model)) index.set(name.toLowerCase(), model);
    }
    this.#index = index;
    this.#generation += 1;
  }
}

function lookup(byName: Map<string, ModelEntry>, name: string): ModelEntry | undefined {
  const wanted = name.toLowerCase();
  for (const model of byName.values()) {
    if (namesOf(model).some((other) => other.toLowerCase() === wanted)) return model;
  }
  return undefined;
}

/** The built-in data must name each model once: a name shared by two rows is a data error. */
function assertDistinctNames(models: readonly ModelEntry[]): void {
  const seen = new Map<string, string>();
  for (const model of models) {
    for (const name of namesOf(model)) {
      const key = name.toLowerCase();
      const owner = seen.get(key);
      if (owner && owner !== model.name)
        throw new Error(`catalog: ${name} names two models (${owner}, ${model.name})`);
      seen.set(key, model.name);
    }
  }
}
