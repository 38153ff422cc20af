import { de_ResponseStream } from '@anthropic-ai/bedrock-sdk/AWS_restJson1';
import { eventStreamToSSEResponse, getMinimalSerdeContext } from '@anthropic-ai/bedrock-sdk/core/streaming';
import {
  ModelStreamErrorException,
  ServiceUnavailableException,
  ThrottlingException,
} from '@aws-sdk/client-bedrock-runtime';
import type { Message } from '@smithy/eventstream-codec';
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from './anthropic-events.js';
import {
  BEDROCK_PADDING_ALPHABET,
  BEDROCK_STREAM_EXCEPTION_TYPES,
  BedrockChunkError,
  type BedrockFrame,
  BedrockStreamDecodeStream,
  BedrockStreamEncodeStream,
  decodeBedrockFrame,
  encodeBedrockChunk,
  encodeBedrockError,
  encodeBedrockException,
  INVOCATION_METRICS_KEY,
  type InvocationMetrics,
} from './bedrock-chunk.js';
import { encodeEventStreamMessage } from './eventstream.js';
import { AnthropicEventParseStream, SseParseStream } from './sse.js';

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

async function collect<T>(stream: ReadableStream<T> | AsyncIterable<T>): Promise<T[]> {
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
function encodeAll(
  inputs: Array<StreamEvent | string>,
  metricsAtStop?: InvocationMetrics,
): Promise<Uint8Array[]> {
  const encoder = new BedrockStreamEncodeStream(
    metricsAtStop === undefined
      ? { paddingLength: 7 }
      : { paddingLength: 7, invocationMetrics: () => metricsAtStop },
  );
  return collect(streamOf(inputs).pipeThrough(encoder));
}

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

describe('BedrockStreamEncodeStream and BedrockStreamDecodeStream', () => {
  it('round-trips events, event JSON and {event, json} pairs, adding metrics once at message_stop', async () => {
    const inputs = [events[0]!, JSON.stringify(events[1]), ...events.slice(2)];
    const chunks = await encodeAll(inputs, metrics);
    expect(chunks).toHaveLength(events.length);
    const frames = await collect(streamOf(chunks).pipeThrough(new BedrockStreamDecodeStream()));
    const decoded = frames.map((frame) => (frame.kind === 'event' ? frame.event : frame));
    expect(decoded).toEqual([
      ...events.slice(0, -1),
      { type: 'message_stop', [INVOCATION_METRICS_KEY]: metrics },
    ]);
    expect(
      frames.filter((frame) => frame.kind === 'event' && frame.invocationMetrics !== undefined),
    ).toHaveLength(1);
  });

  it('writes the JSON of an {event, json} pair as is', async () => {
    const json = '{ "type" : "ping" }';
    const chunks = await collect(
      streamOf([{ event: { type: 'ping' }, json }]).pipeThrough(new BedrockStreamEncodeStream()),
    );
    const frames = await collect(streamOf(chunks).pipeThrough(new BedrockStreamDecodeStream()));
    expect(frames).toEqual([{ kind: 'event', event: { type: 'ping' }, json }]);
  });

  it('does not add metrics to a message_stop that already carries them', async () => {
    const forwarded = `{"type":"message_stop","${INVOCATION_METRICS_KEY}":${JSON.stringify(metrics)}}`;
    const other = { ...metrics, inputTokenCount: 999 };
    const frames = await collect(
      streamOf(await encodeAll([forwarded], other)).pipeThrough(new BedrockStreamDecodeStream()),
    );
    expect(frames).toEqual([
      { kind: 'event', event: JSON.parse(forwarded), json: forwarded, invocationMetrics: metrics },
    ]);
  });

  it('errors on text that is not a JSON object when metrics must be placed', async () => {
    await expect(encodeAll(['{"type":"message_stop"'], metrics)).rejects.toThrow(/not a JSON object/);
  });

  it('passes keep-alives (JSON without a type) through, also when placing metrics', async () => {
    const frames = await collect(
      streamOf(await encodeAll(['{}', '{"type":"message_stop"}'], metrics)).pipeThrough(
        new BedrockStreamDecodeStream(),
      ),
    );
    expect(frames.map((frame) => frame.kind)).toEqual(['keep-alive', 'event']);
  });

  it('decodes frames split at every byte boundary', async () => {
    const all = new Uint8Array(Buffer.concat(await encodeAll(events, metrics)));
    const expected = await collect(streamOf([all]).pipeThrough(new BedrockStreamDecodeStream()));
    expect(expected).toHaveLength(events.length);
    for (let split = 1; split < all.byteLength; split += 1) {
      const frames = await collect(
        streamOf([all.subarray(0, split), all.subarray(split)]).pipeThrough(new BedrockStreamDecodeStream()),
      );
      expect(frames, `split at byte ${split}`).toEqual(expected);
    }
  });

  it('errors when the body ends in the middle of a frame', async () => {
    const all = new Uint8Array(Buffer.concat(await encodeAll(events)));
    await expect(
      collect(streamOf([all.subarray(0, all.byteLength - 1)]).pipeThrough(new BedrockStreamDecodeStream())),
    ).rejects.toThrow('event-stream ended in the middle of a frame: ');
  });

  it('errors on an unreadable chunk', async () => {
    const bad = encodeEventStreamMessage({
      headers: chunkHeaders,
      body: new TextEncoder().encode('nope'),
    } as Message);
    await expect(collect(streamOf([bad]).pipeThrough(new BedrockStreamDecodeStream()))).rejects.toMatchObject(
      {
        code: 'INVALID_CHUNK_PAYLOAD',
      },
    );
  });
});

describe('conformance with the AWS SDK deserializer (as used by @anthropic-ai/bedrock-sdk)', () => {
  async function* frames(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
    yield* parts;
  }

  it('decodes our chunks into the same events', async () => {
    const bytes = await encodeAll(events, metrics);
    const output = await collect(de_ResponseStream(frames(bytes), getMinimalSerdeContext()));
    const decoded = output.map((item): unknown => JSON.parse(text(item.chunk?.bytes ?? new Uint8Array(0))));
    expect(decoded).toEqual([
      ...events.slice(0, -1),
      { type: 'message_stop', [INVOCATION_METRICS_KEY]: metrics },
    ]);
  });

  it('decodes our chunks when the body arrives one byte at a time', async () => {
    const all = new Uint8Array(Buffer.concat(await encodeAll(events.slice(0, 3))));
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
        ...(await encodeAll(events.slice(0, 2))),
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
    const body = streamOf([
      ...(await encodeAll([events[0]!, '{}'])),
      ...(await encodeAll(events.slice(1), metrics)),
    ]);
    const response = eventStreamToSSEResponse(
      new Response(body, { headers: { 'content-type': 'application/vnd.amazon.eventstream' } }),
    );
    const parsed = await collect(
      response.body!.pipeThrough(new SseParseStream()).pipeThrough(new AnthropicEventParseStream()),
    );
    expect(parsed).toEqual([
      ...events.slice(0, -1),
      { type: 'message_stop', [INVOCATION_METRICS_KEY]: metrics },
    ]);
  });

  it('lets our decoder read what the SDK deserializer reads, frame for frame', async () => {
    const bytes = [
      ...(await encodeAll(events, metrics)),
      encodeEventStreamMessage(encodeBedrockException('validationException', 'Bad input')),
    ];
    const ours: BedrockFrame[] = await collect(streamOf(bytes).pipeThrough(new BedrockStreamDecodeStream()));
    expect(ours.map((frame) => frame.kind)).toEqual([...events.map(() => 'event'), 'exception']);
    expect(ours.at(-1)).toEqual({
      kind: 'exception',
      exceptionType: 'validationException',
      message: 'Bad input',
    });
  });
});
