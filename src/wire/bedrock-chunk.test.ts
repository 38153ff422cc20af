import { de_ResponseStream } from '@anthropic-ai/bedrock-sdk/AWS_restJson1';
import { eventStreamToSSEResponse, getMinimalSerdeContext } from '@anthropic-ai/bedrock-sdk/core/streaming';
import {
  ModelStreamErrorException,
  ServiceUnavailableException,
  ThrottlingException,
} from '@aws-sdk/client-bedrock-runtime';
import type { Message } from '@smithy/eventstream-codec';
import { describe, expect, it } from 'vitest';
import { BedrockStreamDecoder } from '../platforms/bedrock/bedrock-stream-decoder.js';
import { SseStreamDecoder } from '../platforms/sse-stream-decoder.js';
import type { UpstreamStreamItem } from '../platforms/types.js';
import type { StreamEvent } from './anthropic-events.js';
import {
  BEDROCK_PADDING_ALPHABET,
  BEDROCK_STREAM_EXCEPTION_TYPES,
  BedrockChunkError,
  decodeBedrockFrame,
  encodeBedrockChunk,
  encodeBedrockError,
  encodeBedrockException,
  INVOCATION_METRICS_KEY,
  type InvocationMetrics,
} from './bedrock-chunk.js';
import { encodeEventStreamMessage } from './eventstream.js';

const events: StreamEvent[] = [
  {
    type: 'message_start',
    message: {
      id: 'msg_bdrk_01',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 12, output_tokens: 1 },
    },
  },
  { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Héllo, wörld 🌍 ' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'line\nbreak "quoted"' } },
  { type: 'content_block_stop', index: 0 },
  {
    type: 'message_delta',
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: 9 },
  },
  { type: 'message_stop' },
];
const metrics: InvocationMetrics = {
  inputTokenCount: 12,
  outputTokenCount: 9,
  invocationLatency: 812,
  firstByteLatency: 301,
};
const chunkHeaders = {
  ':event-type': { type: 'string', value: 'chunk' },
  ':content-type': { type: 'string', value: 'application/json' },
  ':message-type': { type: 'string', value: 'event' },
};

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
function payloadOf(message: Message): { bytes: string; p: string } {
  return JSON.parse(text(message.body)) as { bytes: string; p: string };
}
const fromBase64 = (value: string): string => Buffer.from(value, 'base64').toString('utf8');

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

/**
 * Event-stream bytes for events (objects or their JSON), one frame each, as
 * the gateway's Bedrock encoder and the emulator write them
 * (`encodeEventStreamMessage(encodeBedrockChunk(json, …))`), the metrics on
 * message_stop when given.
 */
function encodeAll(inputs: Array<StreamEvent | string>, metricsAtStop?: InvocationMetrics): Uint8Array[] {
  return inputs.map((input) => {
    const json = typeof input === 'string' ? input : JSON.stringify(input);
    const stop = typeof input !== 'string' && input.type === 'message_stop';
    return encodeEventStreamMessage(
      encodeBedrockChunk(json, { paddingLength: 7, invocationMetrics: stop ? metricsAtStop : undefined }),
    );
  });
}

/** Decodes bytes with the decoder the request path uses for every Bedrock answer. */
function decodeAll(chunks: Uint8Array[]): { items: UpstreamStreamItem[]; decoder: BedrockStreamDecoder } {
  const decoder = new BedrockStreamDecoder();
  const items = chunks.flatMap((chunk) => decoder.push(chunk));
  items.push(...decoder.end());
  return { items, decoder };
}

const eventsOf = (items: UpstreamStreamItem[]) =>
  items.map((item) => (item.kind === 'event' ? item.event : `error: ${item.error.message}`));

describe('encodeBedrockChunk', () => {
  it('writes the chunk headers and {"bytes": base64 of the event JSON, "p": padding}', () => {
    const json = JSON.stringify(events[2]);
    const frame = encodeBedrockChunk(json, { paddingLength: 5 });
    expect(frame.headers).toEqual(chunkHeaders);
    expect(Object.keys(frame.headers)).toEqual([':event-type', ':content-type', ':message-type']);
    expect(text(frame.body)).toBe(`{"bytes":"${Buffer.from(json).toString('base64')}","p":"abcde"}`);
    expect(fromBase64(payloadOf(frame).bytes)).toBe(json);
  });

  it('pads with a non-empty prefix of the alphabet when no length is given', () => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const { p } = payloadOf(encodeBedrockChunk('{"type":"ping"}'));
      expect(p.length).toBeGreaterThan(0);
      expect(BEDROCK_PADDING_ALPHABET.startsWith(p)).toBe(true);
    }
  });

  it('accepts padding lengths from 0 to 62 and rejects others', () => {
    expect(payloadOf(encodeBedrockChunk('{}', { paddingLength: 0 })).p).toBe('');
    expect(payloadOf(encodeBedrockChunk('{}', { paddingLength: 62 })).p).toBe(BEDROCK_PADDING_ALPHABET);
    expect(() => encodeBedrockChunk('{}', { paddingLength: 63 })).toThrow(RangeError);
    expect(() => encodeBedrockChunk('{}', { paddingLength: 1.5 })).toThrow(/integer from 0 to 62/);
  });

  it('puts invocation metrics inside the base64 event JSON', () => {
    const frame = encodeBedrockChunk('{"type":"message_stop"}', {
      paddingLength: 0,
      invocationMetrics: metrics,
    });
    const inner: unknown = JSON.parse(fromBase64(payloadOf(frame).bytes));
    expect(inner).toEqual({ type: 'message_stop', [INVOCATION_METRICS_KEY]: metrics });
    expect(Object.keys(payloadOf(frame))).toEqual(['bytes', 'p']);
  });

  it('adds metrics to an empty object and to JSON with trailing whitespace', () => {
    const decode = (json: string): unknown =>
      JSON.parse(fromBase64(payloadOf(encodeBedrockChunk(json, { invocationMetrics: metrics })).bytes));
    expect(decode('{}')).toEqual({ [INVOCATION_METRICS_KEY]: metrics });
    expect(decode('{ "type": "message_stop" }\n')).toEqual({
      type: 'message_stop',
      [INVOCATION_METRICS_KEY]: metrics,
    });
    expect(() => encodeBedrockChunk('[1]', { invocationMetrics: metrics })).toThrow(/not a JSON object/);
  });
});

describe('decodeBedrockFrame', () => {
  it('decodes a chunk into the event and its exact JSON', () => {
    const json =
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"},"new_field":1}';
    const frame = decodeBedrockFrame(encodeBedrockChunk(json));
    expect(frame).toEqual({ kind: 'event', event: JSON.parse(json), json });
  });

  it('lifts invocation metrics and keeps them in the event', () => {
    const frame = decodeBedrockFrame(
      encodeBedrockChunk('{"type":"message_stop"}', { invocationMetrics: metrics }),
    );
    expect(frame).toMatchObject({
      kind: 'event',
      event: { type: 'message_stop', [INVOCATION_METRICS_KEY]: metrics },
      invocationMetrics: metrics,
    });
  });

  it('keeps cache token counts of the metrics and ignores incomplete metrics', () => {
    const withCache = { ...metrics, cacheReadInputTokenCount: 100, cacheWriteInputTokenCount: 5 };
    const full = decodeBedrockFrame(
      encodeBedrockChunk('{"type":"message_stop"}', { invocationMetrics: withCache }),
    );
    expect(full).toMatchObject({ invocationMetrics: withCache });
    const partial = decodeBedrockFrame(
      encodeBedrockChunk(`{"type":"message_stop","${INVOCATION_METRICS_KEY}":{"inputTokenCount":1}}`),
    );
    expect(partial.kind).toBe('event');
    expect(partial).not.toHaveProperty('invocationMetrics');
  });

  it('reports chunks without a type as keep-alives', () => {
    expect(decodeBedrockFrame(encodeBedrockChunk('{}'))).toEqual({ kind: 'keep-alive', json: '{}' });
  });

  it.each(BEDROCK_STREAM_EXCEPTION_TYPES)('decodes a %s frame with its message', (exceptionType) => {
    const frame = encodeBedrockException(exceptionType, 'Something went wrong: "quoted"');
    expect(frame.headers).toEqual({
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    });
    expect(decodeBedrockFrame(frame)).toEqual({
      kind: 'exception',
      exceptionType,
      message: 'Something went wrong: "quoted"',
    });
  });

  it('keeps the original status and message of a modelStreamErrorException', () => {
    const frame: Message = {
      ...encodeBedrockException('modelStreamErrorException', 'x'),
      body: new TextEncoder().encode(
        '{"message":"boom","originalStatusCode":529,"originalMessage":"Overloaded"}',
      ),
    };
    expect(decodeBedrockFrame(frame)).toEqual({
      kind: 'exception',
      exceptionType: 'modelStreamErrorException',
      message: 'boom',
      originalStatusCode: 529,
      originalMessage: 'Overloaded',
    });
  });

  it('uses the payload text as the message when an exception payload is not JSON', () => {
    const frame: Message = {
      ...encodeBedrockException('internalServerException', 'x'),
      body: new TextEncoder().encode('oops'),
    };
    expect(decodeBedrockFrame(frame)).toMatchObject({ kind: 'exception', message: 'oops' });
  });

  it('decodes error frames from their headers', () => {
    expect(decodeBedrockFrame(encodeBedrockError('InternalFailure', 'It broke'))).toEqual({
      kind: 'error',
      code: 'InternalFailure',
      message: 'It broke',
    });
  });

  it('reports frames of other types as unknown', () => {
    const frame: Message = {
      headers: {
        ':message-type': { type: 'string', value: 'event' },
        ':event-type': { type: 'string', value: 'somethingNew' },
      },
      body: new Uint8Array(0),
    };
    expect(decodeBedrockFrame(frame)).toEqual({
      kind: 'unknown',
      messageType: 'event',
      eventType: 'somethingNew',
    });
  });

  it('throws a clear error for a chunk payload without bytes', () => {
    const frame: Message = {
      headers: chunkHeaders,
      body: new TextEncoder().encode('{"p":"abc"}'),
    } as Message;
    expect(() => decodeBedrockFrame(frame)).toThrow(BedrockChunkError);
    expect(() => decodeBedrockFrame(frame)).toThrow(
      'Bedrock chunk payload is not {"bytes":"<base64>"}: {"p":"abc"}',
    );
  });

  it('throws a clear, shortened error for chunk bytes that are not JSON', () => {
    const garbage = `not json ${'x'.repeat(1000)}`;
    const frame: Message = {
      headers: chunkHeaders,
      body: new TextEncoder().encode(`{"bytes":"${Buffer.from(garbage).toString('base64')}"}`),
    } as Message;
    let caught: unknown;
    try {
      decodeBedrockFrame(frame);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BedrockChunkError);
    expect(caught).toMatchObject({ code: 'INVALID_CHUNK_EVENT' });
    const message = (caught as Error).message;
    expect(message).toMatch(/^Bedrock chunk bytes are not JSON \(.+\): not json x+…\(1009 characters\)$/);
    expect(message.length).toBeLessThan(350);
  });

  it('throws for chunk bytes that are JSON but not an object', () => {
    expect(() => decodeBedrockFrame(encodeBedrockChunk('[1,2]'))).toThrow(/not a JSON object: \[1,2\]/);
  });
});

describe("Bedrock chunks through the request path's decoder", () => {
  it('round-trips events, and takes the metrics of message_stop out of the event into the decoder', () => {
    const { items, decoder } = decodeAll(encodeAll(events, metrics));
    expect(eventsOf(items)).toEqual(events);
    expect(decoder.metrics).toEqual({
      inputTokens: 12,
      outputTokens: 9,
      invocationLatencyMs: 812,
      firstByteLatencyMs: 301,
    });
  });

  it('keeps the JSON of an event exactly as it was written', () => {
    const json = '{ "type" : "ping" }';
    expect(decodeAll(encodeAll([json])).items[0]).toEqual({ kind: 'event', event: { type: 'ping' }, json });
  });

  it('skips keep-alives (JSON without a type)', () => {
    const { items } = decodeAll(encodeAll(['{}', ...events], metrics));
    expect(eventsOf(items)).toEqual(events);
  });

  it('decodes frames split at every byte boundary', () => {
    const all = new Uint8Array(Buffer.concat(encodeAll(events, metrics)));
    const expected = decodeAll([all]).items;
    expect(expected).toHaveLength(events.length);
    for (let split = 1; split < all.byteLength; split += 1) {
      const { items } = decodeAll([all.subarray(0, split), all.subarray(split)]);
      expect(items, `split at byte ${split}`).toEqual(expected);
    }
  });

  it('ends with an error when the body ends in the middle of a frame', () => {
    const all = new Uint8Array(Buffer.concat(encodeAll(events)));
    const { items } = decodeAll([all.subarray(0, all.byteLength - 1)]);
    expect(eventsOf(items).at(-1)).toMatch(/event-stream ended in the middle of a frame: /);
  });

  it('turns an unreadable chunk into an error and ignores the rest', () => {
    const bad = encodeEventStreamMessage({
      headers: chunkHeaders,
      body: new TextEncoder().encode('nope'),
    } as Message);
    const { items } = decodeAll([bad, ...encodeAll(events)]);
    expect(items).toHaveLength(1);
    expect(eventsOf(items)[0]).toMatch(/^error: .*not valid JSON|^error: .*nope/);
  });
});

describe('conformance with the AWS SDK deserializer (as used by @anthropic-ai/bedrock-sdk)', () => {
  async function* frames(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
    yield* parts;
  }

  it('decodes our chunks into the same events', async () => {
    const bytes = encodeAll(events, metrics);
    const output = await collect(de_ResponseStream(frames(bytes), getMinimalSerdeContext()));
    const decoded = output.map((item): unknown => JSON.parse(text(item.chunk?.bytes ?? new Uint8Array(0))));
    expect(decoded).toEqual([
      ...events.slice(0, -1),
      { type: 'message_stop', [INVOCATION_METRICS_KEY]: metrics },
    ]);
  });

  it('decodes our chunks when the body arrives one byte at a time', async () => {
    const all = new Uint8Array(Buffer.concat(encodeAll(events.slice(0, 3))));
    const bytes = Array.from(all, (_, index) => all.subarray(index, index + 1));
    const output = await collect(de_ResponseStream(frames(bytes), getMinimalSerdeContext()));
    expect(output.map((item): unknown => JSON.parse(text(item.chunk?.bytes ?? new Uint8Array(0))))).toEqual(
      events.slice(0, 3),
    );
  });

  it.each([
    ['throttlingException', ThrottlingException],
    ['serviceUnavailableException', ServiceUnavailableException],
    ['modelStreamErrorException', ModelStreamErrorException],
  ] as const)(
    'surfaces a %s frame as the SDK exception with our message',
    async (exceptionType, ErrorClass) => {
      const bytes = [
        ...encodeAll(events.slice(0, 2)),
        encodeEventStreamMessage(encodeBedrockException(exceptionType, 'Too many tokens, please wait.')),
      ];
      const received: unknown[] = [];
      let caught: unknown;
      try {
        for await (const item of de_ResponseStream(frames(bytes), getMinimalSerdeContext()))
          received.push(item);
      } catch (error) {
        caught = error;
      }
      expect(received).toHaveLength(2);
      expect(caught).toBeInstanceOf(ErrorClass);
      expect(caught).toMatchObject({ message: 'Too many tokens, please wait.' });
    },
  );

  it('surfaces an error frame as an Error named after its code', async () => {
    const bytes = [encodeEventStreamMessage(encodeBedrockError('InternalFailure', 'It broke'))];
    await expect(collect(de_ResponseStream(frames(bytes), getMinimalSerdeContext()))).rejects.toMatchObject({
      name: 'InternalFailure',
      message: 'It broke',
    });
  });

  it('turns our stream into the SSE the Anthropic SDK reads, keep-alives dropped', async () => {
    const chunks = [...encodeAll([events[0]!, '{}']), ...encodeAll(events.slice(1), metrics)];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = eventStreamToSSEResponse(
      new Response(body, { headers: { 'content-type': 'application/vnd.amazon.eventstream' } }),
    );
    // Read with the SSE decoder the request path uses for SSE upstreams.
    const decoder = new SseStreamDecoder('anthropic');
    const items: UpstreamStreamItem[] = [];
    for await (const chunk of response.body as ReadableStream<Uint8Array>) items.push(...decoder.push(chunk));
    items.push(...decoder.end());
    expect(eventsOf(items)).toEqual([
      ...events.slice(0, -1),
      { type: 'message_stop', [INVOCATION_METRICS_KEY]: metrics },
    ]);
  });

  it('lets our decoder read what the SDK deserializer reads, frame for frame', () => {
    const bytes = [
      ...encodeAll(events, metrics),
      encodeEventStreamMessage(encodeBedrockException('validationException', 'Bad input')),
    ];
    const { items } = decodeAll(bytes);
    expect(items.map((item) => item.kind)).toEqual([...events.map(() => 'event'), 'error']);
    expect(items.at(-1)).toMatchObject({ kind: 'error', error: { status: 400, message: 'Bad input' } });
  });
});
