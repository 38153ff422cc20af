import { BEDROCK_REGIONS, BEDROCK_SCOPE_SOURCE_REGIONS } from '../../catalog/platforms.js';
import { modelIdForTarget, resolveIn } from '../../catalog/resolve.js';
import type { BedrockScope, ModelEntry } from '../../catalog/types.js';
import { resolveAwsRegion } from '../aws/aws-region.js';
import { commonFields, contextOf, deprecationOf, priceOf } from '../catalog-view.js';
import type { CatalogView, CatalogViewInput } from '../descriptor.js';
import { bedrockTargetFor } from './bedrock-targets.js';

function callableScopes(model: ModelEntry, region: string): BedrockScope[] {
  return (model.bedrock?.scopes ?? []).filter(
    (scope) => scope === 'global' || BEDROCK_SCOPE_SOURCE_REGIONS[scope].includes(region),
  );
}

/** Bedrock's ids, scopes and the scopes callable from a region, with the id the gateway would use there. */
export function bedrockCatalogView(input: CatalogViewInput): CatalogView {
  const awsRegion = input.region ?? resolveAwsRegion({ env: input.env }).region;
  const notes = [
    `Bedrock in ${awsRegion}: the id to use is the global profile when the model has one, else the region's own scope, else the base id in-region.`,
    'Regional (non-global) profiles cost 10% more for Claude Sonnet 4.5 and later.',
  ];
  if (!BEDROCK_REGIONS.includes(awsRegion)) {
    notes.unshift(`${awsRegion} is not a region the catalog knows Bedrock in; check the spelling.`);
  }
  const rows: string[][] = [];
  const json: unknown[] = [];
  for (const model of input.models) {
    if (!model.bedrock) continue;
    const callable = callableScopes(model, awsRegion);
    const resolved = resolveIn(new Map([[model.name.toLowerCase(), model]]), model.name);
    let idToUse: string;
    try {
      idToUse = modelIdForTarget(resolved, bedrockTargetFor(resolved, awsRegion));
    } catch {
      idToUse = 'none from this region';
    }
    rows.push([
      model.name,
      model.bedrock.baseId,
      model.bedrock.scopes.join(', ') + (model.bedrock.profileOnly ? ' (profiles only)' : ''),
      callable.length > 0 ? callable.join(', ') : 'none: base id, if hosted here',
      idToUse,
      contextOf(model),
      priceOf(model),
      deprecationOf(model, input.today, 'bedrock'),
    ]);
    const baseId = model.bedrock.baseId;
    json.push({
      ...commonFields(model),
      region: awsRegion,
      baseId,
      scopes: model.bedrock.scopes,
      profileOnly: model.bedrock.profileOnly,
      callableScopes: callable,
      profileIds: callable.map((scope) => `${scope}.${baseId}`),
      idToUse,
    });
  }
  return {
    headers: [
      'MODEL',
      'BASE ID',
      'SCOPES',
      `CALLABLE FROM ${awsRegion}`,
      'ID TO USE',
      'CONTEXT',
      '$/MTOK IN / OUT',
      'DEPRECATION',
    ],
    rows,
    json,
    notes,
  };
}
