import { isRetired } from './deprecation.js';
import { BEDROCK_SCOPE_SOURCE_REGIONS } from './platforms.js';
import type { BedrockOffer, BedrockScope, ModelEntry } from './types.js';

/*
 * The catalog as Bedrock's control plane lists it (ListFoundationModels,
 * ListInferenceProfiles), for the emulator and for the gateway's own Bedrock
 * ingress (Claude Code calls /inference-profiles at start).
 */

const SCOPE_LABEL: Record<BedrockScope, string> = {
  global: 'Global',
  us: 'US',
  eu: 'EU',
  jp: 'JP',
  apac: 'APAC',
  au: 'AU',
};

/** Bedrock's model dates: the start of life from the release day, else the id's date. */
function startOfLife(model: ModelEntry): string {
  if (model.released) return `${model.released}T00:00:00Z`;
  const date = /(\d{4})(\d{2})(\d{2})/.exec(model.anthropicId);
  return date ? `${date[1]}-${date[2]}-${date[3]}T00:00:00Z` : '2025-01-01T00:00:00Z';
}

/** The models Bedrock offers (not retired there by `now`), with their Bedrock facts. */
export function bedrockModels(
  models: readonly ModelEntry[],
  now: number,
): (ModelEntry & { bedrock: BedrockOffer })[] {
  return models.filter(
    (model): model is ModelEntry & { bedrock: BedrockOffer } =>
      model.bedrock !== undefined && !isRetired(model, now, 'bedrock'),
  );
}

export function foundationModelSummary(
  model: ModelEntry & { bedrock: BedrockOffer },
  region: string,
  now: number,
) {
  const deprecated =
    model.deprecated !== undefined && model.deprecated <= new Date(now).toISOString().slice(0, 10);
  return {
    modelArn: `arn:aws:bedrock:${region}::foundation-model/${model.bedrock.baseId}`,
    modelId: model.bedrock.baseId,
    modelName: model.displayName,
    providerName: 'Anthropic',
    inputModalities: ['TEXT', 'IMAGE'],
    outputModalities: ['TEXT'],
    responseStreamingSupported: true,
    customizationsSupported: [],
    inferenceTypesSupported: model.bedrock.profileOnly
      ? ['INFERENCE_PROFILE']
      : ['ON_DEMAND', 'INFERENCE_PROFILE'],
    modelLifecycle: { status: deprecated ? 'LEGACY' : 'ACTIVE', startOfLifeTime: startOfLife(model) },
  };
}

/** The system-defined inference profiles callable from a region, as Bedrock lists them. */
export function inferenceProfiles(
  models: readonly ModelEntry[],
  now: number,
  region: string,
  account: string,
) {
  const profiles = [];
  for (const model of bedrockModels(models, now)) {
    for (const scope of model.bedrock.scopes) {
      const sources = scope === 'global' ? [region] : BEDROCK_SCOPE_SOURCE_REGIONS[scope];
      if (!sources.includes(region)) continue;
      const id = `${scope}.${model.bedrock.baseId}`;
      const destinations = scope === 'global' ? [region] : sources;
      profiles.push({
        inferenceProfileName: `${SCOPE_LABEL[scope]} ${model.displayName}`,
        description: `Routes requests to ${model.displayName} in ${scope === 'global' ? 'any commercial region' : destinations.join(', ')}.`,
        createdAt: startOfLife(model),
        updatedAt: startOfLife(model),
        inferenceProfileArn: `arn:aws:bedrock:${region}:${account}:inference-profile/${id}`,
        models: destinations.map((destination) => ({
          modelArn: `arn:aws:bedrock:${destination}::foundation-model/${model.bedrock.baseId}`,
        })),
        inferenceProfileId: id,
        status: 'ACTIVE',
        type: 'SYSTEM_DEFINED',
      });
    }
  }
  return profiles;
}
