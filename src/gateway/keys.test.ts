/**
 * Gateway keys and their policies, through real clients: a missing, wrong or
 * revoked key in each dialect's own error shape; allowed models; residency;
 * a request rate limit; a monthly budget.
 */

import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import Anthropic from '@anthropic-ai/sdk';
import { AnthropicVertex } from '@anthropic-ai/vertex-sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { failureOf, startTestGateway, type TestGateway } from '../test-support/gateway.js';
import { readJson } from '../test-support/json.js';

let setup: TestGateway;
const secrets: Record<string, string> = {};
type APIError = InstanceType<typeof Anthropic.APIError>;

beforeAll(async () => {
  setup = await startTestGateway({
    config: {
      routes: [
        {
          models: ['claude-sonnet-4-5'],
          targets: ['bedrock/global', 'vertex/global', 'bedrock/eu', 'vertex/europe-west1'],
        },
        { models: ['claude-opus-4-1'], targets: ['bedrock/us', 'vertex/global', 'anthropic'] },
        { models: ['claude-haiku-4-5'], targets: ['anthropic'] },
        {
          models: ['claude-opus-5'],
          targets: ['vertex/europe-west2', 'bedrock/eu-west-2', 'bedrock/eu', 'vertex/europe-west1'],
        },
      ],
    },
    keys: [
      { name: 'plain' },
      { name: 'to-revoke' },
      { name: 'haiku-only', allowedModels: ['claude-haiku-4-5'] },
      { name: 'haiku-glob', allowedModels: ['*haiku*'] },
      { name: 'eu-only', residency: 'eu' },
      { name: 'europe-only', residency: 'europe' },
      { name: 'two-a-minute', requestsPerMinute: 2 },
      { name: 'tiny-budget', monthlyBudgetUsd: 0.000001 },
      { name: 'few-tokens', tokensPerMinute: 20 },
    ],
  });
  for (const key of setup.keys) secrets[key.record.name] = key.secret;
});
afterAll(async () => {
  await setup.close();
});
beforeEach(() => setup.emulator.state.reset());

const secret = (name: string): string => {
  const value = secrets[name];
  if (!value) throw new Error(`no key ${name}`);
  return value;
};

const anthropic = (apiKey: string | null, authToken: string | null = null) =>
  new Anthropic({ baseURL: setup.url, apiKey, authToken, maxRetries: 0 });

const ask = (client: Anthropic, model = 'claude-sonnet-4-5', text = 'hello') =>
  client.messages.create({ model, max_tokens: 100, messages: [{ role: 'user', content: text }] });

const messagesBody = (model = 'claude-sonnet-4-5') =>
  JSON.stringify({ model, max_tokens: 50, messages: [{ role: 'user', content: 'x' }] });
const bedrockBody = JSON.stringify({
  anthropic_version: 'bedrock-2023-05-31',
  max_tokens: 50,
  messages: [{ role: 'user', content: 'x' }],
});
const vertexPath =
  '/v1/projects/p/locations/global/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict';
const vertexBody = JSON.stringify({
  anthropic_version: 'vertex-2023-10-16',
  max_tokens: 50,
  messages: [{ role: 'user', content: 'x' }],
});

describe('who may call', () => {
  it('takes the key as x-api-key and as Authorization: Bearer', async () => {
    const viaHeader = await ask(anthropic(secret('plain')));
    expect(viaHeader.stop_reason).toBe('end_turn');
    const viaBearer = await ask(anthropic(null, secret('plain')));
    expect(viaBearer.stop_reason).toBe('end_turn');
    const rows = await setup.requests();
    expect(rows.slice(0, 2).map((row) => row.keyName)).toEqual(['plain', 'plain']);
    // Upstream, the gateway's own credentials go out, never the caller's gateway key.
    const upstream = setup.emulator.state.journal.list({ platform: 'bedrock' });
    expect(upstream).toHaveLength(2);
    for (const entry of upstream) {
      expect(entry.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEMULATOR\//);
      expect(JSON.stringify(entry.headers)).not.toContain('cgw_');
    }
  });

  it('answers no key with 401 in the Anthropic shape', async () => {
    const response = await fetch(`${setup.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: messagesBody(),
    });
    expect(response.status).toBe(401);
    const body = await readJson(response);
    expect(body).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(body.error.message).toMatch(/x-api-key|Authorization: Bearer/);
    expect(setup.emulator.state.journal.list()).toHaveLength(0);
  });

  it('answers no key in the Bedrock shape (x-amzn-errortype UnrecognizedClientException), final: 401 and x-should-retry: false', async () => {
    const response = await fetch(
      `${setup.url}/model/global.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: bedrockBody },
    );
    // Bedrock itself says 403, which Claude Code's Bedrock mode retries for minutes as expired AWS credentials.
    expect(response.status).toBe(401);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^UnrecognizedClientException:/);
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^req_gw_/);
    const body = await readJson(response);
    expect(body.message).toMatch(/gateway key/);
  });

  it('answers no key in the Vertex shape, final: 403 google.rpc.Status PERMISSION_DENIED', async () => {
    const response = await fetch(`${setup.url}${vertexPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: vertexBody,
    });
    // Not 401 UNAUTHENTICATED: Claude Code's Vertex mode retries that as expired Google credentials.
    expect(response.status).toBe(403);
    expect(response.headers.get('x-should-retry')).toBe('false');
    const body = await readJson(response);
    expect(body).toMatchObject({ error: { code: 403, status: 'PERMISSION_DENIED' } });
    expect(body.error.message).toMatch(/gateway key/);
  });

  it('refuses a wrong key through the SDK', async () => {
    await expect(ask(anthropic('cgw_not-a-real-key'))).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it('refuses a key once it is revoked (the cache forgets it)', async () => {
    const client = anthropic(secret('to-revoke'));
    expect((await ask(client)).stop_reason).toBe('end_turn');
    const revoked = await setup.store.revokeKey('to-revoke');
    expect(revoked?.revokedAt).toBeDefined();
    setup.gateway.context.callers.invalidate();
    const error = await failureOf<APIError>(ask(client));
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(error.status).toBe(401);
  });

  it('logs refused callers too', async () => {
    await ask(anthropic('cgw_wrong')).catch(() => undefined);
    const [row] = await setup.requests();
    expect(row).toMatchObject({ status: 401, errorType: 'authentication_error' });
    expect(row?.keyId).toBeUndefined();
  });

  it('takes the key from a custom header Claude Code adds in Bedrock mode (ANTHROPIC_CUSTOM_HEADERS)', async () => {
    const response = await fetch(
      `${setup.url}/model/global.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': secret('plain') },
        body: bedrockBody,
      },
    );
    expect(response.status).toBe(200);
  });
});

describe('each SDK presents the key its own way', () => {
  it('@anthropic-ai/bedrock-sdk: the key as a Bedrock API key (apiKey → Authorization: Bearer)', async () => {
    const client = new AnthropicBedrock({ baseURL: setup.url, apiKey: secret('plain'), maxRetries: 0 });
    const message = await client.messages.create({
      model: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'Bedrock API key' }],
    });
    expect(message.stop_reason).toBe('end_turn');
    const refused = await failureOf<APIError>(
      new AnthropicBedrock({ baseURL: setup.url, skipAuth: true, maxRetries: 0 }).messages.create({
        model: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'no key' }],
      }),
    );
    expect(refused.status).toBe(401);
    expect(refused.message).toMatch(/gateway key/);
  });

  it('@anthropic-ai/bedrock-sdk with skipAuth: the key as a custom header (ANTHROPIC_CUSTOM_HEADERS)', async () => {
    const client = new AnthropicBedrock({
      baseURL: setup.url,
      skipAuth: true,
      defaultHeaders: { 'x-api-key': secret('plain') },
      maxRetries: 0,
    });
    const message = await client.messages.create({
      model: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'custom header' }],
    });
    expect(message.stop_reason).toBe('end_turn');
  });

  it('@anthropic-ai/vertex-sdk: the key as the bearer token its auth client hands out', async () => {
    const client = (token: string) =>
      new AnthropicVertex({
        baseURL: `${setup.url}/v1`,
        region: 'global',
        projectId: 'any-project',
        authClient: {
          getRequestHeaders: async () => new Headers({ authorization: `Bearer ${token}` }),
        } as never,
        maxRetries: 0,
      });
    const message = await client(secret('plain')).messages.create({
      model: 'claude-sonnet-4-5@20250929',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'Vertex bearer' }],
    });
    expect(message.stop_reason).toBe('end_turn');
    const refused = await failureOf<APIError>(
      client('ya29.a-google-token').messages.create({
        model: 'claude-sonnet-4-5@20250929',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'Google token' }],
      }),
    );
    expect(refused).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(refused.message).toMatch(/gateway key/);
  });
});

describe('what a key may do', () => {
  it('refuses a model the key may not use with 403 naming the model', async () => {
    const client = anthropic(secret('haiku-only'));
    expect((await ask(client, 'claude-haiku-4-5')).stop_reason).toBe('end_turn');
    const error = await failureOf<APIError>(ask(client, 'claude-sonnet-4-5'));
    expect(error).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(error.message).toContain('claude-sonnet-4-5');
    // Any name of an allowed model is allowed: the Bedrock id of Haiku 4.5 too.
    const bedrock = await fetch(`${setup.url}/model/us.anthropic.claude-haiku-4-5-20251001-v1:0/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret('haiku-only')}` },
      body: bedrockBody,
    });
    expect(bedrock.status).toBe(200);
    expect(setup.emulator.state.journal.list().map((entry) => entry.platform)).toEqual([
      'anthropic',
      'anthropic',
    ]);
  });

  it('refuses a body that names the model twice, so the policy and the platform cannot read different ones', async () => {
    const response = await fetch(`${setup.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': secret('haiku-only') },
      body: '{"model":"claude-opus-4-5","max_tokens":50,"messages":[{"role":"user","content":"x"}],"model":"claude-haiku-4-5"}',
    });
    expect(response.status).toBe(400);
    expect((await readJson(response)).error.message).toMatch(/the key "model" more than once/);
    expect(setup.emulator.state.journal.list()).toHaveLength(0);
  });

  it('decides a glob on the model a name resolves to, not on the text of an ARN around it', async () => {
    const key = secret('haiku-glob');
    const opusArns = [
      'arn:aws:bedrock:haiku:1:foundation-model/claude-opus-4-5',
      'arn:aws-haiku:bedrock:us-east-1:1:foundation-model/claude-opus-4-5',
      'arn:aws:bedrock:haiku:1:foundation-model/claude-made-up-9',
    ];
    for (const model of opusArns) {
      const error = await failureOf<APIError>(ask(anthropic(key), model));
      expect(error, model).toBeInstanceOf(Anthropic.PermissionDeniedError);
    }
    const bedrock = await fetch(`${setup.url}/model/${encodeURIComponent(opusArns[0] as string)}/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: bedrockBody,
    });
    // AccessDeniedException, final: a 400 with x-should-retry: false (Claude Code's Bedrock mode retries any 403).
    expect(bedrock.status).toBe(400);
    expect(bedrock.headers.get('x-amzn-errortype')).toMatch(/^AccessDeniedException:/);
    expect(bedrock.headers.get('x-should-retry')).toBe('false');
    const vertex = await fetch(
      `${setup.url}/v1/projects/p/locations/global/publishers/anthropic/models/${encodeURIComponent(opusArns[1] as string)}:rawPredict`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: vertexBody,
      },
    );
    expect(vertex.status).toBe(403);
    expect(await readJson(vertex)).toMatchObject({ error: { code: 403, status: 'PERMISSION_DENIED' } });
    expect(setup.emulator.state.journal.list()).toHaveLength(0);
    // Haiku itself, by any of its names, ARN included, is still allowed.
    expect((await ask(anthropic(key), 'claude-haiku-4-5')).stop_reason).toBe('end_turn');
    expect(
      (
        await ask(
          anthropic(key),
          'arn:aws:bedrock:us-east-1:1:foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0',
        )
      ).stop_reason,
    ).toBe('end_turn');
  });

  it('keeps a Europe key inside Europe, even when global targets come first', async () => {
    const client = anthropic(secret('europe-only'));
    setup.emulator.state.faults.add({ kind: 'http', platform: 'bedrock', status: 503, count: 2 });
    const message = await ask(client, 'claude-sonnet-4-5', 'EU data');
    expect((message.content[0] as { text: string }).text).toContain('EU data');
    const journal = setup.emulator.state.journal.list();
    expect(journal.length).toBeGreaterThanOrEqual(2);
    for (const entry of journal) {
      if (entry.platform === 'bedrock') {
        expect(entry.model).toMatch(/^eu\./);
        expect(entry.region).toMatch(/^eu-/);
      } else {
        expect(entry.platform).toBe('vertex');
        expect(entry.path).toContain('/locations/europe-west1/');
      }
    }
    expect(journal.at(-1)?.platform).toBe('vertex');
    const [row] = await setup.requests();
    expect(row).toMatchObject({ platform: 'vertex', region: 'europe-west1', keyName: 'europe-only' });
  });

  it('keeps an EU key inside the European Union: not London, not an eu. profile (it reaches London and Zurich)', async () => {
    const message = await ask(anthropic(secret('eu-only')), 'claude-opus-5', 'EU only');
    expect((message.content[0] as { text: string }).text).toContain('EU only');
    const journal = setup.emulator.state.journal.list();
    expect(journal.map((entry) => `${entry.platform} ${entry.path}`)).toEqual([
      expect.stringMatching(/^vertex .*\/locations\/europe-west1\//),
    ]);
    const [row] = await setup.requests();
    expect(row).toMatchObject({ platform: 'vertex', region: 'europe-west1', keyName: 'eu-only' });
  });

  it('serves a Europe key from London, the first target of the route', async () => {
    await ask(anthropic(secret('europe-only')), 'claude-opus-5', 'London is in Europe');
    const [entry] = setup.emulator.state.journal.list();
    expect(entry?.path).toContain('/locations/europe-west2/');
  });

  it('tells an EU key clearly when a model has no EU target', async () => {
    const error = await failureOf<APIError>(ask(anthropic(secret('eu-only')), 'claude-opus-4-1'));
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error.status).toBeGreaterThanOrEqual(400);
    expect(error.status).toBeLessThan(500);
    expect(error.message).toContain('claude-opus-4-1');
    expect(error.message).toMatch(/EU residency/);
    expect(setup.emulator.state.journal.list()).toHaveLength(0);
  });

  it('refuses the third request in a minute with 429, retry-after and the limit named', async () => {
    const client = anthropic(secret('two-a-minute'));
    await ask(client);
    await ask(client);
    const error = await failureOf<APIError>(ask(client));
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(error.message).toContain('2 requests per minute');
    expect(setup.emulator.state.journal.list()).toHaveLength(2);
    // The Bedrock dialect says it as ThrottlingException.
    const bedrock = await fetch(
      `${setup.url}/model/global.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': secret('two-a-minute') },
        body: bedrockBody,
      },
    );
    expect(bedrock.status).toBe(429);
    expect(bedrock.headers.get('x-amzn-errortype')).toMatch(/^ThrottlingException:/);
    expect(bedrock.headers.get('retry-after')).toBeTruthy();
  });

  it('refuses a key over its tokens per minute once a request has used them', async () => {
    const client = anthropic(secret('few-tokens'));
    const first = await ask(client, 'claude-sonnet-4-5', 'use up the tokens');
    expect(first.usage.input_tokens + first.usage.output_tokens).toBeGreaterThan(20);
    const error = await failureOf<APIError>(ask(client));
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error.message).toContain('20 tokens per minute');
  });

  it('refuses a key over its monthly budget once a request has cost money', async () => {
    const client = anthropic(secret('tiny-budget'));
    const first = await ask(client, 'claude-sonnet-4-5', 'spend a little');
    expect(first.usage.output_tokens).toBeGreaterThan(0);
    const [row] = await setup.requests();
    expect(row?.costUsd).toBeGreaterThan(0.000001);
    const error = await failureOf<APIError>(ask(client));
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/monthly budget/);
    expect(error.message).toContain('$0.00');
    expect(setup.emulator.state.journal.list()).toHaveLength(1);
  });
});

describe('revoking the last key', () => {
  const ADMIN_KEY = 'admin-key-for-tests-0123456789';
  let closed: TestGateway;
  beforeAll(async () => {
    closed = await startTestGateway({
      config: { server: { adminKey: ADMIN_KEY }, routes: [{ models: ['*'], targets: ['anthropic'] }] },
    });
  });
  afterAll(async () => {
    await closed.close();
  });

  it('closes the gateway instead of opening it again, in every dialect', async () => {
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${closed.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    expect((await admin('POST', '/admin/keys', { name: 'only' })).status).toBe(201);
    expect((await admin('DELETE', '/admin/keys/only')).status).toBe(200);
    const anthropicAnswer = await fetch(`${closed.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: messagesBody(),
    });
    expect(anthropicAnswer.status).toBe(401);
    const anthropicError = await readJson(anthropicAnswer);
    expect(anthropicError.error).toMatchObject({ type: 'authentication_error' });
    expect(anthropicError.error.message).toMatch(/requires a gateway key/);
    expect(anthropicError.error.message).toContain('claude-gateway keys create');
    const bedrockAnswer = await fetch(
      `${closed.url}/model/global.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: bedrockBody },
    );
    expect(bedrockAnswer.status).toBe(401);
    expect(bedrockAnswer.headers.get('x-amzn-errortype')).toMatch(/^UnrecognizedClientException:/);
    expect((await readJson(bedrockAnswer)).message).toContain('claude-gateway keys create');
    const vertexAnswer = await fetch(`${closed.url}${vertexPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: vertexBody,
    });
    expect(vertexAnswer.status).toBe(403);
    expect(await readJson(vertexAnswer)).toMatchObject({ error: { code: 403, status: 'PERMISSION_DENIED' } });
    expect(closed.emulator.state.journal.list()).toHaveLength(0);
  });
});

describe('keys changed by another process (the CLI writes the store directly)', () => {
  let open: TestGateway;
  beforeAll(async () => {
    open = await startTestGateway({ config: { routes: [{ models: ['*'], targets: ['anthropic'] }] } });
  });
  afterAll(async () => {
    await open.close();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const post = (headers: Record<string, string> = {}) =>
    fetch(`${open.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: messagesBody(),
    });

  it('closes an open gateway once a key exists, and drops a revoked key, within the cache time', async () => {
    expect((await post()).status).toBe(200);
    const created = await open.store.createKey({ name: 'from-the-cli' });
    // Only Date is faked: the gateway's key caches expire, the sockets keep working.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 31_000 });
    expect((await post()).status).toBe(401);
    expect((await post({ 'x-api-key': created.secret })).status).toBe(200);
    await open.store.createKey({ name: 'stays' });
    await open.store.revokeKey('from-the-cli');
    vi.setSystemTime(Date.now() + 31_000);
    expect((await post({ 'x-api-key': created.secret })).status).toBe(401);
  });
});
