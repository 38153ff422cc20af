import { CLIENT_BETAS, FIRST_PARTY_ONLY_BETAS, SHARED_BETAS, VERTEX_ONLY_BETAS } from '../beta-support.js';
import type { PlatformDescriptor } from '../descriptor.js';
import { vertexHint } from './vertex-fix-hint.js';
import { VERTEX_TARGET_RULES } from './vertex-targets.js';

/** Vertex AI (Google Cloud's Agent Platform): `rawPredict` / `streamRawPredict`, SSE. */
export const vertexDescriptor: PlatformDescriptor = {
  name: 'vertex',
  displayName: 'Vertex AI',
  configKey: 'vertex',
  ownsConfigSection: true,
  streamFraming: 'sse',
  // Anthropic-shaped for what the model says, `google.rpc.Status` for what Google's front end says.
  errorDialect: 'vertex',
  genAiProviderName: 'gcp.vertex_ai',
  credentialCheck: 'Google credentials (token and project)',
  targets: VERTEX_TARGET_RULES,
  betas: {
    accepted: [...SHARED_BETAS, ...CLIENT_BETAS, ...VERTEX_ONLY_BETAS],
    rejected: FIRST_PARTY_ONLY_BETAS.filter((beta) => !VERTEX_ONLY_BETAS.includes(beta)),
    unknown: 'reject',
  },
  apiVersions: { accepted: ['vertex-2023-10-16', '2026-10-21'] },
  maxBodyBytes: 30 * 1024 * 1024,
  // Google sets its own dates: Anthropic's do not retire a model here.
  lifecycle: { datesOf: 'vertex', anthropicDates: false },
  // Regional endpoints (any location but `global`) cost 10% more for the models with a premium.
  regionalPremium: (target) => target.region !== undefined && target.region !== 'global',
  modelId: (resolved) => resolved.ids.vertex,
  catalogId: (model) => model.vertexId,
  fixHint: (error, context) => vertexHint(error, context),
  listModels: async () => (await import('./vertex-platform-calls.js')).listVertexPlatform(),
  verify: async (context) => (await import('./vertex-platform-calls.js')).verifyVertexPlatform(context),
  location: async (settings, env) => (await import('./vertex-location.js')).vertexLocation(settings, env),
  catalogView: async (input) => (await import('./vertex-catalog-view.js')).vertexCatalogView(input),
};
