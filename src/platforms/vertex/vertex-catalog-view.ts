import { commonFields, contextOf, deprecationOf, priceOf } from '../catalog-view.js';
import type { CatalogView, CatalogViewInput } from '../descriptor.js';

/** Vertex AI's ids in a location, with the regional premium where it applies. */
export function vertexCatalogView(input: CatalogViewInput): CatalogView {
  const location = input.region ?? input.env['CLOUD_ML_REGION'] ?? 'global';
  const regional = location !== 'global';
  const offered = input.models.filter((model) => model.vertexId);
  return {
    headers: ['MODEL', 'VERTEX ID', 'CONTEXT', '$/MTOK IN / OUT', 'DEPRECATION'],
    rows: offered.map((model) => [
      model.name,
      model.vertexId ?? '',
      contextOf(model),
      priceOf(model) + (regional && model.regionalPremium ? ' +10%' : ''),
      deprecationOf(model, input.today, 'vertex'),
    ]),
    json: offered.map((model) => ({ ...commonFields(model), location, vertexId: model.vertexId })),
    notes: [
      `Vertex AI location ${location}${regional ? ': regional endpoints cost 10% more for Claude Sonnet 4.5 and later' : ''}.`,
    ],
  };
}
