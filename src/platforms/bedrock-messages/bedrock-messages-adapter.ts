import {
  BEDROCK_MESSAGES_SIGNING_NAME,
  type BedrockMessagesHost,
  ENDPOINTS,
} from '../../catalog/platforms.js';
import type { GatewayError } from '../../wire/errors/gateway-error.js';
import { FirstPartyAdapter } from '../anthropic/first-party-adapter.js';
import { type AwsAuthorizer, type AwsAuthorizerOptions, createAwsAuthorizer } from '../aws/aws-authorizer.js';
import { awsEndpoint } from '../aws/aws-endpoint.js';
import { resolveAwsRegion } from '../aws/aws-region.js';
import { bedrockHttpError } from '../bedrock/bedrock-error.js';
import type { BetaMemory } from '../betas.js';
import type { ResolvedTarget } from '../types.js';

export interface BedrockMessagesAdapterOptions extends AwsAuthorizerOptions {
  /** `runtime` (default: `https://bedrock-runtime.{region}.amazonaws.com/anthropic`) or `mantle` (`https://bedrock-mantle.{region}.api.aws/anthropic`). */
  host?: BedrockMessagesHost;
  /** The region of targets that name none; default AWS_REGION → AWS_DEFAULT_REGION → the profile's → us-east-1. */
  region?: string;
  /** The AWS profile for credentials and the default region. */
  profile?: string;
  /** Replaces the base URL `/v1/messages` is appended to; may contain `{region}` (the emulator, a VPC endpoint). */
  endpoint?: string;
  /** The `bedrock` platform's authorizer, so both integrations share one credential cache. */
  authorizer?: AwsAuthorizer;
  betaMemory?: BetaMemory;
}

/**
 * "Claude in Amazon Bedrock": the Messages API at `{host}/anthropic/v1/messages`
 * (and `/v1/messages/count_tokens`) with the first-party body, the Bedrock model
 * id in `model` (`anthropic.claude-opus-5-5`, or `global.anthropic.claude-opus-5-5`
 * for a profile) and SSE streaming; SigV4 with signing name `bedrock`
 * (bedrock-runtime) or `bedrock-mantle`, or a Bedrock API key (`Authorization:
 * Bearer` on bedrock-runtime, `x-api-key` on bedrock-mantle). `anthropic-beta`
 * is not supported there: every beta is dropped and reported as a change.
 * Source: https://docs.aws.amazon.com/bedrock/latest/userguide/inference-messages-api.html
 *
 * @example
 * const adapter = new BedrockMessagesAdapter({ host: 'mantle', region: 'us-east-1' });
 * const { request } = adapter.prepareMessages(call, target); // POST https://bedrock-mantle.us-east-1.api.aws/anthropic/v1/messages
 */
export class BedrockMessagesAdapter extends FirstPartyAdapter {
  readonly host: BedrockMessagesHost;
  /** The region of targets that name none. */
  readonly region: string;
  readonly authorizer: AwsAuthorizer;

  constructor(options: BedrockMessagesAdapterOptions = {}) {
    const host = options.host ?? 'runtime';
    const region = resolveAwsRegion({
      ...(options.region === undefined ? {} : { explicit: options.region }),
      ...(options.profile === undefined ? {} : { profile: options.profile }),
      ...(options.env === undefined ? {} : { env: options.env }),
    }).region;
    const authorizer =
      options.authorizer ??
      createAwsAuthorizer({
        ...options,
        credentials:
          options.credentials ??
          (options.profile === undefined ? undefined : { profile: options.profile, region }),
      });
    const regionOf = (target: ResolvedTarget) => target.region ?? region;
    super({
      platform: 'bedrock-messages',
      baseUrl: (target) => awsEndpoint(options.endpoint, regionOf(target), ENDPOINTS.bedrockMessages[host]),
      credentials: undefined,
      authorizeRequest: (request, target) =>
        authorizer.authorize(request, {
          service: BEDROCK_MESSAGES_SIGNING_NAME[host],
          region: regionOf(target),
        }),
      missingCredentials: 'no AWS credentials were found (platforms.bedrock)',
      authenticationHint:
        host === 'mantle'
          ? 'check the Bedrock API key or that the AWS identity may call bedrock-mantle:CreateInference in this region'
          : 'check the Bedrock API key or that the AWS identity may call bedrock:InvokeModel in this region',
      ...(options.betaMemory ? { betaMemory: options.betaMemory } : {}),
    });
    this.host = host;
    this.region = region;
    this.authorizer = authorizer;
  }

  /**
   * The error answer: Anthropic-shaped from the Messages API itself, or AWS's
   * JSON (`x-amzn-errortype`) from the host's own checks (SigV4, access), read
   * as Bedrock's. Rejected or expired credentials drop the cached ones.
   */
  override parseError(
    status: number,
    headers: Headers,
    bodyText: string,
    target?: ResolvedTarget,
  ): GatewayError {
    if (!headers.has('x-amzn-errortype')) return super.parseError(status, headers, bodyText);
    const error = bedrockHttpError(
      status,
      headers,
      bodyText,
      target?.region ?? this.region,
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
}
