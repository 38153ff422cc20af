import { commonFields, contextOf, deprecationOf, priceOf } from '../catalog-view.js';
import type { CatalogView, CatalogViewInput } from '../descriptor.js';

/** Foundry's deployment names. */
export function foundryCatalogView(input: CatalogViewInput): CatalogView {
  const offered = input.models.filter((model) => model.foundryId);
  return {
    headers: ['MODEL', 'FOUNDRY DEPLOYMENT', 'CONTEXT', '$/MTOK IN / OUT', 'DEPRECATION'],
    rows: offered.map((model) => [
      model.name,
      model.foundryId ?? '',
      contextOf(model),
      priceOf(model),
      deprecationOf(model, input.today, 'foundry'),
    ]),
    json: offered.map((model) => ({ ...commonFields(model), foundryId: model.foundryId })),
    notes: ['Microsoft Foundry serves the models deployed in your resource, under their deployment names.'],
  };
}
