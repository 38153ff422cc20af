import { ENDPOINTS } from '../../catalog/platforms.js';
import type { GatewayError } from '../../wire/errors/gateway-error.js';
import { forwardedHeaders } from '../anthropic/upstream-headers.js';
import { type AwsAuthorizer, type AwsAuthorizerOptions, createAwsAuthorizer } from '../aws/aws-authorizer.js';
import { awsEndpoint } from '../aws/aws-endpoint.js';
import { resolveAwsRegion } from '../aws/aws-region.js';
import type { BetaMemory } from '../betas.js';
import type {
  MessagesCall,
  PlatformAdapter,
  PreparedRequest,
  ResolvedTarget,
  StreamDecoderOptions,
  UpstreamRequest,
} from '../types.js';
import { bedrockBodyBytes, serializeBedrockBody } from './bedrock-body-limit.js';
import { bedrockCountTokensBody, parseBedrockCountTokens } from './bedrock-count-tokens.js';
import { bedrockHttpError } from './bedrock-error.js';
import { bedrockModelPath } from './bedrock-path.js';
import { bedrockRequestBody } from './bedrock-request-body.js';
import { BedrockStreamDecoder } from './bedrock-stream-decoder.js';

export interface BedrockAdapterOptions extends AwsAuthorizerOptions {
  /** The region for targets that name none; default AWS_REGION → AWS_DEFAULT_REGION → the profile's → us-east-1. */
  region?: string;
  /** The AWS profile for credentials and the default region (when `credentials` is not given). */
  profile?: string;
  /** The runtime endpoint, a URL that may contain `{region}`; default `https://bedrock-runtime.{region}.amazonaws.com`. */
  endpoint?: string;
  /** Betas learned to be rejected, shared by the engine's adapters. */
  betaMemory?: BetaMemory;
  /** An authorizer to share with the control plane; built from the other options when absent. */
  authorizer?: AwsAuthorizer;
}

const JSON_TYPE = 'application/json';
const EVENT_STREAM_TYPE = 'application/vnd.amazon.eventstream';

/**
 * The Amazon Bedrock runtime as a platform adapter: InvokeModel,
 * InvokeModelWithResponseStream and CountTokens with the Messages body edited
 * in place, SigV4 (service `bedrock`, the target's region) with cached
 * credentials or a Bedrock API key, event-stream decoding, and Bedrock's
 * errors with AWS's message kept.
 *
 * @example
 * const bedrock = new BedrockAdapter({ region: 'us-west-2' });
 * const { request, changes } = bedrock.prepareMessages(call, target);
 * const response = await transport.send(await bedrock.authorize(request, target), 'bedrock');
 */
export class BedrockAdapter implements PlatformAdapter {
  readonly platform = 'bedrock' as const;
  /** The region of targets that name none. */
  readonly region: string;
  readonly authorizer: AwsAuthorizer;
  private readonly endpoint: string | undefined;
  private readonly betaMemory: BetaMemory | undefined;

  constructor(options: BedrockAdapterOptions = {}) {
    const profile = options.profile;
    this.region = resolveAwsRegion({
      ...(options.region === undefined ? {} : { explicit: options.region }),
      ...(profile === undefined ? {} : { profile }),
      ...(options.env === undefined ? {} : { env: options.env }),
    }).region;
    this.endpoint = options.endpoint;
    this.betaMemory = options.betaMemory;
    this.authorizer =
      options.authorizer ??
      createAwsAuthorizer({
        ...options,
        credentials:
          options.credentials ?? (profile === undefined ? undefined : { profile, region: this.region }),
      });
  }

  prepareMessages(call: MessagesCall, target: ResolvedTarget): PreparedRequest {
    const { body, changes } = bedrockRequestBody(call, this.betaMemory);
    const operation = call.stream ? 'invoke-with-response-stream' : 'invoke';
    const accept: Record<string, string> = call.stream
      ? { accept: EVENT_STREAM_TYPE, 'x-amzn-bedrock-accept': JSON_TYPE }
      : { accept: JSON_TYPE };
    return {
      request: {
        method: 'POST',
        url: this.url(target, bedrockModelPath(target.modelId, operation)),
        headers: { ...lowerCased(call.forwardHeaders), 'content-type': JSON_TYPE, ...accept },
        body: bedrockBodyBytes(call, body),
      },
      changes,
    };
  }

  prepareCountTokens(call: MessagesCall, target: ResolvedTarget): PreparedRequest {
    const { body, changes } = bedrockRequestBody({ ...call, stream: false }, this.betaMemory);
    // Bedrock checks the inner body as an InvokeModel body, where max_tokens is required.
    if (body['max_tokens'] === undefined) {
      body['max_tokens'] = 1;
      changes.push('added:max_tokens');
    }
    return {
      request: {
        method: 'POST',
        url: this.url(target, bedrockModelPath(target.modelId, 'count-tokens')),
        headers: { ...lowerCased(call.forwardHeaders), 'content-type': JSON_TYPE, accept: JSON_TYPE },
        body: bedrockCountTokensBody(serializeBedrockBody(body)),
      },
      changes,
    };
  }

  parseCountTokens(body: unknown): number {
    return parseBedrockCountTokens(body);
  }

  authorize(request: UpstreamRequest, target: ResolvedTarget): Promise<UpstreamRequest> {
    return this.authorizer.authorize(request, { service: 'bedrock', region: this.regionOf(target) });
  }

  /** A decoder for one stream; its `metrics` getter gives the invocation metrics of the last chunk. */
  createStreamDecoder(options?: StreamDecoderOptions): BedrockStreamDecoder {
    return new BedrockStreamDecoder(options);
  }

  /**
   * Bedrock's error answer as a GatewayError. Expired or rejected credentials
   * also drop the cached ones, so a retry fetches new ones.
   */
  parseError(status: number, headers: Headers, bodyText: string, target?: ResolvedTarget): GatewayError {
    const error = bedrockHttpError(
      status,
      headers,
      bodyText,
      target ? this.regionOf(target) : this.region,
      this.authorizer.mode,
    );
    if (
      error.upstreamCode === 'ExpiredTokenException' ||
      error.upstreamCode === 'UnrecognizedClientException'
    ) {
      this.authorizer.credentials?.invalidate();
    }
    return error;
  }

  private regionOf(target: ResolvedTarget): string {
    return target.region ?? this.region;
  }

  private url(target: ResolvedTarget, path: string): string {
    return awsEndpoint(this.endpoint, this.regionOf(target), ENDPOINTS.bedrockRuntime) + path;
  }
}

function lowerCased(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return forwardedHeaders(headers);
}
