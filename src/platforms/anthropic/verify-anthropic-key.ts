import { ENDPOINTS } from '../../catalog/platforms.js';
import { anthropicCredentials } from './anthropic-credentials.js';
import { type ListAnthropicModelsOptions, listAnthropicModels } from './list-anthropic-models.js';

/** What `doctor` and `Claude.verify()` report for Anthropic API credentials that work. */
export interface AnthropicKeyReport {
  baseUrl: string;
  authentication: 'api-key' | 'bearer';
  /** The first model the key may use, when the list is not empty. */
  firstModel?: string;
}

/**
 * Checks Anthropic API credentials with the cheapest call there is
 * (`GET /v1/models?limit=1`). Throws the GatewayError the API answered with
 * (an invalid key gets a hint on where the key comes from), or
 * PLATFORM_CREDENTIALS_UNAVAILABLE when no key is configured.
 *
 * @example
 * await verifyAnthropicKey({ apiKey: 'sk-ant-…' }); // { baseUrl: 'https://api.anthropic.com', authentication: 'api-key', firstModel: 'claude-opus-4-6' }
 */
export async function verifyAnthropicKey(
  options: Omit<ListAnthropicModelsOptions, 'limit'> = {},
): Promise<AnthropicKeyReport> {
  const models = await listAnthropicModels({ ...options, limit: 1 });
  const report: AnthropicKeyReport = {
    baseUrl: options.baseUrl ?? ENDPOINTS.anthropic,
    authentication: anthropicCredentials(options)?.kind === 'bearer' ? 'bearer' : 'api-key',
  };
  const first = models[0];
  if (first) report.firstModel = first.id;
  return report;
}
