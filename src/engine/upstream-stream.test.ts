/**
 * UpstreamStream on scripted bodies: what a cut, a reset or an error event
 * becomes, with no server involved.
 */
import { describe, expect, it } from 'vitest';
import { SseStreamDecoder } from '../platforms/sse-stream-decoder.js';
import {
  bodyOf,
  MESSAGE_END,
  MESSAGE_START,
  sse,
  TEXT_START,
  textDelta,
} from './__fixtures__/scripted-transport.js';
import { type StreamChunk, UpstreamStream } from './upstream-stream.js';

function streamOf(chunks: (string | Error)[]) {
  const state = { discarded: false };
  const stream = new UpstreamStream(bodyOf(chunks), new SseStreamDecoder('anthropic'), 'anthropic', () => {
    state.discarded = true;
  });
  return { stream, state };
}

async function read(stream: UpstreamStream): Promise<StreamChunk[]> {
  const chunks: StreamChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const summary = (chunks: StreamChunk[]) =>
  chunks.flatMap((chunk) =>
    chunk.items.map((item) => (item.kind === 'event' ? item.event.type : `error: ${item.error.message}`)),
  );

describe('UpstreamStream', () => {
  it('gives every chunk with its bytes and the events it completes, an event split across chunks included', async () => {
    const whole = sse(MESSAGE_START, TEXT_START, textDelta('Grüße'), ...MESSAGE_END);
    const cut = whole.indexOf('Grüße') + 2;
    const { stream } = streamOf([whole.slice(0, cut), whole.slice(cut)]);
    expect((await stream.prefetch()).ok).toBe(true);
    const chunks = await read(stream);
    expect(chunks.map((chunk) => new TextDecoder().decode(chunk.bytes)).join('')).toBe(whole);
    expect(summary(chunks)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('ends with an error item when the stream stops before message_stop', async () => {
    const { stream } = streamOf([sse(MESSAGE_START, TEXT_START, textDelta('Hi'))]);
    await stream.prefetch();
    const items = summary(await read(stream));
    expect(items.slice(0, 3)).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
    expect(items.at(-1)).toMatch(/^error: .*the stream ended before message_stop/);
  });

  it('turns a reset after the first event into a final error item naming the cause', async () => {
    const { stream } = streamOf([sse(MESSAGE_START), new Error('socket hang up')]);
    await stream.prefetch();
    const items = summary(await read(stream));
    expect(items).toHaveLength(2);
    expect(items[1]).toMatch(/^error: .*socket hang up/);
  });

  it('fails the prefetch on an error event before the first event, and drops the connection', async () => {
    const { stream, state } = streamOf([
      sse({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    ]);
    const first = await stream.prefetch();
    expect(first.ok).toBe(false);
    if (!first.ok) expect(first.error).toMatchObject({ status: 529, message: 'Overloaded' });
    expect(state.discarded).toBe(true);
  });

  it('fails the prefetch on an empty answer', async () => {
    const first = await streamOf([]).stream.prefetch();
    expect(!first.ok && first.error.message).toMatch(/stream ended before/);
  });

  it('keeps an error event that comes after the first event in the stream, for the client', async () => {
    const { stream } = streamOf([
      sse(MESSAGE_START, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    ]);
    expect((await stream.prefetch()).ok).toBe(true);
    expect(summary(await read(stream))).toEqual(['message_start', 'error: Overloaded']);
  });

  it('stops reading and drops the connection when cancelled', async () => {
    const { stream, state } = streamOf([sse(MESSAGE_START), sse(TEXT_START), sse(...MESSAGE_END)]);
    await stream.prefetch();
    const seen: string[] = [];
    for await (const chunk of stream) {
      seen.push(...summary([chunk]));
      stream.cancel();
    }
    expect(seen).toEqual(['message_start']);
    expect(state.discarded).toBe(true);
  });
});
