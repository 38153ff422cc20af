import type { PlatformCallContext, PlatformListItem } from '../descriptor.js';
import { listAnthropicModels } from './list-anthropic-models.js';
import { verifyAnthropicKey } from './verify-anthropic-key.js';

/** The Anthropic API's own list: `GET /v1/models`. */
export async function listAnthropicPlatform(context: PlatformCallContext): Promise<PlatformListItem[]> {
  const settings = context.platforms.anthropic ?? {};
  const models = await listAnthropicModels({
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    ...(settings.authToken ? { authToken: settings.authToken } : {}),
    ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
  });
  return models.map((model) => ({
    platform: 'anthropic',
    id: model.id,
    kind: 'model',
    source: 'platform',
    ...(model.displayName ? { displayName: model.displayName } : {}),
  }));
}

/** The key, checked with `GET /v1/models`. */
export async function verifyAnthropicPlatform(context: PlatformCallContext): Promise<string> {
  const settings = context.platforms.anthropic ?? {};
  const report = await verifyAnthropicKey({
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    ...(settings.authToken ? { authToken: settings.authToken } : {}),
    ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
  });
  const kind = report.authentication === 'api-key' ? 'API key' : 'auth token';
  return `${kind} accepted by ${report.baseUrl}${report.firstModel ? ` (models include ${report.firstModel})` : ''}`;
}
