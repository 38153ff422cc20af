/**
 * Bedrock's Messages API (both hosts) and Claude Platform on AWS in the
 * emulator, against the clients no one here wrote (`AnthropicBedrockMantle`,
 * `AnthropicAws`, `@anthropic-ai/sdk`), and the gateway's adapters through the
 * gateway with `bedrock-messages/global` and `claude-platform-aws` targets.
 */

import AnthropicAws from '@anthropic-ai/aws-sdk';
import { AnthropicBedrockMantle } from '@anthropic-ai/bedrock-sdk';
import Anthropic from '@anthropic-ai/sdk';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emulatedPlatforms } from '../config/emulated-platforms.js';
import { parseConfig } from '../config/load.js';
import { type RunningGateway, startGateway } from '../gateway/server.js';
import { openStore } from '../store/open-store.js';
import { type RunningEmulator, startEmulator } from './server.js';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, serveRetired: true });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.state.reset();
});

const keys = { awsAccessKey: 'AKIDEMULATOR', awsSecretAccessKey: 'emulator-secret' };
const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};
const hello = { max_tokens: 200, messages: [{ role: 'user' as const, content: 'Tell me about Lisbon' }] };

describe('AnthropicBedrockMantle against the emulator', () => {
  const mantle = (options: Record<string, unknown>) =>
    new AnthropicBedrockMantle({ awsRegion: 'us-east-1', maxRetries: 0, ...options });

  for (const [how, options] of [
    ['SigV4 (bedrock-mantle), explicit host prefix', { baseURL: '', ...keys }],
    ['SigV4 (bedrock-mantle), the shared /anthropic path', { baseURL: '/anthropic', ...keys }],
    ['a Bedrock API key', { baseURL: '/bedrock-mantle/anthropic', apiKey: 'emulator-bedrock-key' }],
  ] as const) {
    it(`answers, streams and takes a tool turn with ${how}`, async () => {
      const baseURL = `${emulator.url}${options.baseURL || '/bedrock-mantle/anthropic'}`;
      const client = mantle({ ...options, baseURL });
      const message = await client.messages.create({ model: 'global.anthropic.claude-opus-5-5', ...hello });
      expect(message.content[0]).toMatchObject({ type: 'text' });
      expect(message.id).toMatch(/^msg_bdrk_/);

      const stream = client.messages.stream({ model: 'us.anthropic.claude-haiku-4-5', ...hello });
      const streamed = await stream.finalMessage();
      expect(streamed.stop_reason).toBe('end_turn');

      const tool = await client.messages.create({
        model: 'global.anthropic.claude-opus-5-5',
        max_tokens: 300,
        tools: [weatherTool],
        tool_choice: { type: 'tool', name: 'get_weather' },
        messages: [{ role: 'user', content: 'Weather in Lisbon?' }],
      });
      expect(tool.stop_reason).toBe('tool_use');
      const use = tool.content.find((block) => block.type === 'tool_use');
      expect(use).toMatchObject({ type: 'tool_use', name: 'get_weather' });
      const entries = emulator.state.journal.list({ platform: 'bedrock-messages' });
      expect(entries.map((entry) => entry.status)).toEqual([200, 200, 200]);
    });
  }

  it('refuses anthropic-beta with a 400', async () => {
    const client = mantle({ baseURL: `${emulator.url}/bedrock-mantle/anthropic`, ...keys });
    await expect(
      client.beta.messages.create({
        model: 'global.anthropic.claude-opus-5-5',
        ...hello,
        betas: ['context-management-2025-06-27'],
      }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('anthropic-beta') });
  });

  it('refuses a legacy (InvokeModel-only) model with a 400 that names InvokeModel', async () => {
    const client = mantle({ baseURL: `${emulator.url}/bedrock-mantle/anthropic`, ...keys });
    await expect(
      client.messages.create({ model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', ...hello }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('InvokeModel') });
  });

  it('checks the signature for the bedrock-mantle signing name', async () => {
    const client = mantle({
      baseURL: `${emulator.url}/bedrock-mantle/anthropic`,
      awsAccessKey: 'AKIDEMULATOR',
      awsSecretAccessKey: 'wrong',
    });
    await expect(
      client.messages.create({ model: 'global.anthropic.claude-opus-5-5', ...hello }),
    ).rejects.toMatchObject({
      status: 403,
    });
  });
});

describe('AnthropicAws against the emulator', () => {
  const aws = (options: Record<string, unknown>) =>
    new AnthropicAws({ awsRegion: 'us-west-2', workspaceId: 'wrkspc_emulator', maxRetries: 0, ...options });

  for (const [how, options] of [
    ['SigV4 (aws-external-anthropic) on the shared /v1 path', { baseURL: '', ...keys }],
    [
      'a workspace API key on the host prefix',
      { baseURL: '/aws-external-anthropic', apiKey: 'emulator-aws-workspace-key' },
    ],
  ] as const) {
    it(`answers, streams and takes a tool turn with ${how}, betas passing through`, async () => {
      const client = aws({ ...options, baseURL: `${emulator.url}${options.baseURL}` });
      const message = await client.messages.create({ model: 'claude-opus-5-5', ...hello });
      expect(message.model).toBe('claude-opus-5-5');
      const streamed = await client.messages.stream({ model: 'claude-haiku-4-5', ...hello }).finalMessage();
      expect(streamed.stop_reason).toBe('end_turn');
      const tool = await client.beta.messages.create({
        model: 'claude-sonnet-5-5',
        max_tokens: 300,
        betas: ['context-management-2025-06-27'],
        tools: [weatherTool],
        tool_choice: { type: 'tool', name: 'get_weather' },
        messages: [{ role: 'user', content: 'Weather in Lisbon?' }],
      });
      expect(tool.stop_reason).toBe('tool_use');
      const entries = emulator.state.journal.list({ platform: 'claude-platform-aws' });
      expect(entries.map((entry) => [entry.status, entry.region])).toEqual([
        [200, options.baseURL ? 'us-east-1' : 'us-west-2'],
        [200, options.baseURL ? 'us-east-1' : 'us-west-2'],
        [200, options.baseURL ? 'us-east-1' : 'us-west-2'],
      ]);
    });
  }

  it('answers a missing workspace header with a 400 that says what to set', async () => {
    const response = await fetch(`${emulator.url}/aws-external-anthropic/v1/messages`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer emulator-aws-workspace-key',
        'content-type': 'application/json',
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify({ model: 'claude-opus-5-5', ...hello }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringContaining('anthropic-workspace-id') },
    });
  });
});

describe('the emulator keeps Foundry and the Anthropic API on the shared paths', () => {
  it('serves an Anthropic API key at /v1/messages and /anthropic/v1/messages as before', async () => {
    const client = new Anthropic({ baseURL: emulator.url, apiKey: 'sk-ant-emulator', maxRetries: 0 });
    await client.messages.create({ model: 'claude-opus-5-5', ...hello });
    const foundry = new Anthropic({
      baseURL: `${emulator.url}/anthropic`,
      apiKey: 'sk-ant-emulator',
      maxRetries: 0,
    });
    await foundry.messages.create({ model: 'claude-opus-5-5', ...hello });
    expect(emulator.state.journal.list().map((entry) => entry.platform)).toEqual(['anthropic', 'foundry']);
  });
});

describe('InvokeModel and API version 2026-10-21', () => {
  it('answers 400 for a legacy model and serves a 4.7+ model', async () => {
    const { signedFetch } = await import('../test-support/signed-fetch.js');
    const legacy = await signedFetch(
      emulator.url,
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      '2026-10-21',
    );
    expect(legacy.status).toBe(400);
    expect(((await legacy.json()) as { message: string }).message).toContain('2026-10-21');
    const current = await signedFetch(emulator.url, 'global.anthropic.claude-opus-5-5', '2026-10-21');
    expect(current.status).toBe(200);
    const old = await signedFetch(
      emulator.url,
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'bedrock-2023-05-31',
    );
    expect(old.status).toBe(200);
  });
});

describe('through the gateway: an Anthropic SDK client, bedrock-messages/global and claude-platform-aws targets', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    const config = parseConfig(
      {
        server: { host: '127.0.0.1', port: 0 },
        discovery: { enabled: false },
        routes: [
          { models: ['claude-opus-5-5'], targets: ['bedrock-messages/global'] },
          { models: ['claude-sonnet-5-5'], targets: ['claude-platform-aws'] },
          { models: ['claude-sonnet-4-5'], targets: ['bedrock-messages/global', 'bedrock/global'] },
        ],
      },
      {},
      'test configuration',
    );
    gateway = await startGateway({
      config,
      platforms: emulatedPlatforms(emulator),
      store: await openStore('sqlite::memory:'),
      env: {},
      logger: pino({ level: 'silent' }),
    });
  });
  afterAll(async () => {
    await gateway.stop(0);
  });

  const client = () => new Anthropic({ baseURL: gateway.url, apiKey: 'unused', maxRetries: 0 });

  it('sends an Opus 5.5 request to the Messages API with the global profile id, betas dropped', async () => {
    const message = await client().beta.messages.create({
      model: 'claude-opus-5-5',
      ...hello,
      betas: ['context-management-2025-06-27'],
    });
    expect(message.content[0]).toMatchObject({ type: 'text' });
    const streamed = await client()
      .messages.stream({ model: 'claude-opus-5-5', ...hello })
      .finalMessage();
    expect(streamed.stop_reason).toBe('end_turn');
    const entries = emulator.state.journal.list({ platform: 'bedrock-messages' });
    expect(entries.map((entry) => [entry.status, entry.model, entry.path])).toEqual([
      [200, 'global.anthropic.claude-opus-5-5', '/bedrock-runtime/anthropic/v1/messages'],
      [200, 'global.anthropic.claude-opus-5-5', '/bedrock-runtime/anthropic/v1/messages'],
    ]);
    expect(entries[0]?.headers['anthropic-beta']).toBeUndefined();
  });

  it('sends a Sonnet 5.5 request to Claude Platform on AWS with the workspace and betas', async () => {
    const message = await client().beta.messages.create({
      model: 'claude-sonnet-5-5',
      ...hello,
      betas: ['context-management-2025-06-27'],
    });
    expect(message.model).toBe('claude-sonnet-5-5');
    const [entry] = emulator.state.journal.list({ platform: 'claude-platform-aws' });
    expect(entry?.status).toBe(200);
    expect(entry?.headers['anthropic-workspace-id']).toBe('wrkspc_emulator');
    expect(entry?.headers['anthropic-beta']).toBe('context-management-2025-06-27');
  });

  it("sends a client's own anthropic-workspace-id to Claude Platform on AWS, and to no other platform", async () => {
    const headers = { 'anthropic-workspace-id': 'wrkspc_client' };
    const refused = await client()
      .messages.create({ model: 'claude-sonnet-5-5', ...hello }, { headers })
      .catch((error: unknown) => error as Error);
    // The emulated account has no such workspace: its refusal proves the client's id arrived.
    expect(String(refused)).toContain('wrkspc_client');
    const [entry] = emulator.state.journal.list({ platform: 'claude-platform-aws' });
    expect(entry?.headers['anthropic-workspace-id']).toBe('wrkspc_client');
    await client().messages.create({ model: 'claude-opus-5-5', ...hello }, { headers });
    const [messages] = emulator.state.journal.list({ platform: 'bedrock-messages' });
    expect(messages?.status).toBe(200);
    expect(messages?.headers['anthropic-workspace-id']).toBeUndefined();
  });

  it('skips bedrock-messages for a legacy model and serves it through InvokeModel', async () => {
    await client().messages.create({ model: 'claude-sonnet-4-5', ...hello });
    expect(emulator.state.journal.list({ platform: 'bedrock-messages' })).toEqual([]);
    expect(emulator.state.journal.list({ platform: 'bedrock' }).map((entry) => entry.status)).toEqual([200]);
  });
});
