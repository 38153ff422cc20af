import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveModel } from '../../catalog/resolve.js';
import { GatewayError } from '../../wire/errors/index.js';
import { BetaMemory } from '../betas.js';
import type { MessagesCall, ResolvedTarget } from '../types.js';
import {
  type RecordingServer,
  type StubAnswer,
  startRecordingServer,
} from './__fixtures__/recording-server.js';
import { createAnthropicAdapter } from './anthropic-adapter.js';
import { listAnthropicModels } from './list-anthropic-models.js';
import { verifyAnthropicKey } from './verify-anthropic-key.js';

const target: ResolvedTarget = {
  platform: 'anthropic',
  modelId: 'claude-sonnet-4-5-20250929',
  resolved: resolveModel('claude-sonnet-4-5'),
};

/** A body as a Bedrock client sends it, reaching the first party: version and betas in the body. */
function bedrockStyleCall(overrides: Partial<MessagesCall> = {}): MessagesCall {
  return {
    body: {
      anthropic_version: 'bedrock-2023-05-31',
      anthropic_beta: ['context-1m-2025-08-07'],
      max_tokens: 100,
      messages: [
        { role: 'system', content: 'Context.' },
        {
          role: 'user',
          content: [{ type: 'text', text: 'Hi', cache_control: { type: 'ephemeral', ttl: '1h' } }],
        },
      ],
      tools: [{ name: 'read', input_schema: { type: 'object' }, eager_input_streaming: true }],
      brand_new_option: 'kept',
    },
    stream: true,
    betas: ['context-1m-2025-08-07'],
    anthropicVersion: 'bedrock-2023-05-31',
    ...overrides,
  };
}

beforeEach(() => {
  vi.stubEnv('ANTHROPIC_API_KEY', '');
  vi.stubEnv('ANTHROPIC_AUTH_TOKEN', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createAnthropicAdapter', () => {
  it('posts to /v1/messages with the version and betas as headers', () => {
    const adapter = createAnthropicAdapter({ apiKey: 'k' });
    const { request, changes } = adapter.prepareMessages(bedrockStyleCall(), target);
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://api.anthropic.com/v1/messages');
    expect(request.headers).toEqual({
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'context-1m-2025-08-07',
    });
    expect(changes).toEqual([]);
  });

  it('sets model, keeps stream and every unknown field, and removes the body fields of other dialects', () => {
    const adapter = createAnthropicAdapter({ apiKey: 'k' });
    const call = bedrockStyleCall();
    const { anthropic_version: _version, anthropic_beta: _betas, ...rest } = call.body;
    const body = JSON.parse(String(adapter.prepareMessages(call, target).request.body ?? ''));
    expect(body).toEqual({ ...rest, model: 'claude-sonnet-4-5-20250929', stream: true });
    expect(body.messages[0].role).toBe('system');
    expect(body.tools[0].eager_input_streaming).toBe(true);
    expect(call.body['anthropic_version']).toBe('bedrock-2023-05-31');
  });

  it('keeps a dated version the API takes', () => {
    const adapter = createAnthropicAdapter({ apiKey: 'k' });
    const { headers } = adapter.prepareMessages(
      bedrockStyleCall({ anthropicVersion: '2026-10-21' }),
      target,
    ).request;
    expect(headers['anthropic-version']).toBe('2026-10-21');
  });

  it('forwards unknown betas and drops the ones learned to be rejected', () => {
    const memory = new BetaMemory();
    memory.remember('anthropic', ['retired-beta-2024-01-01']);
    const adapter = createAnthropicAdapter({ apiKey: 'k', betaMemory: memory });
    const prepared = adapter.prepareMessages(
      bedrockStyleCall({ betas: ['web-search-2025-03-05', 'retired-beta-2024-01-01', 'future-2027-01-01'] }),
      target,
    );
    expect(prepared.request.headers['anthropic-beta']).toBe('web-search-2025-03-05,future-2027-01-01');
    expect(prepared.changes).toEqual(['dropped-beta:retired-beta-2024-01-01']);
  });

  it('counts tokens at /v1/messages/count_tokens without stream', () => {
    const adapter = createAnthropicAdapter({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9/' });
    const { request } = adapter.prepareCountTokens(bedrockStyleCall({ stream: false }), target);
    expect(request.url).toBe('http://127.0.0.1:9/v1/messages/count_tokens');
    const body = JSON.parse(String(request.body ?? ''));
    expect(body.model).toBe('claude-sonnet-4-5-20250929');
    expect(body).not.toHaveProperty('stream');
    expect(adapter.parseCountTokens({ input_tokens: 7 })).toBe(7);
  });

  it('authorizes with x-api-key, a bearer auth token, or the environment', async () => {
    const { request } = createAnthropicAdapter({ apiKey: 'k' }).prepareMessages(bedrockStyleCall(), target);
    expect(
      (await createAnthropicAdapter({ apiKey: 'sk-1' }).authorize(request, target)).headers['x-api-key'],
    ).toBe('sk-1');
    const bearer = await createAnthropicAdapter({ authToken: 'tok' }).authorize(request, target);
    expect(bearer.headers['authorization']).toBe('Bearer tok');
    expect(bearer.headers).not.toHaveProperty('x-api-key');
    vi.stubEnv('ANTHROPIC_API_KEY', 'sk-env');
    expect((await createAnthropicAdapter().authorize(request, target)).headers['x-api-key']).toBe('sk-env');
  });

  it('says how to configure a key when there is none', async () => {
    const adapter = createAnthropicAdapter();
    const { request } = adapter.prepareMessages(bedrockStyleCall(), target);
    const error = await adapter.authorize(request, target).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error instanceof GatewayError && error.code).toBe('PLATFORM_CREDENTIALS_UNAVAILABLE');
    expect(error instanceof GatewayError && error.message).toContain('ANTHROPIC_API_KEY');
  });

  it('parses Anthropic errors, keeping the message and request id, with a hint for a bad key', () => {
    const adapter = createAnthropicAdapter({ apiKey: 'k' });
    const overloaded = adapter.parseError(
      529,
      new Headers({ 'request-id': 'req_1' }),
      '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}',
    );
    expect([overloaded.type, overloaded.message, overloaded.requestId, overloaded.retryable]).toEqual([
      'overloaded_error',
      'Overloaded',
      'req_1',
      true,
    ]);
    const unauthorized = adapter.parseError(
      401,
      new Headers(),
      '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}',
    );
    expect(unauthorized.message).toMatch(/^invalid x-api-key \(check the API key.*ANTHROPIC_API_KEY\)$/);
    expect(unauthorized.platform).toBe('anthropic');
  });
});

describe('listAnthropicModels and verifyAnthropicKey', () => {
  let server: RecordingServer;
  let answer: (path: string) => StubAnswer;
  const page = (ids: string[], hasMore: boolean) =>
    JSON.stringify({
      data: ids.map((id) => ({
        type: 'model',
        id,
        display_name: id.toUpperCase(),
        created_at: '2025-09-29T00:00:00Z',
      })),
      has_more: hasMore,
      first_id: ids[0],
      last_id: ids.at(-1),
    });

  beforeAll(async () => {
    server = await startRecordingServer((request) => answer(request.path));
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    answer = (path) =>
      path.includes('after_id=m2') ? { body: page(['m3'], false) } : { body: page(['m1', 'm2'], true) };
  });

  it('follows after_id through every page', async () => {
    const models = await listAnthropicModels({ apiKey: 'sk-list', baseUrl: server.url });
    expect(models.map((model) => model.id)).toEqual(['m1', 'm2', 'm3']);
    expect(models[0]).toEqual({ id: 'm1', displayName: 'M1', createdAt: '2025-09-29T00:00:00Z' });
    expect(server.requests.map((request) => request.path)).toEqual([
      '/v1/models?limit=1000',
      '/v1/models?limit=1000&after_id=m2',
    ]);
    expect(server.requests[0]?.headers['x-api-key']).toBe('sk-list');
    expect(server.requests[0]?.headers['anthropic-version']).toBe('2023-06-01');
  });

  it('verifies a key with one small call', async () => {
    const report = await verifyAnthropicKey({ apiKey: 'sk-ok', baseUrl: server.url });
    expect(report).toEqual({ baseUrl: server.url, authentication: 'api-key', firstModel: 'm1' });
    expect(server.requests.map((request) => request.path)).toEqual(['/v1/models?limit=1']);
  });

  it('reports a refused key with the API message and a hint', async () => {
    answer = () => ({
      status: 401,
      body: '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}',
    });
    const error = await verifyAnthropicKey({ apiKey: 'sk-bad', baseUrl: server.url }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GatewayError);
    expect(error instanceof GatewayError && [error.status, error.type]).toEqual([
      401,
      'authentication_error',
    ]);
    expect(error instanceof GatewayError && error.message).toMatch(/^invalid x-api-key \(check the API key/);
  });
});

describe('unchanged bodies', () => {
  it("forwards the client's own bytes when nothing would change, and serializes when something does", async () => {
    const { unchangedRawBody } = await import('./serialize-body.js');
    const body = { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
    const rawBody = new TextEncoder().encode(`${JSON.stringify(body)}\n`);
    const call = { body, stream: false, betas: [], rawBody };
    expect(unchangedRawBody(call, 'messages', 'claude-sonnet-4-5')).toBe(rawBody);
    expect(unchangedRawBody(call, 'messages', 'claude-sonnet-4-5-20250929')).toBeUndefined();
    expect(unchangedRawBody({ ...call, stream: true }, 'messages', 'claude-sonnet-4-5')).toBeUndefined();
    expect(
      unchangedRawBody(
        { ...call, body: { ...body, anthropic_version: 'bedrock-2023-05-31' } },
        'messages',
        'claude-sonnet-4-5',
      ),
    ).toBeUndefined();
    expect(unchangedRawBody(call, 'count-tokens', 'claude-sonnet-4-5')).toBeUndefined();
    expect(
      unchangedRawBody({ body, stream: false, betas: [] }, 'messages', 'claude-sonnet-4-5'),
    ).toBeUndefined();
  });
});
