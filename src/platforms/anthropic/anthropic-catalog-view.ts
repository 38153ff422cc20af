import { commonFields, contextOf, deprecationOf, formatTokens, priceOf } from '../catalog-view.js';
import type { CatalogView, CatalogViewInput } from '../descriptor.js';

/** The Anthropic API's ids and aliases. */
export function anthropicCatalogView(input: CatalogViewInput): CatalogView {
  const offered = input.models.filter((model) => model.offeredBy.includes('anthropic'));
  return {
    headers: ['MODEL', 'ID', 'ALIASES', 'CONTEXT', 'MAX OUTPUT', '$/MTOK IN / OUT', 'DEPRECATION'],
    rows: offered.map((model) => [
      model.name,
      model.anthropicId,
      model.aliases.join(', '),
      contextOf(model),
      formatTokens(model.maxOutputTokens),
      priceOf(model),
      deprecationOf(model, input.today, 'anthropic'),
    ]),
    json: offered.map((model) => ({ ...commonFields(model), id: model.anthropicId, aliases: model.aliases })),
    notes: [],
  };
}
