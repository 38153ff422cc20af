export { Catalog } from './catalog.js';
export { builtInModels, defaultCatalog } from './default-catalog.js';
export { deprecationNotice } from './deprecation.js';
export { GEOGRAPHY_IDS, geoLabel, geoWithin } from './geographies.js';
export * from './platforms.js';
export { costOfUsage, isRegionalTarget, REGIONAL_PREMIUM, type TokenUsage } from './pricing.js';
export {
  bedrockModelId,
  CatalogError,
  deriveIds,
  findModel,
  listModels,
  modelIdForTarget,
  type ResolvedModel,
  resolveModel,
} from './resolve.js';
export * from './types.js';
