import { Catalog } from './catalog.js';
import data from './data/models.json' with { type: 'json' };
import { parseModelDataFile } from './model-data.js';
import type { ModelEntry } from './types.js';

let builtIn: readonly ModelEntry[] | undefined;
let catalog: Catalog | undefined;

/** The models in the package's data file (`src/catalog/data/models.json`), validated once. */
export function builtInModels(): readonly ModelEntry[] {
  builtIn ??= parseModelDataFile(data, 'built-in', 'src/catalog/data/models.json');
  return builtIn;
}

/**
 * The built-in catalog: what the library and the emulator use unless given
 * another. A gateway keeps its own (with discovered and configured models).
 */
export function defaultCatalog(): Catalog {
  catalog ??= new Catalog(builtInModels());
  return catalog;
}
