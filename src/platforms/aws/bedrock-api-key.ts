import type { UpstreamRequest } from '../types.js';
import { SIGNATURE_HEADERS } from './aws-sign.js';

/** The environment variable that holds a Bedrock API key, as in the AWS CLI and the Anthropic SDK. */
export const BEDROCK_API_KEY_VARIABLE = 'AWS_BEARER_TOKEN_BEDROCK';

/**
 * The Bedrock API key to use instead of SigV4: the one given, else
 * AWS_BEARER_TOKEN_BEDROCK. `null` turns the environment off (SigV4 only).
 *
 * @example
 * resolveBedrockApiKey(undefined, { AWS_BEARER_TOKEN_BEDROCK: 'bedrock-api-key-…' }); // 'bedrock-api-key-…'
 * resolveBedrockApiKey(null, { AWS_BEARER_TOKEN_BEDROCK: 'bedrock-api-key-…' });      // undefined
 */
export function resolveBedrockApiKey(
  explicit: string | null | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  if (explicit === null) return undefined;
  const key = explicit ?? env[BEDROCK_API_KEY_VARIABLE];
  return key?.trim() ? key.trim() : undefined;
}

/**
 * The request with `Authorization: Bearer <key>`, and without any SigV4 headers.
 *
 * @example
 * withBedrockApiKey(request, 'bedrock-api-key-…').headers.authorization; // 'Bearer bedrock-api-key-…'
 */
export function withBedrockApiKey(request: UpstreamRequest, apiKey: string): UpstreamRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (!SIGNATURE_HEADERS.has(lower)) headers[lower] = value;
  }
  headers['authorization'] = `Bearer ${apiKey}`;
  return { ...request, headers };
}

/**
 * The request with the Bedrock API key as `x-api-key`, how the AWS guide's
 * bedrock-mantle examples send it, and without any SigV4 headers.
 *
 * @example
 * withMantleApiKey(request, 'bedrock-api-key-…').headers['x-api-key']; // 'bedrock-api-key-…'
 */
export function withMantleApiKey(request: UpstreamRequest, apiKey: string): UpstreamRequest {
  const { authorization: _dropped, ...headers } = withBedrockApiKey(request, apiKey).headers;
  headers['x-api-key'] = apiKey;
  return { ...request, headers };
}
