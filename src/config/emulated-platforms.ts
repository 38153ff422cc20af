import { listModels } from '../catalog/resolve.js';
import type { Emulator } from '../emulator/server.js';
import { anthropicDescriptor } from '../platforms/anthropic/descriptor.js';
import type { PlatformsConfig, RouteConfig } from './schema.js';

/**
 * Every platform pointed at a running emulator with the emulator's own
 * credentials: what `serve --emulate` runs on.
 */
export function emulatedPlatforms(emulator: Pick<Emulator, 'baseUrl' | 'auth'>): PlatformsConfig {
  const credentials = emulator.auth.credentials;
  const url = emulator.baseUrl;
  return {
    anthropic: { apiKey: credentials.anthropicApiKey, baseUrl: url },
    bedrock: {
      region: 'us-east-1',
      accessKeyId: credentials.awsAccessKeyId,
      secretAccessKey: credentials.awsSecretAccessKey,
      endpoint: url,
      controlEndpoint: url,
      stsEndpoint: url,
      // The emulator tells Bedrock's Messages hosts apart by a path prefix (see src/emulator/routes/aws-messages.ts).
      messagesEndpoint: `${url}/bedrock-runtime/anthropic`,
    },
    claudePlatformAws: {
      region: 'us-east-1',
      workspaceId: credentials.claudePlatformAwsWorkspaceId,
      accessKeyId: credentials.awsAccessKeyId,
      secretAccessKey: credentials.awsSecretAccessKey,
      endpoint: `${url}/aws-external-anthropic`,
    },
    vertex: {
      projectId: credentials.vertexProjectId,
      region: 'global',
      endpoint: url,
      credentials: { ...emulator.auth.serviceAccountJson(`${url}/token`) },
      tokenUrl: `${url}/token`,
    },
    foundry: { baseUrl: `${url}/anthropic`, apiKey: credentials.anthropicApiKey },
  };
}

/**
 * Routes for every catalog model in emulate mode: Bedrock's global profile
 * when the model has one (else its first scope), then Vertex global, then the
 * Anthropic API. Names nothing matches (newer models Claude Code asks for) go
 * to the default targets.
 */
export function emulatedRoutes(): RouteConfig[] {
  return listModels().map((model) => {
    const scopes = model.bedrock?.scopes ?? [];
    const scope = scopes.includes('global') ? 'global' : scopes[0];
    const targets: string[] = [];
    if (model.bedrock) targets.push(scope ? `bedrock/${scope}` : 'bedrock/us-east-1');
    if (model.vertexId) targets.push('vertex/global');
    if (anthropicDescriptor.catalogId(model)) targets.push('anthropic');
    return { models: [model.name], targets };
  });
}

/** Targets for names no route matches, in emulate mode. */
export const EMULATED_DEFAULT_TARGETS = ['anthropic', 'bedrock/global', 'bedrock/us', 'vertex/global'];
