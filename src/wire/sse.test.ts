import { describe, expect, it } from 'vitest';
import type { StreamEvent } from './anthropic-events.js';
import {
  AnthropicEventParseStream,
  encodeSseEvent,
  SseEncodeStream,
  type SseMessage,
  SseParseStream,
} from './sse.js';

async function collect<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}
function streamOf<T>(chunks: T[]): ReadableStream<T> {
  return new ReadableStream<T>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}
const parse = (chunks: Array<Uint8Array | string>): Promise<SseMessage[]> =>
  collect(streamOf(chunks).pipeThrough(new SseParseStream()));
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** An Anthropic API stream as it is sent, with a comment and a ping. */
const anthropicStream = [
  ': connected',
  'event: message_start',
  'data: {"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}}}',
  '',
  'event: ping',
  'data: {"type": "ping"}',
  '',
  'event: content_block_start',
  'data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
  '',
  'event: content_block_delta',
  'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Grüße 🌍 — ok"}}',
  '',
  'event: content_block_stop',
  'data: {"type":"content_block_stop","index":0}',
  '',
  'event: message_delta',
  'data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":5}}',
  '',
  'event: message_stop',
  'data: {"type":"message_stop"}',
  '',
  '',
].join('\n');
const anthropicEvents: StreamEvent[] = anthropicStream
  .split('\n')
  .filter((line) => line.startsWith('data: '))
  .map((line) => JSON.parse(line.slice('data: '.length)) as StreamEvent);

describe('SseParseStream', () => {
  it('parses events with their names and data', async () => {
    expect(await parse(['event: ping\ndata: {"type":"ping"}\n\n'])).toEqual([
      { event: 'ping', data: '{"type":"ping"}' },
    ]);
  });

  it('leaves the event name undefined when none is sent, and keeps ids', async () => {
    expect(await parse(['id: 7\ndata: hello\n\n'])).toEqual([{ event: undefined, data: 'hello', id: '7' }]);
  });

  it('joins several data lines with a newline and accepts CRLF and CR line ends', async () => {
    expect(await parse(['event: a\r\ndata: one\r\ndata: two\r\n\r\n', 'event: b\rdata: three\r\r'])).toEqual([
      { event: 'a', data: 'one\ntwo' },
      { event: 'b', data: 'three' },
    ]);
  });

  it('drops comments, hands them to onComment, and ignores unknown fields', async () => {
    const comments: string[] = [];
    const stream = streamOf([': keep-alive\nfoo: bar\nevent: x\ndata: y\n\n']).pipeThrough(
      new SseParseStream({ onComment: (comment) => comments.push(comment) }),
    );
    expect(await collect(stream)).toEqual([{ event: 'x', data: 'y' }]);
    expect(comments).toEqual(['keep-alive']);
  });

  it('strips a leading byte order mark', async () => {
    expect(await parse([new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('data: x\n\n')])])).toEqual([
      { event: undefined, data: 'x' },
    ]);
  });

  it('discards an event the stream did not finish with a blank line', async () => {
    expect(await parse(['data: complete\n\ndata: {"type":"mess'])).toEqual([
      { event: undefined, data: 'complete' },
    ]);
  });

  it('decodes UTF-8 characters split across byte chunks at every boundary', async () => {
    const all = bytes(anthropicStream);
    const expected = await parse([anthropicStream]);
    expect(expected).toHaveLength(anthropicEvents.length);
    for (let split = 1; split < all.byteLength; split++) {
      const messages = await parse([all.subarray(0, split), all.subarray(split)]);
      expect(messages, `split at byte ${split}`).toEqual(expected);
    }
  });

  it('decodes a stream fed one byte at a time', async () => {
    const all = bytes(anthropicStream);
    const messages = await parse(Array.from(all, (_, index) => all.subarray(index, index + 1)));
    expect(messages.map((message) => message.data)).toContain(
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Grüße 🌍 — ok"}}',
    );
  });

  it('accepts text and bytes in the same stream', async () => {
    expect(await parse(['event: a\n', bytes('data: é\n\n'), 'data: b\n\n'])).toEqual([
      { event: 'a', data: 'é' },
      { event: undefined, data: 'b' },
    ]);
  });

  it('errors when a message exceeds maxBufferSize', async () => {
    const stream = streamOf([`data: ${'x'.repeat(100)}`]).pipeThrough(
      new SseParseStream({ maxBufferSize: 50 }),
    );
    await expect(collect(stream)).rejects.toThrow(/max buffer size of 50/);
  });
});

describe('encodeSseEvent', () => {
  it('writes one event and one data line', () => {
    expect(encodeSseEvent('ping', '{"type":"ping"}')).toBe('event: ping\ndata: {"type":"ping"}\n\n');
  });

  it('splits data on every kind of line break', () => {
    expect(encodeSseEvent('x', 'a\nb\r\nc\rd')).toBe('event: x\ndata: a\ndata: b\ndata: c\ndata: d\n\n');
    expect(encodeSseEvent('x', '')).toBe('event: x\ndata: \n\n');
  });

  it.each(['plain', 'two\nlines', 'trailing\n', '\nleading', 'crlf\r\nhere', ' spaced '])(
    'round-trips %j through the parser',
    async (data) => {
      const expected = data.replace(/\r\n|\r/g, '\n');
      expect(await parse([encodeSseEvent('x', data)])).toEqual([{ event: 'x', data: expected }]);
    },
  );

  it('refuses an event name with a line break', () => {
    expect(() => encodeSseEvent('a\ndata: injected', '{}')).toThrow(/one line/);
  });
});

describe('SseEncodeStream', () => {
  it('writes events as event: <type> and data: <JSON>, or the given JSON as is', async () => {
    const chunks = await collect(
      streamOf([
        { type: 'ping' },
        { event: { type: 'message_stop' }, json: '{ "type": "message_stop" }' },
      ]).pipeThrough(new SseEncodeStream()),
    );
    expect(chunks.map((chunk) => new TextDecoder().decode(chunk))).toEqual([
      'event: ping\ndata: {"type":"ping"}\n\n',
      'event: message_stop\ndata: { "type": "message_stop" }\n\n',
    ]);
  });

  it('round-trips events through the parsers', async () => {
    const events = await collect(
      streamOf(anthropicEvents)
        .pipeThrough(new SseEncodeStream())
        .pipeThrough(new SseParseStream())
        .pipeThrough(new AnthropicEventParseStream()),
    );
    expect(events).toEqual(anthropicEvents);
  });
});

describe('AnthropicEventParseStream', () => {
  const events = (messages: SseMessage[]): Promise<StreamEvent[]> =>
    collect(streamOf(messages).pipeThrough(new AnthropicEventParseStream()));

  it('parses an Anthropic stream, comments and ping included', async () => {
    const parsed = await collect(
      streamOf([bytes(anthropicStream)])
        .pipeThrough(new SseParseStream())
        .pipeThrough(new AnthropicEventParseStream()),
    );
    expect(parsed).toEqual(anthropicEvents);
    expect(parsed.map((event) => event.type)).toContain('ping');
  });

  it('skips messages with empty data', async () => {
    expect(
      await events([
        { event: 'ping', data: '' },
        { event: undefined, data: '  ' },
        { event: 'ping', data: '{"type":"ping"}' },
      ]),
    ).toEqual([{ type: 'ping' }]);
  });

  it('keeps fields it does not know', async () => {
    const data = '{"type":"brand_new_event","payload":{"x":[1,2]}}';
    expect(await events([{ event: 'brand_new_event', data }])).toEqual([JSON.parse(data)]);
  });

  it('errors loudly on invalid JSON, naming the event and quoting the data shortened', async () => {
    const data = `{"type":"content_block_delta","text":"${'y'.repeat(500)}`;
    const failure = events([{ event: 'content_block_delta', data }]);
    await expect(failure).rejects.toThrow(
      /^The data of SSE event "content_block_delta" is not valid JSON \(/,
    );
    const error = await failure.then(
      () => new Error('expected the stream to fail'),
      (caught: unknown) => caught as Error,
    );
    expect(error.message).toContain(`${data.slice(0, 200)}…(${data.length} characters)`);
    expect(error.message).not.toContain(data.slice(0, 201));
  });

  it('errors on JSON that is not an event', async () => {
    await expect(events([{ event: undefined, data: '[1,2,3]' }])).rejects.toThrow(
      'The data of an unnamed SSE event is not an Anthropic stream event (no string "type"): [1,2,3]',
    );
  });
});
