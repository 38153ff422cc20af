import { AnthropicFoundry } from '@anthropic-ai/foundry-sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveModel } from '../../catalog/resolve.js';
import { GatewayError } from '../../wire/errors/index.js';
import {
  MESSAGE_ANSWER,
  type RecordedRequest,
  type RecordingServer,
  startRecordingServer,
} from '../anthropic/__fixtures__/recording-server.js';
import { HttpTransport } from '../transport.js';
import type { MessagesCall, ResolvedTarget } from '../types.js';
import { createFoundryAdapter } from './foundry-adapter.js';

const DEPLOYMENT = 'claude-opus-4-6';
const target: ResolvedTarget = {
  platform: 'foundry',
  modelId: DEPLOYMENT,
  resolved: resolveModel(DEPLOYMENT),
};
const params = { model: DEPLOYMENT, max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hello' }] };
const call = (overrides: Partial<MessagesCall> = {}): MessagesCall => ({
  body: { ...params },
  stream: false,
  betas: [],
  anthropicVersion: '2026-10-21',
  ...overrides,
});

beforeEach(() => {
  vi.stubEnv('ANTHROPIC_FOUNDRY_RESOURCE', '');
  vi.stubEnv('ANTHROPIC_FOUNDRY_BASE_URL', '');
  vi.stubEnv('ANTHROPIC_FOUNDRY_API_KEY', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createFoundryAdapter', () => {
  it("posts to the resource's /anthropic/v1/messages with the deployment name as model", () => {
    const adapter = createFoundryAdapter({ resource: 'my-resource', apiKey: 'k' });
    const { request } = adapter.prepareMessages(call({ body: { ...params, model: 'sonnet' } }), target);
    expect(request.url).toBe('https://my-resource.services.ai.azure.com/anthropic/v1/messages');
    expect(JSON.parse(String(request.body ?? '')).model).toBe(DEPLOYMENT);
    expect(request.headers['anthropic-version']).toBe('2026-10-21');
    expect(adapter.platform).toBe('foundry');
  });

  it('finds the resource in the environment, a base URL winning over a resource name', () => {
    vi.stubEnv('ANTHROPIC_FOUNDRY_RESOURCE', 'env-resource');
    expect(createFoundryAdapter().prepareCountTokens(call(), target).request.url).toBe(
      'https://env-resource.services.ai.azure.com/anthropic/v1/messages/count_tokens',
    );
    vi.stubEnv('ANTHROPIC_FOUNDRY_BASE_URL', 'https://proxy.example/anthropic/');
    expect(createFoundryAdapter().prepareMessages(call(), target).request.url).toBe(
      'https://proxy.example/anthropic/v1/messages',
    );
  });

  it('says how to name the resource when none is given', () => {
    expect(() => createFoundryAdapter()).toThrow(/ANTHROPIC_FOUNDRY_RESOURCE/);
  });

  it('authorizes with the Foundry key from the environment, or an Entra token asked for on each request', async () => {
    vi.stubEnv('ANTHROPIC_FOUNDRY_API_KEY', 'foundry-key');
    const keyed = createFoundryAdapter({ resource: 'r' });
    const { request } = keyed.prepareMessages(call(), target);
    expect((await keyed.authorize(request, target)).headers['x-api-key']).toBe('foundry-key');

    let issued = 0;
    const entra = createFoundryAdapter({ resource: 'r', entraToken: async () => `entra-${++issued}` });
    expect((await entra.authorize(request, target)).headers['authorization']).toBe('Bearer entra-1');
    const second = await entra.authorize(request, target);
    expect(second.headers['authorization']).toBe('Bearer entra-2');
    expect(second.headers).not.toHaveProperty('x-api-key');
  });

  it('fails with the fix when the token provider fails or there are no credentials', async () => {
    const failing = createFoundryAdapter({
      resource: 'r',
      entraToken: async () => {
        throw new Error('AADSTS700016: application not found');
      },
    });
    const { request } = failing.prepareMessages(call(), target);
    await expect(failing.authorize(request, target)).rejects.toThrow(/AADSTS700016/);
    const error = await createFoundryAdapter({ resource: 'r' })
      .authorize(request, target)
      .catch((caught: unknown) => caught);
    expect(error instanceof GatewayError && error.message).toContain('ANTHROPIC_FOUNDRY_API_KEY');
  });

  it('parses errors as Foundry errors', () => {
    const error = createFoundryAdapter({ resource: 'r', apiKey: 'k' }).parseError(
      401,
      new Headers(),
      '{"type":"error","error":{"type":"authentication_error","message":"Access denied due to invalid subscription key."}}',
    );
    expect(error.platform).toBe('foundry');
    expect(error.message).toMatch(/^Access denied due to invalid subscription key\. \(check the Foundry key/);
  });
});

describe('the adapter and AnthropicFoundry send the same request', () => {
  let server: RecordingServer;
  let transport: HttpTransport;
  const COMPARED = ['content-type', 'anthropic-version', 'anthropic-beta', 'x-api-key', 'authorization'];
  const comparable = (request: RecordedRequest | undefined) => ({
    path: request?.path,
    bodyText: request?.body,
    headers: Object.fromEntries(COMPARED.map((name) => [name, request?.headers[name]])),
  });

  beforeAll(async () => {
    server = await startRecordingServer(() => ({ body: MESSAGE_ANSWER }));
    transport = new HttpTransport();
  });
  afterAll(async () => {
    await transport.close();
    await server.close();
  });

  it('with a key and with an Entra token provider', async () => {
    const baseUrl = `${server.url}/anthropic/`;
    const send = async (adapter: ReturnType<typeof createFoundryAdapter>, betas: string[]) => {
      const { request } = adapter.prepareMessages(call({ betas }), target);
      await (await transport.send(await adapter.authorize(request, target), 'foundry')).text();
      return server.requests.at(-1);
    };

    await new AnthropicFoundry({
      baseURL: baseUrl,
      apiKey: 'foundry-key',
      maxRetries: 0,
    }).beta.messages.create({
      ...params,
      betas: ['context-1m-2025-08-07'],
    });
    const officialKeyed = server.requests.at(-1);
    const oursKeyed = await send(createFoundryAdapter({ baseUrl, apiKey: 'foundry-key' }), [
      'context-1m-2025-08-07',
    ]);
    expect(comparable(oursKeyed)).toEqual(comparable(officialKeyed));
    expect(officialKeyed?.path).toBe('/anthropic/v1/messages');
    expect(officialKeyed?.headers['x-api-key']).toBe('foundry-key');

    await new AnthropicFoundry({
      baseURL: baseUrl,
      azureADTokenProvider: async () => 'entra-token',
      maxRetries: 0,
    }).messages.create(params);
    const officialEntra = server.requests.at(-1);
    const oursEntra = await send(
      createFoundryAdapter({ baseUrl, entraToken: async () => 'entra-token' }),
      [],
    );
    expect(comparable(oursEntra)).toEqual(comparable(officialEntra));
    expect(officialEntra?.headers['authorization']).toBe('Bearer entra-token');
  });
});
