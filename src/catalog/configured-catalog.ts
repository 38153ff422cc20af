import type { Catalog } from './catalog.js';
import { type ConfiguredModel, patchOf } from './configured-models.js';

/**
 * A copy of `base` with the configuration's `models:` applied (they win over
 * built-in and discovered rows). The base is never changed.
 */
export function configuredCatalog(base: Catalog, config: { models: readonly ConfiguredModel[] }): Catalog {
  const catalog = base.clone();
  catalog.setConfigured(config.models.map((row) => ({ name: row.name, patch: patchOf(row) })));
  return catalog;
}
