import type { Catalog } from './catalog.js';
import { defaultCatalog } from './default-catalog.js';
import { namesOf, type ResolvedModel } from './resolve.js';
import type { ModelEntry } from './types.js';

/** A glob (`claude-opus-*`) as a case-insensitive expression over a whole name. */
function compileGlob(pattern: string): RegExp {
  const parts = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`, 'i');
}

/** Every name of a model, computed once per catalog row (rows are immutable). */
const namesByModel = new WeakMap<ModelEntry, readonly string[]>();

/** The names a resolved model is matched by: a known model's catalog names, else the ids that would be sent upstream for it. */
function matchedNames(resolved: ResolvedModel): readonly string[] {
  const model = resolved.model;
  if (!model) return [...new Set(Object.values(resolved.ids))];
  let names = namesByModel.get(model);
  if (!names) {
    names = namesOf(model);
    namesByModel.set(model, names);
  }
  return names;
}

/** An unknown model's identity: its ids on every platform and where it only exists. */
function idsKey(resolved: ResolvedModel): string {
  const { ids } = resolved;
  return `${resolved.onlyOn ?? ''}\u0000${ids.anthropic}\u0000${ids.bedrockBase}\u0000${ids.vertex}\u0000${ids.foundry}`;
}

/**
 * A list of model names, exact strings and globs (`claude-opus-*`, `*`), as a
 * key's or a user's allowlist or a route's `models:` hold them, compiled once:
 * the globs into expressions, the plain entries into the models they resolve
 * to (again only when the catalog changes, after a discovery run).
 *
 * It decides on the model a request resolves to, never on the string as sent:
 * an ARN or a scope prefix is stripped first, so
 * `arn:aws:bedrock:haiku:1:foundation-model/claude-opus-4-5` is Opus whatever
 * `*haiku*` finds in its text. A known model matches by any of its catalog
 * names; an unknown one by the ids that would be sent upstream for it.
 *
 * @example
 * const matcher = new ModelMatcher(['claude-haiku-*', 'sonnet']);
 * matcher.matches(catalog.resolve('us.anthropic.claude-haiku-4-5-20251001-v1:0')); // true
 */
export class ModelMatcher {
  readonly patterns: readonly string[];
  readonly #any: boolean;
  readonly #globs: readonly RegExp[];
  readonly #plain: readonly string[];
  #compiledFor: { catalog: Catalog; generation: number } | undefined;
  #models = new Set<string>();
  #unknown = new Set<string>();

  constructor(patterns: readonly string[]) {
    this.patterns = patterns;
    this.#any = patterns.includes('*');
    this.#globs = patterns.filter((pattern) => pattern.includes('*')).map(compileGlob);
    this.#plain = patterns.filter((pattern) => !pattern.includes('*'));
  }

  /** Whether a resolved model is selected by the list (plain entries resolved in `catalog`). */
  matches(resolved: ResolvedModel, catalog: Catalog = defaultCatalog()): boolean {
    if (this.#any) return true;
    if (this.#globs.length > 0) {
      const names = matchedNames(resolved);
      for (const glob of this.#globs) if (names.some((name) => glob.test(name))) return true;
    }
    if (this.#plain.length === 0) return false;
    this.#compile(catalog);
    return resolved.model ? this.#models.has(resolved.model.name) : this.#unknown.has(idsKey(resolved));
  }

  /** Whether any of some plain names (not resolved) is listed or matches a glob: the emulator's extra models. */
  matchesAnyName(names: readonly string[]): boolean {
    if (this.#any) return true;
    return names.some(
      (name) =>
        this.#plain.some((plain) => plain.toLowerCase() === name.toLowerCase()) ||
        this.#globs.some((glob) => glob.test(name)),
    );
  }

  #compile(catalog: Catalog): void {
    const compiled = this.#compiledFor;
    if (compiled && compiled.catalog === catalog && compiled.generation === catalog.generation) return;
    const models = new Set<string>();
    const unknown = new Set<string>();
    for (const plain of this.#plain) {
      const resolved = catalog.resolve(plain);
      if (resolved.model) models.add(resolved.model.name);
      else unknown.add(idsKey(resolved));
    }
    this.#models = models;
    this.#unknown = unknown;
    this.#compiledFor = { catalog, generation: catalog.generation };
  }
}

/** Matchers of lists held elsewhere (a key record's allowlist, the emulator's extras), compiled once per list. */
const matchers = new WeakMap<readonly string[], ModelMatcher>();

/** The matcher of a list, compiled the first time the list is seen. */
export function matcherOf(patterns: readonly string[]): ModelMatcher {
  let matcher = matchers.get(patterns);
  if (!matcher) {
    matcher = new ModelMatcher(patterns);
    matchers.set(patterns, matcher);
  }
  return matcher;
}
