import { z } from 'zod';
import { ENDPOINTS } from '../../catalog/platforms.js';
import { GatewayError, parseAnthropicError } from '../../wire/errors/index.js';
import { apiVersionFor } from '../api-version.js';
import {
  type AnthropicCredentialOptions,
  anthropicCredentials,
  MISSING_ANTHROPIC_CREDENTIALS,
} from './anthropic-credentials.js';
import { firstPartyAuthHeaders } from './first-party-credentials.js';
import { firstPartyUrl } from './first-party-url.js';
import { withErrorHint } from './with-error-hint.js';

/** One model as `GET /v1/models` lists it. */
export interface AnthropicModelInfo {
  id: string;
  displayName?: string;
  /** RFC 3339 date-time of the model's release. */
  createdAt?: string;
}

export interface ListAnthropicModelsOptions extends AnthropicCredentialOptions {
  /** Default `https://api.anthropic.com`. */
  baseUrl?: string;
  /** Stop after this many models (default: all of them). */
  limit?: number;
  fetch?: typeof fetch;
}

const PAGE_SIZE = 1000;

const modelsPageSchema = z.object({
  data: z.array(
    z.object({ id: z.string(), display_name: z.string().nullish(), created_at: z.string().nullish() }),
  ),
  has_more: z.boolean().nullish(),
  last_id: z.string().nullish(),
});

/**
 * The models the Anthropic API serves to these credentials: `GET /v1/models`,
 * following `has_more`/`last_id` through every page (`after_id`).
 *
 * @example
 * const models = await listAnthropicModels({ apiKey: process.env.ANTHROPIC_API_KEY });
 * models.map((model) => model.id); // ['claude-opus-4-6', 'claude-sonnet-4-5-20250929', …]
 */
export async function listAnthropicModels(
  options: ListAnthropicModelsOptions = {},
): Promise<AnthropicModelInfo[]> {
  const credentials = anthropicCredentials(options);
  if (!credentials) {
    throw GatewayError.fromCode(
      'PLATFORM_CREDENTIALS_UNAVAILABLE',
      { platform: 'the Anthropic API', reason: MISSING_ANTHROPIC_CREDENTIALS },
      { platform: 'anthropic', retryable: false },
    );
  }
  const headers = {
    ...(await firstPartyAuthHeaders(credentials)),
    'anthropic-version': apiVersionFor('anthropic', undefined),
  };
  const baseUrl = options.baseUrl ?? ENDPOINTS.anthropic;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const models: AnthropicModelInfo[] = [];
  let afterId: string | undefined;
  while (models.length < limit) {
    const url = new URL(firstPartyUrl(baseUrl, '/v1/models'));
    url.searchParams.set('limit', String(Math.min(PAGE_SIZE, limit - models.length)));
    if (afterId) url.searchParams.set('after_id', afterId);
    const page = await fetchPage(url, headers, options.fetch ?? fetch);
    for (const model of page.data) models.push(modelInfo(model));
    if (!page.has_more || !page.last_id || page.last_id === afterId || page.data.length === 0) break;
    afterId = page.last_id;
  }
  return models.slice(0, limit);
}

async function fetchPage(
  url: URL,
  headers: Record<string, string>,
  fetchFunction: typeof fetch,
): Promise<z.infer<typeof modelsPageSchema>> {
  let response: Response;
  let text: string;
  try {
    response = await fetchFunction(url, { headers });
    text = await response.text();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw GatewayError.fromCode(
      'UPSTREAM_UNREACHABLE',
      { platform: 'the Anthropic API', reason },
      { platform: 'anthropic', cause: error },
    );
  }
  if (!response.ok) {
    const error = parseAnthropicError(response.status, response.headers, text);
    if (response.status === 401 || response.status === 403) {
      throw withErrorHint(
        error,
        'check the API key: `apiKey` for the anthropic platform or ANTHROPIC_API_KEY',
      );
    }
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const page = modelsPageSchema.safeParse(json);
  if (!page.success) {
    throw new GatewayError({
      status: 502,
      type: 'api_error',
      message: `The Anthropic API answered GET ${url.pathname} with a body that is not a model list.`,
      platform: 'anthropic',
    });
  }
  return page.data;
}

function modelInfo(model: z.infer<typeof modelsPageSchema>['data'][number]): AnthropicModelInfo {
  const info: AnthropicModelInfo = { id: model.id };
  if (model.display_name) info.displayName = model.display_name;
  if (model.created_at) info.createdAt = model.created_at;
  return info;
}
