import type { Hono } from 'hono';
import { bedrockModels, foundationModelSummary, inferenceProfiles } from '../../catalog/bedrock-listings.js';
import { resolveModel } from '../../catalog/resolve.js';
import { decodePathSegment } from '../../net/decode-path-segment.js';
import { GatewayError } from '../../wire/errors/gateway-error.js';
import { awsJsonAuthErrorResponse } from '../auth/aws-auth-failure.js';
import type { EmulatorAuth } from '../auth/emulator-auth.js';
import { emulatorModels } from '../extra-models.js';
import { type EmulatorContext, type EmulatorEnv, rawTarget } from '../http.js';
import { journalHeaders } from '../journal.js';
import { platformErrorResponse } from '../respond/platform-error-response.js';
import type { EmulatorState } from '../state.js';
import { signedRequestOf } from './bedrock-runtime.js';

/** The account's application inference profiles (`applicationProfiles` in the emulator's options), as Bedrock lists them. */
function applicationProfiles(state: EmulatorState, region: string, account: string) {
  return state.options.applicationProfiles.map((profile) => ({
    inferenceProfileName: profile.id,
    description: `Application inference profile for ${profile.model}`,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    inferenceProfileArn: `arn:aws:bedrock:${region}:${account}:application-inference-profile/${profile.id}`,
    models: [{ modelArn: `arn:aws:bedrock:${region}::foundation-model/${profile.model}` }],
    inferenceProfileId: profile.id,
    status: 'ACTIVE',
    type: 'APPLICATION',
  }));
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
        : bedrockModels(emulatorModels(state.options.extraModels), state.options.clock()).map((model) =>
            foundationModelSummary(model, caller.region, state.options.clock()),
          );
    return context.json({ modelSummaries: models });
  });

  app.get('/foundation-models/:id', async (context) => {
    const caller = await authorize(context, 'GetFoundationModel');
    if ('response' in caller) return caller.response;
    const known = resolveModel(context.req.param('id')).model;
    const model = bedrockModels(emulatorModels(state.options.extraModels), state.options.clock()).find(
      (candidate) => candidate === known,
    );
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
    return context.json({
      modelDetails: foundationModelSummary(model, caller.region, state.options.clock()),
    });
  });

  app.get('/inference-profiles', async (context) => {
    const caller = await authorize(context, 'ListInferenceProfiles');
    if ('response' in caller) return caller.response;
    const type = context.req.query('type');
    const all =
      type === 'APPLICATION'
        ? applicationProfiles(state, caller.region, auth.credentials.awsAccountId)
        : type && type !== 'SYSTEM_DEFINED'
          ? []
          : inferenceProfiles(
              emulatorModels(state.options.extraModels),
              state.options.clock(),
              caller.region,
              auth.credentials.awsAccountId,
            );
    const maxResults = Math.min(1000, Math.max(1, Number(context.req.query('maxResults') ?? 100) || 100));
    const start = Number(context.req.query('nextToken') ?? 0) || 0;
    const page = all.slice(start, start + maxResults);
    const next = start + maxResults < all.length ? String(start + maxResults) : undefined;
    return context.json({ inferenceProfileSummaries: page, ...(next ? { nextToken: next } : {}) });
  });

  app.get('/inference-profiles/:id', async (context) => {
    const caller = await authorize(context, 'GetInferenceProfile');
    if ('response' in caller) return caller.response;
    const wanted = decodePathSegment(context.req.param('id'));
    const profile = inferenceProfiles(
      emulatorModels(state.options.extraModels),
      state.options.clock(),
      caller.region,
      auth.credentials.awsAccountId,
    ).find(
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
