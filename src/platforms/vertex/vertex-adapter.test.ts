import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveModel } from '../../catalog/resolve.js';
import { GatewayError } from '../../wire/errors/index.js';
import { type RecordingServer, startRecordingServer } from '../anthropic/__fixtures__/recording-server.js';
import { BetaMemory } from '../betas.js';
import { createGoogleTokenSource, type GoogleTokenSource } from '../google/google-token-source.js';
import { HttpTransport } from '../transport.js';
import type { MessagesCall, ResolvedTarget, UpstreamStreamItem } from '../types.js';
import { createVertexAdapter } from './vertex-adapter.js';

const MODEL = 'claude-sonnet-4-5@20250929';

function target(region?: string): ResolvedTarget {
  return {
    platform: 'vertex',
    ...(region === undefined ? {} : { region }),
    modelId: MODEL,
    resolved: resolveModel('claude-sonnet-4-5'),
  };
}

/** A Claude Code-like body: a system role inside messages, cache_control, thinking and a field no one knows yet. */
function call(overrides: Partial<MessagesCall> = {}): MessagesCall {
  return {
    body: {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'system', content: 'Session context.' },
        { role: 'user', content: [{ type: 'text', text: 'Hi', cache_control: { type: 'ephemeral' } }] },
      ],
      thinking: { type: 'enabled', budget_tokens: 512 },
      future_field: { nested: [1, 2, 3] },
      anthropic_beta: ['context-1m-2025-08-07'],
      stream: true,
    },
    stream: true,
    betas: ['context-1m-2025-08-07'],
    ...overrides,
  };
}

const fixedToken = (projectId?: string): GoogleTokenSource =>
  createGoogleTokenSource({ accessToken: 'fixed-token', ...(projectId ? { projectId } : {}) });

describe('VertexAdapter.prepareMessages', () => {
  it('calls the host of each location', () => {
    const adapter = createVertexAdapter({ tokenSource: fixedToken('my-project') });
    const path = `/v1/projects/my-project/locations/{l}/publishers/anthropic/models/${MODEL}:streamRawPredict`;
    const urls = ['global', 'us', 'eu', 'us-east5', 'europe-west1'].map(
      (location) => adapter.prepareMessages(call(), target(location)).request.url,
    );
    expect(urls).toEqual([
      `https://aiplatform.googleapis.com${path.replace('{l}', 'global')}`,
      `https://aiplatform.us.rep.googleapis.com${path.replace('{l}', 'us')}`,
      `https://aiplatform.eu.rep.googleapis.com${path.replace('{l}', 'eu')}`,
      `https://us-east5-aiplatform.googleapis.com${path.replace('{l}', 'us-east5')}`,
      `https://europe-west1-aiplatform.googleapis.com${path.replace('{l}', 'europe-west1')}`,
    ]);
  });

  it('uses rawPredict without streaming, the default region without one, and an overridden endpoint', () => {
    const adapter = createVertexAdapter({
      tokenSource: fixedToken('my-project'),
      region: 'us-east5',
      endpoint: 'http://127.0.0.1:9/{location}/',
    });
    expect(adapter.prepareMessages(call({ stream: false }), target()).request.url).toBe(
      `http://127.0.0.1:9/us-east5/v1/projects/my-project/locations/us-east5/publishers/anthropic/models/${MODEL}:rawPredict`,
    );
    const withV1 = createVertexAdapter({ tokenSource: fixedToken('p'), endpoint: 'http://127.0.0.1:9/v1' });
    expect(withV1.prepareMessages(call(), target('global')).request.url).toMatch(
      /^http:\/\/127\.0\.0\.1:9\/v1\/projects\/p\/locations\/global\//,
    );
  });

  it('percent-encodes path segments as the official SDK does', () => {
    const adapter = createVertexAdapter({ tokenSource: fixedToken('my-project') });
    const odd = { ...target('global'), modelId: 'tuned/model;v1 x@1' };
    expect(adapter.prepareMessages(call(), odd).request.url).toContain(
      '/models/tuned%2Fmodel%3Bv1%20x@1:streamRawPredict',
    );
    expect(() => adapter.prepareMessages(call(), { ...target('global'), modelId: '..' })).toThrow(
      GatewayError,
    );
  });

  it('edits the body in place: model dropped, stream kept, anthropic_version set, body betas removed', () => {
    const adapter = createVertexAdapter({ tokenSource: fixedToken('my-project') });
    const original = call();
    const before = structuredClone(original.body);
    const body = JSON.parse(String(adapter.prepareMessages(original, target('global')).request.body ?? ''));
    const { model: _model, anthropic_beta: _betas, ...kept } = before;
    expect(body).toEqual({ ...kept, anthropic_version: 'vertex-2023-10-16' });
    expect(body.messages[0]).toEqual({ role: 'system', content: 'Session context.' });
    expect(Object.keys(body)).toEqual([...Object.keys(kept), 'anthropic_version']);
    expect(original.body).toEqual(before);
  });

  it("keeps a dated API version Vertex takes and replaces a Bedrock client's", () => {
    const adapter = createVertexAdapter({ tokenSource: fixedToken('p') });
    const versionOf = (anthropicVersion: string | undefined) =>
      JSON.parse(
        String(
          adapter.prepareMessages(call(anthropicVersion ? { anthropicVersion } : {}), target('global'))
            .request.body ?? '',
        ),
      ).anthropic_version;
    expect(versionOf('2026-10-21')).toBe('2026-10-21');
    expect(versionOf('bedrock-2023-05-31')).toBe('vertex-2023-10-16');
    expect(versionOf(undefined)).toBe('vertex-2023-10-16');
  });

  it('sends betas in the header, drops the ones Vertex rejects and reports them', () => {
    const memory = new BetaMemory();
    memory.remember('vertex', ['learned-beta-2026-01-01']);
    const adapter = createVertexAdapter({ tokenSource: fixedToken('p'), betaMemory: memory });
    const prepared = adapter.prepareMessages(
      call({
        betas: [
          'context-1m-2025-08-07',
          'files-api-2025-04-14',
          'brand-new-2026-02-02',
          'learned-beta-2026-01-01',
        ],
      }),
      target('global'),
    );
    expect(prepared.request.headers['anthropic-beta']).toBe('context-1m-2025-08-07,brand-new-2026-02-02');
    expect(prepared.changes).toEqual([
      'dropped-beta:files-api-2025-04-14',
      'dropped-beta:learned-beta-2026-01-01',
    ]);
    const none = adapter.prepareMessages(
      call({ betas: [], forwardHeaders: { 'Anthropic-Beta': 'x', 'Anthropic-Version': '2023-06-01' } }),
      target('global'),
    );
    expect(none.request.headers).not.toHaveProperty('anthropic-beta');
    expect(none.request.headers).not.toHaveProperty('anthropic-version');
  });

  it('sends content-type, the quota project and forwarded headers', () => {
    const adapter = createVertexAdapter({ tokenSource: fixedToken('p'), quotaProjectId: 'billing' });
    const { headers } = adapter.prepareMessages(
      call({ forwardHeaders: { 'X-Claude-Code-Session-Id': 'session-1', 'Content-Type': 'text/plain' } }),
      target('global'),
    ).request;
    expect(headers).toEqual({
      'x-claude-code-session-id': 'session-1',
      'content-type': 'application/json',
      'anthropic-beta': 'context-1m-2025-08-07',
      'x-goog-user-project': 'billing',
    });
  });

  it("splices the client's bytes when the call carries them: kept values as sent, the same JSON", () => {
    const adapter = createVertexAdapter({ tokenSource: fixedToken('my-project') });
    for (const stream of [true, false]) {
      const original = call({ stream });
      original.body['system'] = 'x'.repeat(3_000);
      const plain = String(adapter.prepareMessages(original, target('global')).request.body);
      const rawBody = Buffer.from(JSON.stringify(original.body, null, 1));
      const spliced = adapter.prepareMessages({ ...original, rawBody }, target('global')).request.body;
      expect(spliced).toBeInstanceOf(Uint8Array);
      const text = Buffer.from(spliced as Uint8Array).toString('utf8');
      expect(text).toContain(JSON.stringify(original.body['messages'], null, 1).replaceAll('\n', '\n '));
      expect(JSON.stringify(JSON.parse(text))).toBe(plain);
    }
  });

  it('serializes a small body even when the call carries its bytes', () => {
    const adapter = createVertexAdapter({ tokenSource: fixedToken('my-project') });
    const original = call();
    const rawBody = Buffer.from(JSON.stringify(original.body));
    const body = adapter.prepareMessages({ ...original, rawBody }, target('global')).request.body;
    expect(typeof body).toBe('string');
  });

  it('refuses a spliced body larger than Vertex takes', () => {
    const adapter = createVertexAdapter({ tokenSource: fixedToken('p') });
    const huge = call({ body: { messages: [{ role: 'user', content: 'x'.repeat(31 * 1024 * 1024) }] } });
    const rawBody = Buffer.from(JSON.stringify(huge.body));
    expect(() => adapter.prepareMessages({ ...huge, rawBody }, target('global'))).toThrow(
      /larger than the limit/,
    );
  });

  it('refuses a body larger than Vertex takes', () => {
    const adapter = createVertexAdapter({ tokenSource: fixedToken('p') });
    const huge = call({ body: { messages: [{ role: 'user', content: 'x'.repeat(31 * 1024 * 1024) }] } });
    expect(() => adapter.prepareMessages(huge, target('global'))).toThrow(/larger than the limit/);
  });
});

describe('VertexAdapter.prepareCountTokens', () => {
  it('calls count-tokens:rawPredict with the Vertex model id in the body', () => {
    const adapter = createVertexAdapter({ tokenSource: fixedToken('my-project') });
    const { request } = adapter.prepareCountTokens(call({ stream: false }), target('us-east5'));
    expect(request.url).toBe(
      'https://us-east5-aiplatform.googleapis.com/v1/projects/my-project/locations/us-east5/publishers/anthropic/models/count-tokens:rawPredict',
    );
    const body = JSON.parse(String(request.body ?? ''));
    expect(body.model).toBe(MODEL);
    expect(body).not.toHaveProperty('stream');
    expect(body).not.toHaveProperty('anthropic_beta');
    expect(body.future_field).toEqual({ nested: [1, 2, 3] });
    expect(adapter.parseCountTokens({ input_tokens: 42 })).toBe(42);
    expect(() => adapter.parseCountTokens({ tokens: 42 })).toThrow(GatewayError);
  });
});

describe('VertexAdapter project resolution', () => {
  it('writes the project into the URL in authorize when it was not known at prepare time', async () => {
    const source: GoogleTokenSource = {
      knownProjectId: undefined,
      getProjectId: async () => 'resolved-project',
      getAccessToken: async () => 'token',
      getRequestHeaders: async () => ({ authorization: 'Bearer token', 'x-goog-user-project': 'quota' }),
      describeCredentials: async () => ({ type: 'other' }),
    };
    const adapter = createVertexAdapter({ tokenSource: source });
    const { request } = adapter.prepareMessages(call(), target('global'));
    expect(request.url).toContain('/projects/%7Bproject%7D/locations/global/');
    const authorized = await adapter.authorize(request, target('global'));
    expect(authorized.url).toBe(
      `https://aiplatform.googleapis.com/v1/projects/resolved-project/locations/global/publishers/anthropic/models/${MODEL}:streamRawPredict`,
    );
    expect(authorized.headers['authorization']).toBe('Bearer token');
    expect(authorized.headers['x-goog-user-project']).toBe('quota');
    expect(request.headers).not.toHaveProperty('authorization');
  });

  it('prepares final URLs once ready() resolved the project', async () => {
    let resolved: string | undefined;
    const source: GoogleTokenSource = {
      get knownProjectId() {
        return resolved;
      },
      getProjectId: async () => {
        resolved = 'ready-project';
        return resolved;
      },
      getAccessToken: async () => 'token',
      getRequestHeaders: async () => ({ authorization: 'Bearer token' }),
      describeCredentials: async () => ({ type: 'other' }),
    };
    const adapter = createVertexAdapter({ tokenSource: source });
    await adapter.ready();
    expect(adapter.prepareMessages(call(), target('eu')).request.url).toContain(
      '/projects/ready-project/locations/eu/',
    );
  });
});

describe('VertexAdapter.parseError', () => {
  const adapter = createVertexAdapter({ tokenSource: fixedToken('my-project') });

  it('reads a google.rpc.Status, keeping the message', () => {
    const error = adapter.parseError(
      429,
      new Headers(),
      '{"error":{"code":429,"message":"Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model","status":"RESOURCE_EXHAUSTED"}}',
    );
    expect(error.type).toBe('rate_limit_error');
    expect(error.upstreamCode).toBe('RESOURCE_EXHAUSTED');
    expect(error.message).toBe(
      'Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model',
    );
    expect(error.retryable).toBe(true);
  });

  it('reads the array-wrapped form', () => {
    const error = adapter.parseError(
      503,
      new Headers(),
      '[{"error":{"code":503,"message":"The service is currently unavailable.","status":"UNAVAILABLE"}}]',
    );
    expect(error.status).toBe(503);
    expect(error.message).toBe('The service is currently unavailable.');
  });

  it('reads the Anthropic shape', () => {
    const error = adapter.parseError(
      400,
      new Headers(),
      '{"type":"error","error":{"type":"invalid_request_error","message":"Unexpected value(s) `web-search-2025-03-05` for the `anthropic-beta` header."}}',
    );
    expect(error.type).toBe('invalid_request_error');
    expect(error.platform).toBe('vertex');
    expect(error.message).toBe(
      'Unexpected value(s) `web-search-2025-03-05` for the `anthropic-beta` header.',
    );
  });

  it('adds how to fix a permission error, naming the project', () => {
    const error = adapter.parseError(
      403,
      new Headers(),
      '[{"error":{"code":403,"message":"Permission \'aiplatform.endpoints.predict\' denied","status":"PERMISSION_DENIED"}}]',
    );
    expect(error.type).toBe('permission_error');
    expect(error.message).toMatch(/^Permission 'aiplatform\.endpoints\.predict' denied \(/);
    expect(error.message).toContain('project my-project');
    expect(error.message).toContain('Model Garden');
    expect(error.message).toContain('gcloud auth application-default login');
  });
});

describe('VertexAdapter against a stub server', () => {
  let server: RecordingServer;
  let transport: HttpTransport;
  const sse =
    `event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"${MODEL}","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}\n\n` +
    'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hé"}}\n\n' +
    'event: message_stop\ndata: {"type":"message_stop"}\n\n';

  beforeAll(async () => {
    server = await startRecordingServer(() => ({
      headers: { 'content-type': 'text/event-stream' },
      body: [sse.slice(0, 100), sse.slice(100)],
    }));
    transport = new HttpTransport();
  });
  afterAll(async () => {
    await transport.close();
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
  });

  it('sends the prepared, authorized request and decodes the stream', async () => {
    const adapter = createVertexAdapter({ tokenSource: fixedToken('my-project'), endpoint: server.url });
    const { request } = adapter.prepareMessages(call(), target('us-east5'));
    const response = await transport.send(await adapter.authorize(request, target('us-east5')), 'vertex');
    const decoder = adapter.createStreamDecoder();
    const items: UpstreamStreamItem[] = [];
    for await (const chunk of response.body) items.push(...decoder.push(chunk));
    items.push(...decoder.end());
    const recorded = server.requests[0];
    expect(recorded?.path).toBe(
      `/v1/projects/my-project/locations/us-east5/publishers/anthropic/models/${MODEL}:streamRawPredict`,
    );
    expect(recorded?.headers['authorization']).toBe('Bearer fixed-token');
    expect(recorded?.headers['anthropic-beta']).toBe('context-1m-2025-08-07');
    expect(JSON.parse(recorded?.body ?? '').stream).toBe(true);
    expect(items.map((item) => (item.kind === 'event' ? item.event.type : 'error'))).toEqual([
      'message_start',
      'content_block_delta',
      'message_stop',
    ]);
  });
});
