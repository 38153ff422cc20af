/**
 * The operations metrics in /metrics: refusals by key limit, retries and
 * failovers by reason, and the gateway's own overhead, through the Anthropic
 * SDK against the emulator.
 */

import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../test-support/gateway.js';

const gateway = useTestGateway({
  config: {
    routes: [{ models: ['claude-sonnet-4-5'], targets: ['bedrock/global', 'vertex/global'] }],
    retry: { attemptsPerTarget: 2 },
  },
  keys: [
    { name: 'one-a-minute', requestsPerMinute: 1 },
    { name: 'haiku-only', allowedModels: ['claude-haiku-4-5'] },
    { name: 'spent', monthlyBudgetUsd: 0.000001 },
    { name: 'plain' },
  ],
});

const client = (index: number) =>
  new Anthropic({ baseURL: gateway().url, apiKey: gateway().keys[index]?.secret ?? '', maxRetries: 0 });
const ask = (index: number, model = 'claude-sonnet-4-5') =>
  client(index)
    .messages.create({ model, max_tokens: 20, messages: [{ role: 'user', content: 'metrics' }] })
    .then(
      () => 200,
      (error: { status?: number }) => error.status ?? 0,
    );

async function metrics(): Promise<string> {
  return (await fetch(`${gateway().url}/metrics`)).text();
}

function value(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('operations metrics', () => {
  it('counts refusals by the key limit that refused them', async () => {
    expect(await ask(0)).toBe(200);
    expect(await ask(0)).toBe(429);
    expect(await ask(1)).toBe(403);
    // The first request of a tiny budget may pass (its estimate is reserved); the next cannot.
    await ask(2);
    expect(await ask(2)).toBe(403);
    const text = await metrics();
    expect(
      value(text, 'claude_gateway_limit_refusals_total{limit="requests_per_minute",key="one-a-minute"}'),
    ).toBe(1);
    expect(value(text, 'claude_gateway_limit_refusals_total{limit="allowed_models",key="haiku-only"}')).toBe(
      1,
    );
    expect(value(text, 'claude_gateway_limit_refusals_total{limit="budget",key="spent"}')).toBeGreaterThan(0);
    // Still in the refusals by error type too.
    expect(value(text, 'claude_gateway_refusals_total{dialect="anthropic",reason="rate_limit_error"}')).toBe(
      1,
    );
  });

  it('counts retries and failovers by reason', async () => {
    const state = gateway().emulator.state;
    state.reset();
    // Bedrock throttles twice: one retry on it, then the failover to Vertex, which is overloaded once.
    state.faults.add({ kind: 'http', platform: 'bedrock', status: 429, count: 2 });
    state.faults.add({ kind: 'http', platform: 'vertex', status: 529, count: 1 });
    expect(await ask(3)).toBe(200);
    const text = await metrics();
    expect(
      value(text, 'claude_gateway_retries_total{kind="retry",platform="bedrock",reason="rate_limited"}'),
    ).toBe(1);
    expect(
      value(text, 'claude_gateway_retries_total{kind="failover",platform="bedrock",reason="rate_limited"}'),
    ).toBe(1);
    expect(
      value(text, 'claude_gateway_retries_total{kind="retry",platform="vertex",reason="overloaded"}'),
    ).toBe(1);
  });

  it("observes the gateway's own overhead to the first and the last byte of served requests", async () => {
    const before = await metrics();
    const counted = (text: string, until: string) =>
      value(text, `claude_gateway_overhead_seconds_count{dialect="anthropic",until="${until}"}`);
    expect(await ask(3)).toBe(200);
    const stream = await client(3)
      .messages.stream({
        model: 'claude-sonnet-4-5',
        max_tokens: 20,
        messages: [{ role: 'user', content: 's' }],
      })
      .finalMessage();
    expect(stream.stop_reason).toBeTruthy();
    // A refused request went nowhere upstream: it has no overhead to tell apart.
    expect(await ask(1)).toBe(403);
    const after = await metrics();
    expect(counted(after, 'last_byte') - counted(before, 'last_byte')).toBe(2);
    expect(counted(after, 'first_byte') - counted(before, 'first_byte')).toBe(2);
    expect(after).toContain(
      '# HELP claude_gateway_overhead_seconds Time a served request spent in the gateway',
    );
  });

  it('shows the store error series from the start', async () => {
    const text = await metrics();
    expect(text).toContain('claude_gateway_store_errors_total{operation="write"} 0');
    expect(text).toContain('claude_gateway_store_errors_total{operation="read"} 0');
  });
});
