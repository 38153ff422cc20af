import { z } from 'zod';
import { GatewayError, parseAnthropicError } from '../../wire/errors/index.js';
import { PLATFORM_NAMES, sentence } from '../../wire/errors/platform-names.js';
import { apiVersionFor } from '../api-version.js';
import { type BetaMemory, selectBetas } from '../betas.js';
import { SseStreamDecoder } from '../sse-stream-decoder.js';
import type {
  MessagesCall,
  PlatformAdapter,
  PreparedRequest,
  ResolvedTarget,
  StreamDecoder,
  StreamDecoderOptions,
  UpstreamRequest,
} from '../types.js';
import { type FirstPartyCredentials, firstPartyAuthHeaders } from './first-party-credentials.js';
import { type FirstPartyOperation, firstPartyRequestBody } from './first-party-request-body.js';
import { firstPartyUrl } from './first-party-url.js';
import { serializeBody, unchangedRawBody } from './serialize-body.js';
import { upstreamHeaders } from './upstream-headers.js';
import { withErrorHint } from './with-error-hint.js';

/** The platforms that speak the first-party Messages API. */
export type FirstPartyPlatform = 'anthropic' | 'foundry' | 'bedrock-messages' | 'claude-platform-aws';

export interface FirstPartyAdapterOptions {
  platform: FirstPartyPlatform;
  /** The URL `/v1/messages` is appended to, or how to find it for a target (an AWS region's host). */
  baseUrl: string | ((target: ResolvedTarget) => string);
  /** Undefined when none are configured: `authorize` then fails with `missingCredentials`. */
  credentials: FirstPartyCredentials | undefined;
  /**
   * Authorizes the whole request instead of adding `credentials`' header: a
   * SigV4 signature covers the URL, headers and body. Errors it throws are
   * GatewayErrors (or become PLATFORM_CREDENTIALS_UNAVAILABLE).
   */
  authorizeRequest?: (request: UpstreamRequest, target: ResolvedTarget) => Promise<UpstreamRequest>;
  /** Headers the platform needs on every request, set over forwarded ones (Claude Platform on AWS's workspace). */
  platformHeaders?: (call: MessagesCall) => Readonly<Record<string, string | undefined>>;
  /** Says what is missing and how to configure it. */
  missingCredentials: string;
  /** Added to 401 and 403 answers: where the credentials come from. */
  authenticationHint: string;
  betaMemory?: BetaMemory;
}

const countTokensSchema = z.object({ input_tokens: z.number() });

/**
 * The adapter for the platforms that speak the first-party Messages API
 * (the Anthropic API, Microsoft Foundry, Bedrock's Messages API and Claude
 * Platform on AWS; one piece of code serves them all):
 * `POST {base}/v1/messages` and `/v1/messages/count_tokens`, the body as the
 * client sent it with `model` set to the upstream id, `anthropic-version` and
 * `anthropic-beta` as headers, SSE answers, Anthropic-shaped errors.
 *
 * @example
 * const adapter = new FirstPartyAdapter({ platform: 'anthropic', baseUrl: 'https://api.anthropic.com', credentials: { kind: 'api-key', apiKey }, missingCredentials: '…', authenticationHint: '…' });
 * const { request } = adapter.prepareMessages(call, target);
 * const signed = await adapter.authorize(request, target);
 */
export class FirstPartyAdapter implements PlatformAdapter {
  readonly platform: FirstPartyPlatform;
  /** The base URL (for a per-region platform: the one of a target without a region). */
  readonly baseUrl: string;
  private readonly baseUrlFor: (target: ResolvedTarget) => string;

  constructor(private readonly options: FirstPartyAdapterOptions) {
    this.platform = options.platform;
    const baseUrl = options.baseUrl;
    this.baseUrlFor = typeof baseUrl === 'string' ? () => baseUrl : baseUrl;
    this.baseUrl = typeof baseUrl === 'string' ? baseUrl : '';
  }

  prepareMessages(call: MessagesCall, target: ResolvedTarget): PreparedRequest {
    return this.prepare(call, target, 'messages');
  }

  prepareCountTokens(call: MessagesCall, target: ResolvedTarget): PreparedRequest {
    return this.prepare(call, target, 'count-tokens');
  }

  parseCountTokens(body: unknown): number {
    const parsed = countTokensSchema.safeParse(body);
    if (parsed.success) return parsed.data.input_tokens;
    throw new GatewayError({
      status: 502,
      type: 'api_error',
      message: sentence(
        `${PLATFORM_NAMES[this.platform]} answered count_tokens without a numeric input_tokens.`,
      ),
      platform: this.platform,
    });
  }

  async authorize(request: UpstreamRequest, target: ResolvedTarget): Promise<UpstreamRequest> {
    const authorizeRequest = this.options.authorizeRequest;
    if (authorizeRequest) {
      try {
        return await authorizeRequest(request, target);
      } catch (error) {
        if (error instanceof GatewayError) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        throw GatewayError.fromCode(
          'PLATFORM_CREDENTIALS_UNAVAILABLE',
          { platform: PLATFORM_NAMES[this.platform], reason },
          { platform: this.platform, cause: error },
        );
      }
    }
    const credentials = this.options.credentials;
    if (!credentials) {
      throw GatewayError.fromCode(
        'PLATFORM_CREDENTIALS_UNAVAILABLE',
        { platform: PLATFORM_NAMES[this.platform], reason: this.options.missingCredentials },
        { platform: this.platform, retryable: false },
      );
    }
    let auth: Record<string, string>;
    try {
      auth = await firstPartyAuthHeaders(credentials);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw GatewayError.fromCode(
        'PLATFORM_CREDENTIALS_UNAVAILABLE',
        { platform: PLATFORM_NAMES[this.platform], reason },
        { platform: this.platform, cause: error },
      );
    }
    const headers = { ...request.headers };
    delete headers['x-api-key'];
    delete headers['authorization'];
    return { ...request, headers: { ...headers, ...auth } };
  }

  createStreamDecoder(options?: StreamDecoderOptions): StreamDecoder {
    return new SseStreamDecoder(this.platform, options);
  }

  parseError(status: number, headers: Headers, bodyText: string): GatewayError {
    const error = parseAnthropicError(status, headers, bodyText, { platform: this.platform });
    if (status === 401 || status === 403) return withErrorHint(error, this.options.authenticationHint);
    return error;
  }

  private prepare(
    call: MessagesCall,
    target: ResolvedTarget,
    operation: FirstPartyOperation,
  ): PreparedRequest {
    const body = firstPartyRequestBody(call, operation, target.modelId);
    const betas = selectBetas(this.platform, call.betas, this.options.betaMemory);
    const path = operation === 'messages' ? '/v1/messages' : '/v1/messages/count_tokens';
    const headers = upstreamHeaders(call.forwardHeaders, {
      ...this.options.platformHeaders?.(call),
      'content-type': 'application/json',
      'anthropic-version': apiVersionFor(this.platform, call.anthropicVersion),
      'anthropic-beta': betas.kept.length > 0 ? betas.kept.join(',') : undefined,
    });
    if (betas.kept.length === 0) delete headers['anthropic-beta'];
    return {
      request: {
        method: 'POST',
        url: firstPartyUrl(this.baseUrlFor(target), path),
        headers,
        body: unchangedRawBody(call, operation, target.modelId) ?? serializeBody(this.platform, body),
      },
      changes: betas.dropped.map((beta) => `dropped-beta:${beta}`),
    };
  }
}
