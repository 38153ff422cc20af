/**
 * How a request reaches each system: the Anthropic Messages path with the
 * same headers for every server (Portkey adds its routing headers), or,
 * for the direct Bedrock baseline, the emulator's InvokeModel path with the
 * body as Bedrock takes it, signed once before any timing starts.
 */
import { bedrockModelId, resolveModel } from '../src/catalog/resolve.js';
import { signAwsRequest } from '../src/platforms/aws/aws-sign.js';
import { bedrockModelPath } from '../src/platforms/bedrock/bedrock-path.js';
import { MODEL } from './bodies.js';

/** A request ready to send as many times as needed. */
export interface PreparedRequest {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface Endpoint {
  origin: string;
  /** How the stream's events are framed: SSE, or AWS event-stream (Bedrock). */
  framing: 'sse' | 'eventstream';
  /** Turns an Anthropic Messages body into this system's request. */
  prepare(body: Record<string, unknown>): Promise<PreparedRequest>;
}

/** The Anthropic Messages API at `origin`, with `headers` on every request (and `model` in every body, when given). */
export function anthropicEndpoint(origin: string, headers: Record<string, string>, model?: string): Endpoint {
  return {
    origin,
    framing: 'sse',
    prepare: async (body) => ({
      path: '/v1/messages',
      headers,
      body: Buffer.from(JSON.stringify(model ? { ...body, model } : body)),
    }),
  };
}

/**
 * Bedrock InvokeModel (or InvokeModelWithResponseStream) at `origin` for the
 * `us` profile of the bench's model (or `model`), SigV4-signed with `credentials`. The
 * signature stays valid for the whole run (the body does not change).
 */
export function bedrockEndpoint(
  origin: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  model = MODEL,
): Endpoint {
  const modelId = bedrockModelId(resolveModel(model), 'us');
  return {
    origin,
    framing: 'eventstream',
    async prepare(body) {
      const { model: _model, stream, ...rest } = body;
      const bytes = JSON.stringify({ ...rest, anthropic_version: 'bedrock-2023-05-31' });
      const path = bedrockModelPath(modelId, stream === true ? 'invoke-with-response-stream' : 'invoke');
      const signed = await signAwsRequest(
        {
          method: 'POST',
          url: `${origin}${path}`,
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: bytes,
        },
        { service: 'bedrock', region: 'us-east-1', credentials },
      );
      const { host: _host, ...headers } = signed.headers;
      return { path, headers, body: Buffer.from(bytes) };
    },
  };
}
