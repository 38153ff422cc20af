import type { Hono } from 'hono';
import { BEDROCK_SCOPE_SOURCE_REGIONS } from '../../catalog/platforms.js';
import { listModels, resolveModel } from '../../catalog/resolve.js';
import type { BedrockScope, ModelEntry } from '../../catalog/types.js';
import { GatewayError } from '../../wire/errors/gateway-error.js';
import { awsJsonAuthErrorResponse } from '../auth/aws-auth-failure.js';
import type { EmulatorAuth } from '../auth/emulator-auth.js';
import { type EmulatorContext, type EmulatorEnv, rawTarget } from '../http.js';
import { journalHeaders } from '../journal.js';
import { platformErrorResponse } from '../respond/platform-error-response.js';
import type { EmulatorState } from '../state.js';
import { signedRequestOf } from './bedrock-runtime.js';

const SCOPE_LABEL: Record<BedrockScope, string> = {
  global: 'Global',
  us: 'US',
  eu: 'EU',
  jp: 'JP',
  apac: 'APAC',
  au: 'AU',
};

/** Bedrock's model dates: the start of life from the id's date. */
function startOfLife(model: ModelEntry): string {
  const date = /(\d{4})(\d{2})(\d{2})/.exec(model.anthropicId);
  return date ? `${date[1]}-${date[2]}-${date[3]}T00:00:00Z` : '2025-01-01T00:00:00Z';
}

function foundationModelSummary(model: ModelEntry, region: string) {
  const needsProfile = model.bedrock.scopes.includes('global') || model.regionalPremium;
  return {
    modelArn: `arn:aws:bedrock:${region}::foundation-model/${model.bedrock.baseId}`,
    modelId: model.bedrock.baseId,
    modelName: model.displayName,
    providerName: 'Anthropic',
    inputModalities: ['TEXT', 'IMAGE'],
    outputModalities: ['TEXT'],
    responseStreamingSupported: true,
    customizationsSupported: [],
    inferenceTypesSupported: needsProfile ? ['INFERENCE_PROFILE'] : ['ON_DEMAND', 'INFERENCE_PROFILE'],
    modelLifecycle: { status: model.deprecated ? 'LEGACY' : 'ACTIVE', startOfLifeTime: startOfLife(model) },
  };
}

/** The system-defined inference profiles callable from a region, as Bedrock lists them. */
function inferenceProfiles(region: string, account: string) {
  const profiles = [];
  for (const model of listModels()) {
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

/** Bedrock's control plane: ListFoundationModels, GetFoundationModel, ListInferenceProfiles, GetInferenceProfile. */
export function mountBedrockControlRoutes(
  app: Hono<EmulatorEnv>,
  state: EmulatorState,
  auth: EmulatorAuth,
): void {
  async function authorize(context: EmulatorContext, operation: string) {
    const { path } = rawTarget(context);
    const journal = state.journal.add({
      platform: 'bedrock',
      operation,
      method: 'GET',
      path,
      headers: journalHeaders(context.req.raw.headers),
      bodyBytes: 0,
    });
    const caller = await auth.verifyBedrockRequest(signedRequestOf(context, new Uint8Array()));
    if (!caller.ok) {
      journal.status = caller.status;
      return { response: awsJsonAuthErrorResponse(caller) } as const;
    }
    journal.status = 200;
    const region = caller.method === 'sigv4' ? caller.region : state.options.defaultAwsRegion;
    journal.region = region;
    return { region } as const;
  }

  app.get('/foundation-models', async (context) => {
    const caller = await authorize(context, 'ListFoundationModels');
    if ('response' in caller) return caller.response;
    const provider = context.req.query('byProvider');
    const models =
      provider && provider.toLowerCase() !== 'anthropic'
        ? []
        : listModels().map((model) => foundationModelSummary(model, caller.region));
    return context.json({ modelSummaries: models });
  });

  app.get('/foundation-models/:id', async (context) => {
    const caller = await authorize(context, 'GetFoundationModel');
    if ('response' in caller) return caller.response;
    const model = resolveModel(context.req.param('id')).model;
    if (!model) {
      return platformErrorResponse(
        'bedrock',
        GatewayError.fromBedrock({
          name: 'ResourceNotFoundException',
          status: 404,
          message: 'The specified model was not found.',
        }),
      );
    }
    return context.json({ modelDetails: foundationModelSummary(model, caller.region) });
  });

  app.get('/inference-profiles', async (context) => {
    const caller = await authorize(context, 'ListInferenceProfiles');
    if ('response' in caller) return caller.response;
    const type = context.req.query('type');
    const all =
      type && type !== 'SYSTEM_DEFINED'
        ? []
        : inferenceProfiles(caller.region, auth.credentials.awsAccountId);
    const maxResults = Math.min(1000, Math.max(1, Number(context.req.query('maxResults') ?? 100) || 100));
    const start = Number(context.req.query('nextToken') ?? 0) || 0;
    const page = all.slice(start, start + maxResults);
    const next = start + maxResults < all.length ? String(start + maxResults) : undefined;
    return context.json({ inferenceProfileSummaries: page, ...(next ? { nextToken: next } : {}) });
  });

  app.get('/inference-profiles/:id', async (context) => {
    const caller = await authorize(context, 'GetInferenceProfile');
    if ('response' in caller) return caller.response;
    const wanted = decodeURIComponent(context.req.param('id'));
    const profile = inferenceProfiles(caller.region, auth.credentials.awsAccountId).find(
      (candidate) => candidate.inferenceProfileId === wanted || candidate.inferenceProfileArn === wanted,
    );
    if (!profile) {
      return platformErrorResponse(
        'bedrock',
        GatewayError.fromBedrock({
          name: 'ResourceNotFoundException',
          status: 404,
          message: 'The specified inference profile was not found.',
        }),
      );
    }
    return context.json(profile);
  });
}
