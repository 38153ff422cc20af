/**
 * The official Vertex client (`@anthropic-ai/vertex-sdk`) and this adapter,
 * sending the same calls to one stub: the paths, bodies and headers must agree.
 */

import { AnthropicVertex, type ClientOptions } from '@anthropic-ai/vertex-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveModel } from '../../catalog/resolve.js';
import {
  MESSAGE_ANSWER,
  type RecordedRequest,
  type RecordingServer,
  startRecordingServer,
} from '../anthropic/__fixtures__/recording-server.js';
import { createGoogleTokenSource } from '../google/google-token-source.js';
import { HttpTransport } from '../transport.js';
import type { MessagesCall, PreparedRequest, ResolvedTarget } from '../types.js';
import { createVertexAdapter, type VertexAdapter } from './vertex-adapter.js';

/** The Vertex SDK's google-auth-library (10) type; this package's 11 differs only in private fields. */
type AuthClient = NonNullable<ClientOptions['authClient']>;

const MODEL = 'claude-sonnet-4-5@20250929';
const REGION = 'us-east5';
const PROJECT = 'compare-project';
const BETAS = ['context-1m-2025-08-07', 'interleaved-thinking-2025-05-14'];
const params = {
  model: MODEL,
  max_tokens: 256,
  system: 'Be brief.',
  messages: [{ role: 'user' as const, content: 'Hello' }],
  metadata: { user_id: 'user-1' },
};

/** Headers both clients must agree on; the SDK adds its own telemetry (user agent, x-stainless-*). */
const COMPARED_HEADERS = [
  'authorization',
  'content-type',
  'anthropic-beta',
  'anthropic-version',
  'x-goog-user-project',
];

function comparable(request: RecordedRequest | undefined) {
  return {
    method: request?.method,
    path: request?.path,
    body: JSON.parse(request?.body ?? '{}') as Record<string, unknown>,
    /** Byte for byte: the same keys in the same order. */
    bodyText: request?.body,
    headers: Object.fromEntries(COMPARED_HEADERS.map((name) => [name, request?.headers[name]])),
  };
}

let server: RecordingServer;
let transport: HttpTransport;

beforeAll(async () => {
  server = await startRecordingServer((request) =>
    request.path.includes('count-tokens') ? { body: '{"input_tokens":9}' } : { body: MESSAGE_ANSWER },
  );
  transport = new HttpTransport();
});
afterAll(async () => {
  await transport.close();
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

const officialClient = () =>
  new AnthropicVertex({
    region: REGION,
    projectId: PROJECT,
    baseURL: `${server.url}/v1`,
    maxRetries: 0,
    authClient: {
      projectId: null,
      getRequestHeaders: async () => new Headers({ authorization: 'Bearer fixed-token' }),
    } as unknown as AuthClient,
  });

/** This adapter, pointed at the stub, with the same fixed token and project. */
const ourAdapter = () =>
  createVertexAdapter({
    tokenSource: createGoogleTokenSource({ accessToken: 'fixed-token', projectId: PROJECT }),
    endpoint: server.url,
  });

/** Prepares with the adapter, authorizes, sends to the stub and returns what the stub recorded. */
async function sendWithAdapter(prepare: (adapter: VertexAdapter, target: ResolvedTarget) => PreparedRequest) {
  const adapter = ourAdapter();
  const target: ResolvedTarget = {
    platform: 'vertex',
    region: REGION,
    modelId: MODEL,
    resolved: resolveModel(MODEL),
  };
  const { request } = prepare(adapter, target);
  const response = await transport.send(await adapter.authorize(request, target), 'vertex');
  await response.text();
  return comparable(server.requests.at(-1));
}

describe('the adapter and AnthropicVertex send the same request', () => {
  it('for messages with betas', async () => {
    await officialClient().beta.messages.create({ ...params, betas: BETAS });
    const official = comparable(server.requests[0]);

    // The SDK copies its anthropic-version header (2026-10-21) into the body; the engine passes it as anthropicVersion.
    const call: MessagesCall = {
      body: { ...params },
      stream: false,
      betas: BETAS,
      anthropicVersion: '2026-10-21',
    };
    const ours = await sendWithAdapter((adapter, target) => adapter.prepareMessages(call, target));

    expect(ours).toEqual(official);
    expect(official.path).toBe(
      `/v1/projects/${PROJECT}/locations/${REGION}/publishers/anthropic/models/${MODEL}:rawPredict`,
    );
    expect(official.body).not.toHaveProperty('model');
    expect(official.headers['anthropic-version']).toBeUndefined();
  });

  it('for a stream', async () => {
    const official = officialClient();
    const stream = await official.messages.create({ ...params, stream: true });
    // The stub answers JSON, not SSE: only the request matters here.
    await stream.controller.abort();
    const officialRequest = comparable(server.requests[0]);
    const ours = await sendWithAdapter((adapter, target) =>
      adapter.prepareMessages(
        { body: { ...params, stream: true }, stream: true, betas: [], anthropicVersion: '2026-10-21' },
        target,
      ),
    );
    expect(ours).toEqual(officialRequest);
    expect(officialRequest.path).toMatch(/:streamRawPredict$/);
    expect(officialRequest.body['stream']).toBe(true);
  });

  it('for count tokens', async () => {
    const counted = await officialClient().messages.countTokens({ model: MODEL, messages: params.messages });
    expect(counted.input_tokens).toBe(9);
    const official = comparable(server.requests[0]);
    const ours = await sendWithAdapter((adapter, target) =>
      adapter.prepareCountTokens(
        {
          body: { model: 'sonnet', messages: params.messages },
          stream: false,
          betas: [],
          anthropicVersion: '2026-10-21',
        },
        target,
      ),
    );
    expect(ours).toEqual(official);
    expect(official.path).toBe(
      `/v1/projects/${PROJECT}/locations/${REGION}/publishers/anthropic/models/count-tokens:rawPredict`,
    );
    expect(official.body['model']).toBe(MODEL);
  });
});
