/**
 * Retry and failover, with the transport injected: every upstream answer is
 * scripted, so no emulator or socket is involved.
 */
import { describe, expect, it } from 'vitest';
import { resolveModel } from '../catalog/resolve.js';
import { BetaMemory } from '../platforms/betas.js';
import { createAdapters } from '../platforms/registry.js';
import type { MessagesCall, ResolvedTarget } from '../platforms/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import {
  anthropicError,
  MESSAGE_END,
  MESSAGE_START,
  response,
  type ScriptedStep,
  ScriptedTransport,
  sse,
  TEXT_START,
  textDelta,
} from './__fixtures__/scripted-transport.js';
import { Engine } from './engine.js';
import { backoffDelay, DEFAULT_RETRY, sleep } from './retry.js';

const MESSAGE = {
  id: 'msg_01',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5-20250929',
  content: [{ type: 'text', text: 'Hello' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 10, output_tokens: 2 },
};
const ok = () => response(200, [JSON.stringify(MESSAGE)], { 'content-type': 'application/json' });
const overloaded = (headers: Record<string, string> = {}) =>
  anthropicError(529, 'overloaded_error', 'Overloaded', headers);

const resolved = resolveModel('claude-sonnet-4-5');
const anthropic: ResolvedTarget = { platform: 'anthropic', modelId: 'claude-sonnet-4-5-20250929', resolved };
const foundry: ResolvedTarget = { platform: 'foundry', modelId: 'claude-sonnet-4-5', resolved };

function engineWith(steps: ScriptedStep[], retry = {}) {
  const betaMemory = new BetaMemory();
  const transport = new ScriptedTransport(steps);
  const engine = new Engine({
    adapters: createAdapters(
      {
        anthropic: { apiKey: 'sk-ant-test', baseUrl: 'http://anthropic.test' },
        foundry: { apiKey: 'foundry-key', baseUrl: 'http://foundry.test/anthropic' },
      },
      betaMemory,
    ),
    betaMemory,
    transport,
    retry: { baseDelayMs: 1, maxDelayMs: 2, ...retry },
    random: () => 0.5,
  });
  return { engine, transport };
}

const call = (extra: Partial<MessagesCall> = {}): MessagesCall => ({
  body: { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] },
  stream: false,
  betas: [],
  ...extra,
});

describe('backoffDelay', () => {
  it('doubles from the base delay, jittered between half and all of it, up to the cap', () => {
    expect(backoffDelay(1, undefined, DEFAULT_RETRY, () => 1)).toBe(250);
    expect(backoffDelay(1, undefined, DEFAULT_RETRY, () => 0)).toBe(125);
    expect(backoffDelay(3, undefined, DEFAULT_RETRY, () => 1)).toBe(1_000);
    expect(backoffDelay(20, undefined, DEFAULT_RETRY, () => 1)).toBe(DEFAULT_RETRY.maxDelayMs);
  });

  it('waits as long as retry-after asks, and fails over instead when it asks too much', () => {
    expect(backoffDelay(1, 2, DEFAULT_RETRY, () => 1)).toBe(2_000);
    expect(backoffDelay(1, 60, DEFAULT_RETRY)).toBeUndefined();
  });

  it('sleep returns at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await sleep(60_000, controller.signal);
  });
});

describe('the engine with a scripted transport', () => {
  it('retries a transient error on the same target, then answers', async () => {
    const { engine, transport } = engineWith([overloaded(), ok()]);
    const outcome = await engine.messages(call(), [anthropic, foundry]);
    expect(outcome.ok && outcome.kind === 'message' && outcome.message.id).toBe('msg_01');
    expect(outcome.attempts.map((attempt) => attempt.outcome)).toEqual(['retried', 'success']);
    expect(transport.sent.map((sent) => sent.platform)).toEqual(['anthropic', 'anthropic']);
    expect(outcome.changes).toEqual([]);
  });

  it('fails over to the next target after the attempts per target, and says so', async () => {
    const { engine, transport } = engineWith([overloaded(), overloaded(), ok()]);
    const outcome = await engine.messages(call(), [anthropic, foundry]);
    expect(outcome.ok).toBe(true);
    expect(outcome.attempts.map((attempt) => attempt.outcome)).toEqual(['retried', 'failed-over', 'success']);
    expect(transport.sent.map((sent) => sent.platform)).toEqual(['anthropic', 'anthropic', 'foundry']);
    expect(outcome.changes).toEqual(['failover:anthropic→foundry']);
    if (outcome.ok) expect(outcome.target).toBe(foundry);
  });

  it('fails over at once when retry-after asks for a longer wait than allowed', async () => {
    const { engine } = engineWith([overloaded({ 'retry-after': '120' }), ok()]);
    const outcome = await engine.messages(call(), [anthropic, foundry]);
    expect(outcome.attempts.map((attempt) => attempt.outcome)).toEqual(['failed-over', 'success']);
  });

  it('neither retries nor fails over a request the platform refuses as invalid', async () => {
    const { engine, transport } = engineWith([
      anthropicError(400, 'invalid_request_error', 'messages: required'),
    ]);
    const outcome = await engine.messages(call(), [anthropic, foundry]);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error).toMatchObject({ status: 400, message: 'messages: required' });
    expect(transport.sent).toHaveLength(1);
  });

  it('returns the last error when every target failed', async () => {
    const { engine } = engineWith([overloaded(), overloaded(), overloaded(), overloaded()]);
    const outcome = await engine.messages(call(), [anthropic, foundry]);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.status).toBe(529);
    expect(outcome.attempts.map((attempt) => attempt.outcome)).toEqual([
      'retried',
      'failed-over',
      'retried',
      'failed',
    ]);
  });

  it('retries a connection failure', async () => {
    const unreachable = GatewayError.fromCode('UPSTREAM_UNREACHABLE', {
      platform: 'the Anthropic API',
      reason: 'ECONNRESET',
    });
    const { engine } = engineWith([unreachable, ok()]);
    const outcome = await engine.messages(call(), [anthropic]);
    expect(outcome.attempts.map((attempt) => attempt.outcome)).toEqual(['retried', 'success']);
  });

  it('drops a beta the platform names as unknown and sends again without it', async () => {
    const { engine, transport } = engineWith([
      anthropicError(
        400,
        'invalid_request_error',
        'Unexpected value(s) `made-up-2099-01-01` for the `anthropic-beta` header.',
      ),
      ok(),
    ]);
    const outcome = await engine.messages(call({ betas: ['made-up-2099-01-01'] }), [anthropic]);
    expect(outcome.ok).toBe(true);
    expect(transport.sent[0]?.request.headers['anthropic-beta']).toBe('made-up-2099-01-01');
    expect(transport.sent[1]?.request.headers['anthropic-beta']).toBeUndefined();
  });

  it('retries a stream whose first event is an error, and commits once an event arrives', async () => {
    const failing = response(200, [
      sse({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    ]);
    const { engine } = engineWith([
      failing,
      response(200, [sse(MESSAGE_START, TEXT_START, textDelta('Hi')), sse(...MESSAGE_END)]),
    ]);
    const outcome = await engine.messages(call({ stream: true }), [anthropic]);
    expect(failing.discarded).toBe(true);
    if (!outcome.ok || outcome.kind !== 'stream') throw new Error('expected a stream');
    const types: string[] = [];
    for await (const chunk of outcome.stream)
      for (const item of chunk.items) if (item.kind === 'event') types.push(item.event.type);
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(outcome.attempts.map((attempt) => attempt.outcome)).toEqual(['retried', 'success']);
  });

  it('counts tokens through the same loop', async () => {
    const { engine, transport } = engineWith([overloaded(), response(200, ['{"input_tokens":42}'])]);
    const outcome = await engine.countTokens(call(), [anthropic]);
    expect(outcome.ok && outcome.inputTokens).toBe(42);
    expect(transport.sent[1]?.request.url).toMatch(/\/v1\/messages\/count_tokens$/);
  });

  it('stops before sending when the client has gone', async () => {
    const controller = new AbortController();
    controller.abort();
    const { engine, transport } = engineWith([ok()]);
    const outcome = await engine.messages(call(), [anthropic], { signal: controller.signal });
    expect(!outcome.ok && outcome.error.code).toBe('CLIENT_CLOSED_REQUEST');
    expect(transport.sent).toHaveLength(0);
  });

  it('fails the attempt when a whole answer is not JSON, quoting it', async () => {
    const { engine } = engineWith([
      response(200, ['<html>oops</html>']),
      response(200, ['<html>oops</html>']),
    ]);
    const outcome = await engine.messages(call(), [anthropic]);
    expect(!outcome.ok && outcome.error.message).toContain('the answer is not JSON: <html>oops</html>');
  });
});
