import { matcherOf } from '../catalog/model-matcher.js';
import { listModels, resolveModel } from '../catalog/resolve.js';
import type { ModelEntry } from '../catalog/types.js';
import { unpricedModel } from '../catalog/unpriced-model.js';

/**
 * Whether the emulator serves a model the catalog does not know: the
 * configured extras, as names or globs (`claude-*`), matched against the name
 * as sent and its first-party form (`us.anthropic.claude-opus-4-8-v1` → `claude-opus-4-8`).
 */
export function isExtraModel(extraModels: readonly string[], name: string): boolean {
  if (extraModels.length === 0) return false;
  return matcherOf(extraModels).matchesAnyName([name, resolveModel(name).ids.anthropic]);
}

/**
 * The plain names among the extras (no `*`) as catalog rows, so the emulator
 * lists them as a platform lists a model newer than the data: the same id on
 * the Anthropic API and Vertex, `anthropic.<name>` with global and us profiles
 * on Bedrock. Listing is all they are for (discovery tests); serving them goes
 * by isExtraModel.
 */
export function listedExtraModels(extraModels: readonly string[]): ModelEntry[] {
  return extraModels
    .filter((name) => name.startsWith('claude-') && !name.includes('*') && !resolveModel(name).model)
    .map((name) => ({
      ...unpricedModel(name, 'emulator --extra-model'),
      offeredBy: ['anthropic', 'bedrock', 'vertex'],
      bedrock: {
        baseId: `anthropic.${name}`,
        scopes: ['global', 'us'],
        profileOnly: false,
        integration: 'both',
      },
      vertexId: name,
    }));
}

/** The models an emulator lists: the catalog's and the plain extras. */
export function emulatorModels(extraModels: readonly string[]): readonly ModelEntry[] {
  const extras = listedExtraModels(extraModels);
  return extras.length === 0 ? listModels() : [...listModels(), ...extras];
}
