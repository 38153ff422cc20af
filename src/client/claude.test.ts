import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Platform } from '../catalog/types.js';
import { emulatedPlatforms } from '../config/emulated-platforms.js';
import { ConfigError } from '../config/load.js';
import type { PlatformsConfig } from '../config/schema.js';
import { type RunningEmulator, startEmulator } from '../emulator/server.js';
import type { AttemptReport } from '../engine/engine.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { Claude } from './claude.js';
import { ClaudeError } from './claude-error.js';
import type { ClaudeOptions } from './claude-options.js';

let emulator: RunningEmulator;
let platforms: PlatformsConfig;
const clients: Claude[] = [];
const warnings: string[] = [];

function claude(options: ClaudeOptions): Claude {
  const client = new Claude({
    platforms,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    logger: { warn: (message) => warnings.push(message) },
    now: () => new Date('2026-10-15T00:00:00Z'),
    ...options,
  });
  clients.push(client);
  return client;
}

function body(text: string, extra: Record<string, unknown> = {}) {
  return {
    model: 'claude-haiku-4-5',
    max_tokens: 200,
    messages: [{ role: 'user', content: text }],
    ...extra,
  };
}

function textOf(message: { content: { type: string; [key: string]: unknown }[] }): string {
  return message.content
    .filter((block) => block.type === 'text')
    .map((block) => String(block['text']))
    .join('');
}

async function caught(promise: Promise<unknown>): Promise<ClaudeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ClaudeError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, serveRetired: true });
  platforms = emulatedPlatforms(emulator);
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await emulator.close();
});
beforeEach(() => {
  emulator.state.reset();
  warnings.length = 0;
});

describe('messages.create on every platform', () => {
  it.each<Platform>(['anthropic', 'bedrock', 'vertex', 'foundry'])(
    'answers through %s and keeps unknown fields',
    async (platform) => {
      const client = claude({ platform });
      const message = await client.messages.create(
        body(`hello from ${platform}`, { future_field: { kept: true } }),
      );
      expect(message.role).toBe('assistant');
      expect(textOf(message)).toContain(`hello from ${platform}`);
      const [arrived] = emulator.state.journal.list({ platform });
      expect(arrived?.body).toMatchObject({ future_field: { kept: true } });
    },
  );

  it('resolves an alias, a canonical name and platform ids to each platform', async () => {
    await claude({ platform: 'bedrock' }).messages.create(
      body('alias', { model: 'claude-haiku-4-5-latest' }),
    );
    await claude({ platform: 'bedrock', region: 'us-west-2' }).messages.create(
      body('scoped id', { model: 'us.anthropic.claude-haiku-4-5-20251001-v1:0' }),
    );
    await claude({ platform: 'vertex' }).messages.create(
      body('vertex id', { model: 'claude-haiku-4-5@20251001' }),
    );
    await claude({ platform: 'anthropic' }).messages.create(body('canonical'));
    const paths = emulator.state.journal.list().map((entry) => `${entry.platform} ${entry.path}`);
    expect(paths[0]).toContain('/model/global.anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke');
    expect(paths[1]).toContain('/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke');
    expect(paths[2]).toContain('/models/claude-haiku-4-5@20251001:rawPredict');
    // The Anthropic API's own alias goes to it as asked.
    expect(emulator.state.journal.list({ platform: 'anthropic' })[0]?.body).toMatchObject({
      model: 'claude-haiku-4-5',
    });
  });

  it('takes the Vertex location and project as options', async () => {
    const client = claude({ platform: 'vertex', region: 'europe-west1', projectId: 'emulator-project' });
    await client.messages.create(body('in europe'));
    const [arrived] = emulator.state.journal.list({ platform: 'vertex' });
    expect(arrived?.path).toContain(
      '/v1/projects/emulator-project/locations/europe-west1/publishers/anthropic/models/claude-haiku-4-5@20251001:rawPredict',
    );
  });

  it('uses the regional profile for a model without a global one, in the configured region', async () => {
    const client = claude({ platform: 'bedrock', region: 'us-west-2' });
    expect((await client.plan('claude-opus-4-1')).map((target) => [target.modelId, target.region])).toEqual([
      ['us.anthropic.claude-opus-4-1-20250805-v1:0', 'us-west-2'],
    ]);
    await client.messages.create(body('opus', { model: 'claude-opus-4-1' }));
    const [arrived] = emulator.state.journal.list({ platform: 'bedrock' });
    expect(arrived?.region).toBe('us-west-2');
  });
});

describe('messages.countTokens', () => {
  it.each<Platform>(['anthropic', 'bedrock', 'vertex'])('counts through %s', async (platform) => {
    const client = claude({ platform });
    const short = await client.messages.countTokens({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'count' }],
    });
    const long = await client.messages.countTokens({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'count these words, and a good many more of them, please' }],
    });
    expect(short.input_tokens).toBeGreaterThan(0);
    expect(long.input_tokens).toBeGreaterThan(short.input_tokens);
    const [arrived] = emulator.state.journal.list({ platform });
    expect(arrived?.operation).toMatch(/count/i);
  });
});

describe('failover and errors', () => {
  it('fails over from a throttled first target to the next, reporting each attempt', async () => {
    emulator.state.faults.add({ kind: 'http', platform: 'bedrock', status: 429, count: 0 });
    const client = claude({ targets: ['bedrock/global', 'vertex/global', 'anthropic'] });
    const attempts: AttemptReport[] = [];
    const message = await client.messages.create(body('fail over please'), {
      onAttempt: (report) => attempts.push(report),
    });
    expect(textOf(message)).toContain('fail over please');
    expect(attempts.map((attempt) => [attempt.target.platform, attempt.outcome])).toEqual([
      ['bedrock', 'retried'],
      ['bedrock', 'failed-over'],
      ['vertex', 'success'],
    ]);
    expect(emulator.state.journal.list({ platform: 'vertex' })).toHaveLength(1);
    expect(emulator.state.journal.list({ platform: 'anthropic' })).toHaveLength(0);
  });

  it('fails over a stream before its first event', async () => {
    emulator.state.faults.add({ kind: 'reset-before-headers', platform: 'vertex', count: 0 });
    const client = claude({ targets: ['vertex/global', 'anthropic'] });
    const stream = client.messages.stream(body('stream fail over'));
    expect(await stream.finalText()).toContain('stream fail over');
    expect(stream.target?.platform).toBe('anthropic');
    expect(stream.changes).toContain('failover:vertex/global→anthropic');
  });

  it('throws a ClaudeError with status, type, platform, message, retryable and retry-after for a 429', async () => {
    emulator.state.faults.add({
      kind: 'http',
      platform: 'bedrock',
      status: 429,
      retryAfterSeconds: 90,
      message: 'Too many tokens, please wait before trying again.',
      count: 0,
    });
    const error = await caught(claude({ platform: 'bedrock' }).messages.create(body('throttled')));
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.name).toBe('ClaudeError');
    expect(error.status).toBe(429);
    expect(error.type).toBe('rate_limit_error');
    expect(error.platform).toBe('bedrock');
    expect(error.upstreamCode).toBe('ThrottlingException');
    expect(error.message).toBe('Too many tokens, please wait before trying again.');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterSeconds).toBe(90);
    // A retry-after longer than the engine waits: one attempt, no sleep.
    expect(error.attempts).toHaveLength(1);
  });

  it('throws a ClaudeError that names the targets when none can serve the model', async () => {
    const client = claude({ targets: ['bedrock/eu@eu-west-1'] });
    const error = await caught(client.messages.create(body('opus in eu', { model: 'claude-opus-4-1' })));
    expect(error.code).toBe('NO_ROUTE');
    expect(error.message).toContain('no `eu` inference profile');
  });

  it('throws a ClaudeError for a body without a model, before any attempt', async () => {
    const error = await caught(
      claude({ platform: 'anthropic' }).messages.create({ max_tokens: 5, messages: [] } as never),
    );
    expect(error.code).toBe('MISSING_MODEL');
    expect(emulator.state.journal.list()).toHaveLength(0);
  });
});

describe('PDF documents and the 1M-context beta on Sonnet 4.5', () => {
  const pdf = Buffer.from(
    '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF',
  ).toString('base64');
  const document = {
    type: 'document',
    source: { type: 'base64', media_type: 'application/pdf', data: pdf },
    title: 'tiny.pdf',
    citations: { enabled: true },
  };
  const request = {
    model: 'claude-sonnet-4-5',
    max_tokens: 100,
    betas: ['context-1m-2025-08-07'],
    messages: [{ role: 'user', content: [document, { type: 'text', text: 'Summarize the document.' }] }],
  };

  it('reaches Bedrock untouched, the beta in anthropic_beta', async () => {
    await claude({ platform: 'bedrock' }).messages.create(request);
    const [arrived] = emulator.state.journal.list({ platform: 'bedrock' });
    expect(arrived?.path).toContain('global.anthropic.claude-sonnet-4-5-20250929-v1%3A0');
    expect(arrived?.body).toMatchObject({
      anthropic_version: 'bedrock-2023-05-31',
      anthropic_beta: ['context-1m-2025-08-07'],
      messages: request.messages,
    });
    expect(arrived?.body).not.toHaveProperty('betas');
  });

  it('reaches Vertex untouched, the beta in the anthropic-beta header', async () => {
    await claude({ platform: 'vertex' }).messages.create(request);
    const [arrived] = emulator.state.journal.list({ platform: 'vertex' });
    expect(arrived?.path).toContain('claude-sonnet-4-5@20250929:rawPredict');
    expect(arrived?.headers['anthropic-beta']).toBe('context-1m-2025-08-07');
    expect(arrived?.body).toMatchObject({
      anthropic_version: 'vertex-2023-10-16',
      messages: request.messages,
    });
    expect(arrived?.body).not.toHaveProperty('betas');
  });
});

describe('deprecated models', () => {
  it('warns once per model with the retirement date, through the injected logger', async () => {
    const client = claude({ platform: 'anthropic' });
    await client.messages.create(body('one', { model: 'claude-sonnet-4-5-latest' }));
    await client.messages.create(body('two', { model: 'claude-sonnet-4-5' }));
    await client.messages.create(body('current'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('Claude Sonnet 4.5');
    expect(warnings[0]).toContain('2026-11-30');
  });
});

describe('options', () => {
  it.each<[string, ClaudeOptions, string]>([
    ['platform and targets', { platform: 'bedrock', targets: ['anthropic'] }, 'not both'],
    ['a region for the Anthropic API', { platform: 'anthropic', region: 'us-east-1' }, '`region`'],
    ['a project outside Vertex', { platform: 'bedrock', projectId: 'p' }, '`projectId`'],
    ['an unknown target', { targets: ['azure/east'] }, 'targets[0]: unknown platform "azure"'],
    [
      'an unknown platform setting',
      { platform: 'bedrock', platforms: { bedrock: { regoin: 'x' } as never } },
      'regoin',
    ],
  ])('rejects %s with a ConfigError naming the option', (_label, options, expected) => {
    expect(() => new Claude({ env: {}, ...options })).toThrow(ConfigError);
    expect(() => new Claude({ env: {}, ...options })).toThrow(expected);
  });

  it('asks which platform when none is given or found', () => {
    expect(() => new Claude({ env: {} })).toThrow(/say which platform/);
  });

  it('uses every platform given, in order, one target each', async () => {
    const client = claude({ platforms: { vertex: platforms.vertex, anthropic: platforms.anthropic } });
    expect(client.configuredPlatforms()).toEqual(['vertex', 'anthropic']);
    expect((await client.plan('claude-sonnet-4-5-latest')).map((target) => target.modelId)).toEqual([
      'claude-sonnet-4-5@20250929',
      'claude-sonnet-4-5-20250929',
    ]);
  });
});
