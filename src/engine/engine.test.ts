import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveModel } from '../catalog/resolve.js';
import { emulatedPlatforms } from '../config/emulated-platforms.js';
import { type RunningEmulator, startEmulator } from '../emulator/server.js';
import type { MessagesCall, ResolvedTarget } from '../platforms/types.js';
import { createEngine } from './create-engine.js';
import type { Engine, MessagesOutcome } from './engine.js';
import { planTargets } from './plan.js';
import { parseTarget } from './targets.js';

let emulator: RunningEmulator;
let engine: Engine;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, serveRetired: true });
  engine = createEngine(emulatedPlatforms(emulator), { retry: { baseDelayMs: 1, maxDelayMs: 5 } });
});
afterAll(async () => {
  await engine.transport.close();
  await emulator.close();
});
beforeEach(() => emulator.state.reset());

function targets(model: string, specs: string[]): ResolvedTarget[] {
  const plan = planTargets({
    resolved: resolveModel(model),
    routes: [
      { models: ['*'], targets: specs.map((spec) => parseTarget(spec, { bedrockRegion: 'us-east-1' })) },
    ],
    defaultTargets: [],
    platforms: engine.platforms(),
  });
  return plan.targets;
}

function call(text: string, extra: Partial<MessagesCall> = {}): MessagesCall {
  return {
    body: {
      model: 'ignored',
      max_tokens: 300,
      messages: [{ role: 'user', content: text }],
      future_field: { kept: true },
    },
    stream: false,
    betas: [],
    ...extra,
  };
}

async function collect(outcome: MessagesOutcome) {
  if (!outcome.ok || outcome.kind !== 'stream') throw new Error('expected a stream');
  const events: string[] = [];
  const errors: string[] = [];
  for await (const chunk of outcome.stream) {
    for (const item of chunk.items) {
      if (item.kind === 'event') events.push(item.event.type);
      else errors.push(`${item.error.type}: ${item.error.message}`);
    }
  }
  return { events, errors };
}

describe('the engine against every emulated platform', () => {
  it.each(['anthropic', 'bedrock/global', 'bedrock/us', 'vertex/global', 'vertex/europe-west1', 'foundry'])(
    'answers through %s and keeps unknown fields',
    async (spec) => {
      const outcome = await engine.messages(call(`through ${spec}`), targets('claude-sonnet-4-5', [spec]));
      expect(outcome.ok).toBe(true);
      if (!outcome.ok || outcome.kind !== 'message') throw new Error('no message');
      expect(JSON.stringify(outcome.message.content)).toContain(`through ${spec}`);
      const [arrived] = emulator.state.journal.list();
      expect(arrived?.body).toMatchObject({ future_field: { kept: true } });
    },
  );

  it.each(['anthropic', 'bedrock/global', 'vertex/global'])(
    'streams through %s to message_stop',
    async (spec) => {
      const outcome = await engine.messages(
        call('stream', { stream: true }),
        targets('claude-haiku-4-5', [spec]),
      );
      const { events, errors } = await collect(outcome);
      expect(errors).toEqual([]);
      expect(events[0]).toBe('message_start');
      expect(events.at(-1)).toBe('message_stop');
    },
  );

  it.each(['anthropic', 'bedrock/global', 'vertex/global'])('counts tokens through %s', async (spec) => {
    const outcome = await engine.countTokens(call('count these words'), targets('claude-sonnet-4-5', [spec]));
    expect(outcome.ok && outcome.inputTokens).toBeGreaterThan(5);
  });
});

describe('retries and failover', () => {
  it('fails over from a throttled Bedrock global to Vertex, reporting both attempts', async () => {
    emulator.state.faults.add({ kind: 'http', platform: 'bedrock', status: 429, count: 0 });
    const outcome = await engine.messages(
      call('fail over'),
      targets('claude-sonnet-4-5', ['bedrock/global', 'vertex/global']),
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.target.platform).toBe('vertex');
    expect(outcome.attempts.map((attempt) => [attempt.target.platform, attempt.outcome])).toEqual([
      ['bedrock', 'retried'],
      ['bedrock', 'failed-over'],
      ['vertex', 'success'],
    ]);
    expect(outcome.attempts[0]?.error?.upstreamCode).toBe('ThrottlingException');
    expect(outcome.changes).toContain('failover:bedrock/global@us-east-1→vertex/global');
  });

  it('retries the same target after a transient error and succeeds there', async () => {
    emulator.state.faults.add({ kind: 'http', platform: 'anthropic', status: 529, count: 1 });
    const outcome = await engine.messages(
      call('retry'),
      targets('claude-sonnet-4-5', ['anthropic', 'vertex/global']),
    );
    expect(outcome.ok && outcome.target.platform).toBe('anthropic');
    expect(outcome.attempts.map((attempt) => attempt.outcome)).toEqual(['retried', 'success']);
  });

  it('fails over when the connection resets before the first byte, and before the first event', async () => {
    emulator.state.faults.add({ kind: 'reset-before-headers', platform: 'bedrock', count: 0 });
    const first = await engine.messages(
      call('reset', { stream: true }),
      targets('claude-sonnet-4-5', ['bedrock/global', 'anthropic']),
    );
    expect(first.ok && first.target.platform).toBe('anthropic');
    emulator.state.faults.clear();
    emulator.state.faults.add({
      kind: 'stream-error',
      platform: 'vertex',
      afterEvents: 0,
      status: 529,
      count: 0,
    });
    const second = await engine.messages(
      call('error first', { stream: true }),
      targets('claude-sonnet-4-5', ['vertex/global', 'anthropic']),
    );
    expect(second.ok && second.target.platform).toBe('anthropic');
  });

  it('does not fail over once an event has been delivered: the stream ends with the error, message kept', async () => {
    emulator.state.faults.add({
      kind: 'stream-error',
      platform: 'bedrock',
      errorType: 'throttlingException',
      message: 'Too many tokens, please wait.',
      afterEvents: 2,
    });
    const outcome = await engine.messages(
      call('mid-stream', { stream: true }),
      targets('claude-sonnet-4-5', ['bedrock/global', 'anthropic']),
    );
    const { events, errors } = await collect(outcome);
    expect(events).toEqual(['message_start', 'content_block_start']);
    expect(errors).toEqual(['rate_limit_error: Too many tokens, please wait.']);
  });

  it('turns a reset mid-stream into a final error item, never a silent end', async () => {
    emulator.state.faults.add({ kind: 'reset-mid-stream', platform: 'anthropic', afterEvents: 3 });
    const { events, errors } = await collect(
      await engine.messages(call('cut', { stream: true }), targets('claude-sonnet-4-5', ['anthropic'])),
    );
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events).not.toContain('message_stop');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('api_error');
  });

  it('does not retry or fail over a bad request', async () => {
    const outcome = await engine.messages(
      { body: { messages: [{ role: 'user', content: 'no max_tokens' }] }, stream: false, betas: [] },
      targets('claude-sonnet-4-5', ['anthropic', 'vertex/global']),
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.status).toBe(400);
    expect(outcome.error.message).toContain('max_tokens');
    expect(outcome.attempts).toHaveLength(1);
  });
});

describe('betas', () => {
  it('learns a beta Vertex rejects, retries once without it, and drops it up front afterwards', async () => {
    const memory = engine.betaMemory;
    const betas = ['brand-new-beta-2030-01-01', 'context-1m-2025-08-07'];
    const first = await engine.messages(
      call('beta', { betas }),
      targets('claude-sonnet-4-5', ['vertex/global']),
    );
    expect(first.ok).toBe(true);
    expect(first.attempts.map((attempt) => attempt.outcome)).toEqual(['retried', 'success']);
    expect(memory.learned('vertex')).toContain('brand-new-beta-2030-01-01');
    if (first.ok) expect(first.changes).toContain('dropped-beta:brand-new-beta-2030-01-01');
    const second = await engine.messages(
      call('beta again', { betas }),
      targets('claude-sonnet-4-5', ['vertex/global']),
    );
    expect(second.attempts).toHaveLength(1);
    const sent = emulator.state.journal.list({ platform: 'vertex' }).at(-1);
    expect(sent?.headers['anthropic-beta']).toBe('context-1m-2025-08-07');
  });

  it('sends eager_input_streaming to Bedrock as the fine-grained beta', async () => {
    const body = {
      max_tokens: 300,
      messages: [{ role: 'user', content: 'tools' }],
      tools: [{ name: 'make_file', input_schema: { type: 'object' }, eager_input_streaming: true }],
    };
    const outcome = await engine.messages(
      { body, stream: false, betas: [] },
      targets('claude-sonnet-4-5', ['bedrock/global']),
    );
    expect(outcome.ok).toBe(true);
    const sent = emulator.state.journal.list({ platform: 'bedrock' }).at(-1)?.body as Record<string, unknown>;
    expect(sent['anthropic_beta']).toEqual(['fine-grained-tool-streaming-2025-05-14']);
    expect(JSON.stringify(sent['tools'])).not.toContain('eager_input_streaming');
  });
});

describe('session stickiness', () => {
  it('remembers the target that served a session', async () => {
    emulator.state.faults.add({ kind: 'http', platform: 'bedrock', status: 503, count: 0 });
    const plan = targets('claude-sonnet-4-5', ['bedrock/global', 'vertex/global']);
    const outcome = await engine.messages(call('sticky'), plan, { session: 'session-1' });
    expect(outcome.ok && outcome.target.platform).toBe('vertex');
    expect(await engine.stickyTarget('session-1')).toBe('vertex/global');
  });
});
