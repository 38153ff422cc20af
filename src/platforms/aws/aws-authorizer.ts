import type { UpstreamRequest } from '../types.js';
import {
  type AwsCredentialSource,
  type AwsCredentialSourceOptions,
  createAwsCredentialSource,
} from './aws-credential-source.js';
import { type AwsCredentials, isAwsCredentials } from './aws-credentials.js';
import { type AwsSigningService, signAwsRequest } from './aws-sign.js';
import { resolveBedrockApiKey, withBedrockApiKey, withMantleApiKey } from './bedrock-api-key.js';

export interface AwsAuthorizerOptions {
  /** A Bedrock API key; default AWS_BEARER_TOKEN_BEDROCK; `null` for SigV4 only. */
  apiKey?: string | null;
  /** A credential source, fixed credentials, or the options to build a cached source (default chain when absent). */
  credentials?: AwsCredentialSource | AwsCredentials | AwsCredentialSourceOptions;
  /** The environment; defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Adds AWS credentials to requests: a Bedrock API key (Bearer; `x-api-key` on Mantle), or a SigV4 signature. */
export interface AwsAuthorizer {
  readonly mode: 'api-key' | 'sigv4';
  /** Where the credentials come from, for `doctor`. */
  readonly description: string;
  /** The cached SigV4 credentials (absent with an API key). */
  readonly credentials: AwsCredentialSource | undefined;
  authorize(
    request: UpstreamRequest,
    scope: { service: AwsSigningService; region: string },
  ): Promise<UpstreamRequest>;
}

/**
 * Chooses how requests to AWS are authorized: a Bedrock API key (given, or
 * AWS_BEARER_TOKEN_BEDROCK) as `Authorization: Bearer`, else SigV4 with
 * cached credentials. The credential source is built once, on first use.
 * STS does not take Bedrock API keys: its requests are always signed.
 *
 * @example
 * const authorizer = createAwsAuthorizer({ credentials: { profile: 'dev' } });
 * const signed = await authorizer.authorize(request, { service: 'bedrock', region: 'us-west-2' });
 */
export function createAwsAuthorizer(options: AwsAuthorizerOptions = {}): AwsAuthorizer {
  const apiKey = resolveBedrockApiKey(options.apiKey, options.env);
  const source = lazySource(options);
  return {
    mode: apiKey === undefined ? 'sigv4' : 'api-key',
    get description() {
      return apiKey === undefined ? source().description : 'Bedrock API key';
    },
    get credentials() {
      return apiKey === undefined ? source() : undefined;
    },
    async authorize(request, scope) {
      if (apiKey !== undefined && scope.service === 'bedrock') return withBedrockApiKey(request, apiKey);
      // Bedrock Mantle takes the same Bedrock API key, sent as `x-api-key`
      // (https://docs.aws.amazon.com/bedrock/latest/userguide/inference-messages-api.html).
      if (apiKey !== undefined && scope.service === 'bedrock-mantle')
        return withMantleApiKey(request, apiKey);
      return signAwsRequest(request, { ...scope, credentials: await source().get() });
    },
  };
}

/**
 * A credential source as given, or built from options or fixed credentials.
 *
 * @example
 * toAwsCredentialSource({ accessKeyId: 'AKID', secretAccessKey: 'secret' }).description; // 'static keys'
 */
export function toAwsCredentialSource(
  credentials: AwsCredentialSource | AwsCredentials | AwsCredentialSourceOptions | undefined,
  env?: Readonly<Record<string, string | undefined>>,
): AwsCredentialSource {
  if (isCredentialSource(credentials)) return credentials;
  if (isAwsCredentials(credentials)) {
    if (credentials.expiration === undefined) return createAwsCredentialSource(credentials);
    const fixed = credentials;
    return createAwsCredentialSource({ provider: async () => fixed });
  }
  return createAwsCredentialSource({ ...(env === undefined ? {} : { env }), ...credentials });
}

function isCredentialSource(value: unknown): value is AwsCredentialSource {
  return (
    typeof value === 'object' && value !== null && typeof (value as { get?: unknown }).get === 'function'
  );
}

function lazySource(options: AwsAuthorizerOptions): () => AwsCredentialSource {
  let source: AwsCredentialSource | undefined;
  return () => {
    source ??= toAwsCredentialSource(options.credentials, options.env);
    return source;
  };
}
