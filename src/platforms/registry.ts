import type { Platform } from '../catalog/types.js';
import type { PlatformsConfig } from '../config/schema.js';
import { createAnthropicAdapter } from './anthropic/anthropic-adapter.js';
import { BedrockAdapter } from './bedrock/bedrock-adapter.js';
import { BedrockMessagesAdapter } from './bedrock-messages/bedrock-messages-adapter.js';
import type { BetaMemory } from './betas.js';
import { ClaudePlatformAwsAdapter } from './claude-platform-aws/claude-platform-aws-adapter.js';
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
    const invoke = new BedrockAdapter({
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
    adapters.bedrock = invoke;
    // Bedrock's Messages API (`bedrock-messages/…` targets) reuses the bedrock section and its credential cache.
    adapters['bedrock-messages'] = new BedrockMessagesAdapter({
      region: invoke.region,
      ...(bedrock.messagesHost ? { host: bedrock.messagesHost } : {}),
      ...(bedrock.messagesEndpoint ? { endpoint: bedrock.messagesEndpoint } : {}),
      authorizer: invoke.authorizer,
      betaMemory,
    });
  }
  const claudePlatformAws = platforms.claudePlatformAws;
  if (claudePlatformAws) {
    adapters['claude-platform-aws'] = new ClaudePlatformAwsAdapter({
      ...(claudePlatformAws.region ? { region: claudePlatformAws.region } : {}),
      ...(claudePlatformAws.workspaceId ? { workspaceId: claudePlatformAws.workspaceId } : {}),
      ...(claudePlatformAws.apiKey ? { apiKey: claudePlatformAws.apiKey } : {}),
      ...(claudePlatformAws.profile ? { profile: claudePlatformAws.profile } : {}),
      ...(claudePlatformAws.endpoint ? { endpoint: claudePlatformAws.endpoint } : {}),
      ...(claudePlatformAws.accessKeyId && claudePlatformAws.secretAccessKey
        ? {
            credentials: {
              accessKeyId: claudePlatformAws.accessKeyId,
              secretAccessKey: claudePlatformAws.secretAccessKey,
              ...(claudePlatformAws.sessionToken ? { sessionToken: claudePlatformAws.sessionToken } : {}),
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
