import { z } from 'zod';
import { GatewayError } from '../../wire/errors/index.js';
import { upstreamHeaders } from '../anthropic/upstream-headers.js';
import { type BetaMemory, selectBetas } from '../betas.js';
import {
  createGoogleTokenSource,
  type GoogleTokenSource,
  type GoogleTokenSourceOptions,
} from '../google/google-token-source.js';
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
import { vertexBaseUrl } from './vertex-base-url.js';
import { vertexBodyBytes } from './vertex-body-bytes.js';
import { parseVertexAnswerError } from './vertex-error.js';
import { encodePathSegment, type VertexMethod, vertexModelPath } from './vertex-model-path.js';
import { type VertexOperation, vertexRequestBody } from './vertex-request-body.js';

export interface VertexAdapterOptions extends GoogleTokenSourceOptions {
  /** The location used when a target names none. Default `CLOUD_ML_REGION`, else `global`. */
  region?: string;
  /** Replaces the public host (the emulator, Private Service Connect); may contain `{location}`. */
  endpoint?: string;
  /** Google credentials made elsewhere; the Google options above are then unused. */
  tokenSource?: GoogleTokenSource;
  /** Betas learned to be rejected, shared by the adapters of one engine. */
  betaMemory?: BetaMemory;
}

/** Stands for the project in a URL prepared before the project was known; `authorize` replaces it. */
const PROJECT_PLACEHOLDER = '{project}';
const ENCODED_PLACEHOLDER = `/projects/${encodeURIComponent(PROJECT_PLACEHOLDER)}/`;

const countTokensSchema = z.object({ input_tokens: z.number() });

/**
 * Claude on Vertex AI: `rawPredict` / `streamRawPredict` on
 * `…/publishers/anthropic/models/{model}`, `count-tokens:rawPredict`, Google
 * OAuth, SSE answers, errors in both of Vertex's shapes.
 *
 * **The project.** `prepareMessages` is synchronous, but the project may have
 * to be read from the credentials or Application Default Credentials, which
 * is asynchronous. When the project is configured (option or
 * `ANTHROPIC_VERTEX_PROJECT_ID`) or was resolved before, the prepared URL
 * carries it. Otherwise the URL carries the placeholder `{project}`
 * (percent-encoded) and `authorize`, which is asynchronous and runs before
 * every send, resolves the project once and writes it in. An engine that
 * wants final URLs from the start (for logs) awaits `ready()` first; one
 * that does not still sends correct requests.
 *
 * @example
 * const vertex = createVertexAdapter({ region: 'global', projectId: 'my-project' });
 * await vertex.ready();
 * const { request, changes } = vertex.prepareMessages(call, target);
 * const response = await transport.send(await vertex.authorize(request, target), 'vertex');
 */
export class VertexAdapter implements PlatformAdapter {
  readonly platform = 'vertex' as const;
  readonly tokenSource: GoogleTokenSource;
  private readonly defaultLocation: string;

  constructor(private readonly options: VertexAdapterOptions = {}) {
    this.tokenSource = options.tokenSource ?? createGoogleTokenSource(options);
    this.defaultLocation = options.region ?? process.env['CLOUD_ML_REGION'] ?? 'global';
  }

  /**
   * Resolves the project (and so checks that credentials can be loaded), so
   * that prepared URLs carry it. Throws PLATFORM_CREDENTIALS_UNAVAILABLE with the fix.
   */
  async ready(): Promise<void> {
    await this.tokenSource.getProjectId();
  }

  prepareMessages(call: MessagesCall, target: ResolvedTarget): PreparedRequest {
    return this.prepare(call, target, 'messages', call.stream ? 'streamRawPredict' : 'rawPredict');
  }

  prepareCountTokens(call: MessagesCall, target: ResolvedTarget): PreparedRequest {
    return this.prepare(call, target, 'count-tokens', 'rawPredict');
  }

  parseCountTokens(body: unknown): number {
    const parsed = countTokensSchema.safeParse(body);
    if (parsed.success) return parsed.data.input_tokens;
    throw new GatewayError({
      status: 502,
      type: 'api_error',
      message: 'Vertex AI answered count-tokens:rawPredict without a numeric input_tokens.',
      platform: 'vertex',
    });
  }

  async authorize(request: UpstreamRequest, _target: ResolvedTarget): Promise<UpstreamRequest> {
    let url = request.url;
    if (url.includes(ENCODED_PLACEHOLDER)) {
      const projectId = await this.tokenSource.getProjectId();
      url = url.replace(ENCODED_PLACEHOLDER, `/projects/${encodePathSegment(projectId, 'project')}/`);
    }
    const auth = await this.tokenSource.getRequestHeaders();
    const headers = { ...request.headers };
    // Only Google OAuth reaches Google: never a first-party key a client may have sent along.
    delete headers['x-api-key'];
    headers['authorization'] = auth.authorization;
    const quotaProject = auth['x-goog-user-project'];
    if (quotaProject && headers['x-goog-user-project'] === undefined)
      headers['x-goog-user-project'] = quotaProject;
    return { ...request, url, headers };
  }

  createStreamDecoder(options?: StreamDecoderOptions): StreamDecoder {
    return new SseStreamDecoder('vertex', options);
  }

  parseError(status: number, headers: Headers, bodyText: string): GatewayError {
    const projectId = this.tokenSource.knownProjectId;
    return parseVertexAnswerError(status, headers, bodyText, projectId ? { projectId } : {});
  }

  private prepare(
    call: MessagesCall,
    target: ResolvedTarget,
    operation: VertexOperation,
    method: VertexMethod,
  ): PreparedRequest {
    const location = target.region ?? this.defaultLocation;
    const path = vertexModelPath({
      projectId: this.tokenSource.knownProjectId ?? PROJECT_PLACEHOLDER,
      location,
      model: operation === 'count-tokens' ? 'count-tokens' : target.modelId,
      method,
    });
    const betas = selectBetas('vertex', call.betas, this.options.betaMemory);
    const headers = upstreamHeaders(call.forwardHeaders, {
      'content-type': 'application/json',
      'anthropic-beta': betas.kept.length > 0 ? betas.kept.join(',') : undefined,
      'x-goog-user-project': this.options.quotaProjectId,
    });
    // Vertex reads the API version from the body; a forwarded header or a stale beta list must not contradict it.
    delete headers['anthropic-version'];
    if (betas.kept.length === 0) delete headers['anthropic-beta'];
    return {
      request: {
        method: 'POST',
        url: vertexBaseUrl(location, this.options.endpoint) + path,
        headers,
        body: vertexBodyBytes(call, vertexRequestBody(call, operation, target.modelId)),
      },
      changes: betas.dropped.map((beta) => `dropped-beta:${beta}`),
    };
  }
}

/**
 * Creates the Vertex AI adapter.
 *
 * @example
 * const vertex = createVertexAdapter({ region: 'us-east5' }); // ADC, project from ANTHROPIC_VERTEX_PROJECT_ID or the credentials
 */
export function createVertexAdapter(options: VertexAdapterOptions = {}): VertexAdapter {
  return new VertexAdapter(options);
}
