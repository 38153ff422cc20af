import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Platform } from '../catalog/types.js';
import { emulatedPlatforms } from '../config/emulated-platforms.js';
import { type RunningEmulator, startEmulator } from '../emulator/server.js';
import type { StreamEvent } from '../wire/anthropic-events.js';
import { Claude } from './claude.js';
import { ClaudeError } from './claude-error.js';

let emulator: RunningEmulator;
const clients = new Map<Platform, Claude>();

function client(platform: Platform): Claude {
  let found = clients.get(platform);
  if (!found) {
    found = new Claude({
      platform,
      platforms: emulatedPlatforms(emulator),
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      logger: { warn: () => {} },
    });
    clients.set(platform, found);
  }
  return found;
}

const PLATFORMS: Platform[] = ['anthropic', 'bedrock', 'vertex'];

const makeFile = {
  name: 'make_file',
  description: 'Write a file',
  eager_input_streaming: true,
  input_schema: {
    type: 'object',
    properties: { path: { type: 'string' }, lines: { type: 'array', items: { type: 'string' } } },
  },
};

function toolRequest(script: Record<string, unknown>) {
  return {
    model: 'claude-haiku-4-5',
    max_tokens: 500,
    tools: [makeFile],
    messages: [{ role: 'user', content: `write it\n@emulator ${JSON.stringify(script)}` }],
  };
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, serveRetired: true });
});
afterAll(async () => {
  await Promise.all([...clients.values()].map((claude) => claude.close()));
  await emulator.close();
});
beforeEach(() => emulator.state.reset());

describe('messages.stream', () => {
  it.each(PLATFORMS)('gives typed events, text deltas and the final message through %s', async (platform) => {
    const stream = client(platform).messages.stream({
      model: 'claude-haiku-4-5',
      max_tokens: 300,
      messages: [{ role: 'user', content: `stream a reply through ${platform}` }],
    });
    const deltas: string[] = [];
    const snapshots: string[] = [];
    let connected = 0;
    stream
      .on('connect', () => connected++)
      .on('text', (delta, snapshot) => {
        deltas.push(delta);
        snapshots.push(snapshot);
      });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(connected).toBe(1);
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    expect(deltas.length).toBeGreaterThan(1);
    const text = await stream.finalText();
    expect(text).toContain(`stream a reply through ${platform}`);
    expect(deltas.join('')).toBe(text);
    expect(snapshots.at(-1)).toBe(text);
    const message = await stream.finalMessage();
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(stream.target?.platform).toBe(platform);
  });

  it('reads to the end for finalMessage() alone, firing the listeners on the way', async () => {
    const stream = client('anthropic').messages.stream({
      model: 'claude-haiku-4-5',
      max_tokens: 300,
      messages: [{ role: 'user', content: 'no loop here' }],
    });
    let text = '';
    const blocks: string[] = [];
    stream.on('text', (delta) => {
      text += delta;
    });
    stream.on('contentBlock', (block) => blocks.push(block.type));
    const message = await stream.finalMessage();
    expect(text).toContain('no loop here');
    expect(blocks).toEqual(['text']);
    expect(message.content).toHaveLength(1);
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/already being read/);
  });

  it('gives the text deltas as textStream', async () => {
    const stream = client('bedrock').messages.stream({
      model: 'claude-haiku-4-5',
      max_tokens: 300,
      messages: [{ role: 'user', content: 'text stream please' }],
    });
    const parts: string[] = [];
    for await (const part of stream.textStream) parts.push(part);
    expect(parts.join('')).toBe(await stream.finalText());
  });

  it.each(PLATFORMS)('streams fine-grained tool input with live snapshots through %s', async (platform) => {
    const input = { path: 'notes.txt', lines: ['first line', 'second "quoted" line', 'third'] };
    const stream = client(platform).messages.stream(
      toolRequest({ tool_use: { name: 'make_file', raw_input: JSON.stringify(input) } }),
    );
    const partials: string[] = [];
    const seen: string[] = [];
    let live: unknown;
    stream.on('inputJson', (partial, snapshot) => {
      partials.push(partial);
      live = snapshot;
      seen.push(JSON.stringify(snapshot));
    });
    const message = await stream.finalMessage();
    expect(partials.join('')).toBe(JSON.stringify(input));
    expect(partials.length).toBeGreaterThan(1);
    // The snapshot grows as fragments arrive: a partial string shows before the input closes.
    expect(seen.some((snapshot) => snapshot?.includes('"lines":["first line"'))).toBe(true);
    expect(live).toEqual(input);
    const tool = message.content.find((block) => block.type === 'tool_use');
    expect(tool?.['input']).toEqual(input);
    expect(stream.invalidToolInputs()).toEqual([]);
    if (platform === 'bedrock') {
      const [arrived] = emulator.state.journal.list({ platform: 'bedrock' });
      expect(arrived?.body).toMatchObject({ anthropic_beta: ['fine-grained-tool-streaming-2025-05-14'] });
    }
  });

  it.each(PLATFORMS)('never throws for invalid final tool input through %s', async (platform) => {
    const raw = '{"path": "a.txt", "lines": ["one", "tw';
    const stream = client(platform).messages.stream(
      toolRequest({ tool_use: { name: 'make_file', raw_input: raw } }),
    );
    const message = await stream.finalMessage();
    const [invalid] = stream.invalidToolInputs();
    expect(invalid?.rawJson).toBe(raw);
    expect(invalid?.name).toBe('make_file');
    expect(invalid?.error).toMatch(/string/);
    expect(message.content.find((block) => block.type === 'tool_use')?.['input']).toEqual({
      path: 'a.txt',
      lines: ['one', 'tw'],
    });
    const wrapped = await stream.finalMessage({ invalidToolInput: 'wrap' });
    expect(wrapped.content.find((block) => block.type === 'tool_use')?.['input']).toEqual({
      INVALID_JSON: raw,
    });
  });

  it('takes a script queued through the emulator control API', async () => {
    const response = await fetch(`${emulator.url}/_emulator/scripts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        platform: 'vertex',
        script: { tool_use: { name: 'make_file', raw_input: '{"path": ' } },
      }),
    });
    expect(response.status).toBe(201);
    const stream = client('vertex').messages.stream(toolRequest({}));
    await stream.done();
    expect(stream.invalidToolInputs().map((invalid) => invalid.rawJson)).toEqual(['{"path": ']);
  });

  it.each(PLATFORMS)(
    'throws a ClaudeError with the platform message for a failure after the first event (%s)',
    async (platform) => {
      emulator.state.faults.add({
        kind: 'stream-error',
        platform,
        afterEvents: 3,
        status: 529,
        message: 'Emulated overload in the middle of the answer.',
      });
      const stream = client(platform).messages.stream({
        model: 'claude-haiku-4-5',
        max_tokens: 300,
        messages: [{ role: 'user', content: 'this answer will be cut' }],
      });
      const events: StreamEvent[] = [];
      let thrown: unknown;
      try {
        for await (const event of stream) events.push(event);
      } catch (error) {
        thrown = error;
      }
      expect(events.length).toBeGreaterThanOrEqual(1);
      expect(events.map((event) => event.type)).not.toContain('message_stop');
      expect(thrown).toBeInstanceOf(ClaudeError);
      expect((thrown as ClaudeError).message).toContain('Emulated overload in the middle of the answer.');
      expect((thrown as ClaudeError).platform).toBe(platform);
      await expect(stream.finalMessage()).rejects.toBe(thrown);
    },
  );

  it('stops on abort(): the upstream is cancelled and readers get CLIENT_CLOSED_REQUEST', async () => {
    const stream = client('anthropic').messages.stream({
      model: 'claude-haiku-4-5',
      max_tokens: 300,
      messages: [
        {
          role: 'user',
          content: `@emulator ${JSON.stringify({ text: 'a b c d e f g h', delay_ms: 20, chunk_chars: 2 })}`,
        },
      ],
    });
    const seen: string[] = [];
    let thrown: unknown;
    try {
      for await (const event of stream) {
        seen.push(event.type);
        if (event.type === 'content_block_delta') stream.abort();
      }
    } catch (error) {
      thrown = error;
    }
    expect(seen.filter((type) => type === 'content_block_delta')).toHaveLength(1);
    expect((thrown as ClaudeError).code).toBe('CLIENT_CLOSED_REQUEST');
    await expect(stream.finalText()).rejects.toThrow(/aborted/);
  });

  it('surfaces a failure before the first event from the iterator as a ClaudeError', async () => {
    emulator.state.faults.add({ kind: 'http', platform: 'vertex', status: 403, count: 0 });
    const stream = client('vertex').messages.stream({
      model: 'claude-haiku-4-5',
      max_tokens: 300,
      messages: [{ role: 'user', content: 'denied' }],
    });
    const errors: ClaudeError[] = [];
    stream.on('error', (error) => errors.push(error));
    await expect(stream.finalMessage()).rejects.toMatchObject({ status: 403, platform: 'vertex' });
    expect(errors).toHaveLength(1);
    expect(stream.attempts).toHaveLength(1);
  });
});
