/**
 * Pings on translated streams: Bedrock's event-stream has none, so an SSE
 * client (Anthropic or Vertex dialect) served by Bedrock gets
 * `event: ping` from the gateway whenever the upstream is silent for
 * `timeouts.pingMs` — only between whole events, and never after the end.
 * (Claude Code aborts a stream after 300 s of silence.)
 */

import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../test-support/gateway.js';
import { SSE_PING } from './stream-pings.js';

const gateway = useTestGateway({
  config: {
    routes: [{ models: ['*'], targets: ['bedrock/global'] }],
    timeouts: { pingMs: 50 },
  },
});

const body = {
  model: 'claude-sonnet-4-5',
  max_tokens: 100,
  stream: true,
  messages: [{ role: 'user', content: 'tell me something while the upstream dawdles' }],
};

const PATHS = {
  anthropic: '/v1/messages',
  vertex:
    '/v1/projects/p/locations/global/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict',
} as const;

function requestFor(
  dialect: keyof typeof PATHS,
  signal?: AbortSignal,
  base = gateway().url,
): Promise<Response> {
  const { model, ...rest } = body;
  const payload = dialect === 'anthropic' ? body : { ...rest, anthropic_version: 'vertex-2023-10-16' };
  return fetch(`${base}${PATHS[dialect]}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(payload),
    ...(signal ? { signal } : {}),
  });
}

/** The SSE blocks of a text (each a whole event, ended by a blank line), and what trails the last one. */
function blocks(text: string): { events: string[]; rest: string } {
  const parts = text.split('\n\n');
  const rest = parts.pop() ?? '';
  return { events: parts.map((part) => `${part}\n\n`), rest };
}

const isPing = (event: string) => event === SSE_PING;
const typeOf = (event: string) => /^event: (\S+)\n/.exec(event)?.[1];

describe('pings on Bedrock streams translated to SSE', () => {
  it.each(['anthropic', 'vertex'] as const)(
    'pings while Bedrock stalls mid-answer (%s client)',
    async (dialect) => {
      gateway().emulator.state.faults.add({ kind: 'stall', platform: 'bedrock', afterEvents: 3 });
      const abort = new AbortController();
      const response = await requestFor(dialect, abort.signal);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-claude-gateway-target')).toMatch(/^bedrock\//);
      const reader = (response.body as ReadableStream<Uint8Array>)
        .pipeThrough(new TextDecoderStream())
        .getReader();
      let text = '';
      // Read until three pings followed the stalled events, then give up as a client would.
      while (blocks(text).events.filter(isPing).length < 3) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      abort.abort();
      await reader.cancel().catch(() => undefined);
      const { events, rest } = blocks(text);
      expect(rest).toBe('');
      // The three events Bedrock sent, whole, then only the gateway's pings while it is silent.
      const answer = events.filter((event) => !isPing(event));
      expect(answer).toHaveLength(3);
      expect(typeOf(answer[0] ?? '')).toBe('message_start');
      expect(events.slice(answer.length).every(isPing)).toBe(true);
      expect(events.filter(isPing).length).toBeGreaterThanOrEqual(3);
    },
  );

  it('pings between the events of a slow answer, and the official SDK reads the whole answer', async () => {
    const slow = () =>
      gateway().emulator.state.faults.add({ kind: 'latency', platform: 'bedrock', delayMs: 150, count: 1 });
    // A short scripted answer in a few deltas, each one 150 ms after the last.
    const scripted = {
      ...body,
      messages: [
        {
          role: 'user' as const,
          content: `@emulator ${JSON.stringify({ text: 'A short answer, slowly.', chunk_chars: 8 })}`,
        },
      ],
    };
    slow();
    const response = await fetch(`${gateway().url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(scripted),
    });
    const { events, rest } = blocks(await response.text());
    expect(rest).toBe('');
    // Every block is a whole event: the gateway's ping, or one of the answer's with its data line.
    for (const event of events) {
      if (!isPing(event)) expect(event).toMatch(/^event: [a-z_]+\ndata: \{.*\}\n\n$/s);
    }
    const pingsAt = events.flatMap((event, index) => (isPing(event) ? [index] : []));
    expect(pingsAt.length).toBeGreaterThan(0);
    // None before the answer starts, none after it ends.
    expect(pingsAt[0]).toBeGreaterThan(0);
    expect(typeOf(events.at(-1) ?? '')).toBe('message_stop');

    slow();
    const client = new Anthropic({ baseURL: gateway().url, apiKey: 'unused', maxRetries: 0 });
    const { stream: _stream, ...params } = scripted;
    const stream = client.messages.stream(params);
    const message = await stream.finalMessage();
    expect(message.stop_reason).toBe('end_turn');
    expect(message.content).toMatchObject([{ type: 'text', text: 'A short answer, slowly.' }]);
  });
});

describe('timeouts.pingMs: 0', () => {
  const quiet = useTestGateway({
    config: { routes: [{ models: ['*'], targets: ['bedrock/global'] }], timeouts: { pingMs: 0 } },
  });

  it('sends no pings of its own', async () => {
    quiet().emulator.state.faults.add({ kind: 'stall', platform: 'bedrock', afterEvents: 3 });
    const abort = new AbortController();
    const response = await requestFor('anthropic', abort.signal, quiet().url);
    const reader = (response.body as ReadableStream<Uint8Array>)
      .pipeThrough(new TextDecoderStream())
      .getReader();
    let text = '';
    while (blocks(text).events.length < 3) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    // Then silence: a whole answer that Bedrock delays, meanwhile, leaves the gateway time to ping.
    quiet().emulator.state.faults.add({ kind: 'latency', platform: 'bedrock', stream: false, delayMs: 200 });
    const other = await fetch(`${quiet().url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, stream: false }),
    });
    expect(other.status).toBe(200);
    abort.abort();
    await reader.cancel().catch(() => undefined);
    expect(blocks(text).events.filter(isPing)).toEqual([]);
  });
});
