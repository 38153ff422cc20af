import type { Platform } from '../catalog/types.js';
import type { PlatformsConfig } from '../config/schema.js';
import { createAnthropicAdapter } from './anthropic/anthropic-adapter.js';
import { BedrockAdapter } from './bedrock/bedrock-adapter.js';
import type { BetaMemory } from './betas.js';
import { createFoundryAdapter } from './foundry/foundry-adapter.js';
import type { PlatformAdapter } from './types.js';
import { createVertexAdapter } from './vertex/vertex-adapter.js';

/**
 * One adapter per configured platform, sharing what the engine learns about
 * rejected betas. Credentials are not fetched here: each adapter resolves and
 * caches them at first use (`doctor` and `serve` check them up front).
 */
export function createAdapters(
  platforms: PlatformsConfig,
  betaMemory: BetaMemory,
): Partial<Record<Platform, PlatformAdapter>> {
  const adapters: Partial<Record<Platform, PlatformAdapter>> = {};
  const anthropic = platforms.anthropic;
  if (anthropic) {
    adapters.anthropic = createAnthropicAdapter({
      ...(anthropic.apiKey ? { apiKey: anthropic.apiKey } : {}),
      ...(anthropic.authToken ? { authToken: anthropic.authToken } : {}),
      ...(anthropic.baseUrl ? { baseUrl: anthropic.baseUrl } : {}),
      betaMemory,
    });
  }
  const bedrock = platforms.bedrock;
  if (bedrock) {
    adapters.bedrock = new BedrockAdapter({
      ...(bedrock.region ? { region: bedrock.region } : {}),
      ...(bedrock.profile ? { profile: bedrock.profile } : {}),
      ...(bedrock.endpoint ? { endpoint: bedrock.endpoint } : {}),
      ...(bedrock.apiKey ? { apiKey: bedrock.apiKey } : {}),
      ...(bedrock.accessKeyId && bedrock.secretAccessKey
        ? {
            credentials: {
              accessKeyId: bedrock.accessKeyId,
              secretAccessKey: bedrock.secretAccessKey,
              ...(bedrock.sessionToken ? { sessionToken: bedrock.sessionToken } : {}),
            },
          }
        : {}),
      betaMemory,
    });
  }
  const vertex = platforms.vertex;
  if (vertex) {
    adapters.vertex = createVertexAdapter({
      ...(vertex.projectId ? { projectId: vertex.projectId } : {}),
      ...(vertex.region ? { region: vertex.region } : {}),
      ...(vertex.keyFile ? { keyFile: vertex.keyFile } : {}),
      ...(vertex.credentials ? { credentials: vertex.credentials } : {}),
      ...(vertex.accessToken ? { accessToken: vertex.accessToken } : {}),
      ...(vertex.quotaProjectId ? { quotaProjectId: vertex.quotaProjectId } : {}),
      ...(vertex.endpoint ? { endpoint: vertex.endpoint } : {}),
      ...(vertex.tokenUrl ? { tokenUrl: vertex.tokenUrl } : {}),
      betaMemory,
    });
  }
  const foundry = platforms.foundry;
  if (foundry) {
    adapters.foundry = createFoundryAdapter({
      ...(foundry.resource ? { resource: foundry.resource } : {}),
      ...(foundry.baseUrl ? { baseUrl: foundry.baseUrl } : {}),
      ...(foundry.apiKey ? { apiKey: foundry.apiKey } : {}),
      ...(foundry.entraToken ? { entraToken: foundry.entraToken } : {}),
      betaMemory,
    });
  }
  return adapters;
}
