import { describe, expect, it } from 'vitest';
import {
  BEDROCK_STREAM_EXCEPTION_TYPES,
  encodeBedrockChunk,
  encodeBedrockError,
  encodeBedrockException,
} from '../../wire/bedrock-chunk.js';
import { encodeEventStreamMessage } from '../../wire/eventstream.js';
import type { UpstreamStreamItem } from '../types.js';
import { BedrockStreamDecoder } from './bedrock-stream-decoder.js';

const metrics = { inputTokenCount: 12, outputTokenCount: 40, invocationLatency: 900, firstByteLatency: 300 };

const events = [
  '{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}',
  '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
  '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hé 👋"}}',
  '{"type":"content_block_stop","index":0}',
  '{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":40}}',
];

function chunkFrame(json: string, options: Parameters<typeof encodeBedrockChunk>[1] = {}): Uint8Array {
  return encodeEventStreamMessage(encodeBedrockChunk(json, { paddingLength: 7, ...options }));
}

function wholeStream(): Uint8Array[] {
  return [
    ...events.map((json) => chunkFrame(json)),
    chunkFrame('{"type":"message_stop"}', { invocationMetrics: metrics }),
  ];
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

function decodeAll(
  chunks: readonly Uint8Array[],
  decoder = new BedrockStreamDecoder(),
): UpstreamStreamItem[] {
  return [...chunks.flatMap((chunk) => decoder.push(chunk)), ...decoder.end()];
}

describe('BedrockStreamDecoder', () => {
  it('turns chunk frames into events with their JSON as sent', () => {
    const items = decodeAll(wholeStream());
    expect(items.map((item) => item.kind)).toEqual(Array(6).fill('event'));
    const jsons = items.flatMap((item) => (item.kind === 'event' ? [item.json] : []));
    expect(jsons.slice(0, 5)).toEqual(events);
    const first = items[0];
    expect(first?.kind === 'event' && first.event.type).toBe('message_start');
  });

  it('takes the invocation metrics out of message_stop and exposes them', () => {
    const decoder = new BedrockStreamDecoder();
    expect(decoder.metrics).toBeUndefined();
    const items = decodeAll(wholeStream(), decoder);
    const last = items.at(-1);
    expect(last).toEqual({ kind: 'event', event: { type: 'message_stop' }, json: '{"type":"message_stop"}' });
    expect(decoder.metrics).toEqual({
      inputTokens: 12,
      outputTokens: 40,
      invocationLatencyMs: 900,
      firstByteLatencyMs: 300,
    });
  });

  it('reads cache counts from the metrics', () => {
    const decoder = new BedrockStreamDecoder();
    decodeAll(
      [
        chunkFrame('{"type":"message_stop"}', {
          invocationMetrics: { ...metrics, cacheReadInputTokenCount: 100, cacheWriteInputTokenCount: 7 },
        }),
      ],
      decoder,
    );
    expect(decoder.metrics).toMatchObject({ cacheReadTokens: 100, cacheWriteTokens: 7 });
  });

  it('decodes a stream fed one byte at a time, and several frames in one chunk', () => {
    const bytes = concat(wholeStream());
    const oneByOne = decodeAll(Array.from(bytes, (byte) => new Uint8Array([byte])));
    const allAtOnce = decodeAll([bytes]);
    expect(oneByOne).toEqual(allAtOnce);
    expect(allAtOnce).toHaveLength(6);
  });

  it('returns a frame split across two chunks only when it is complete', () => {
    const decoder = new BedrockStreamDecoder();
    const frame = chunkFrame(events[2] ?? '');
    expect(decoder.push(frame.subarray(0, 20))).toEqual([]);
    const items = decoder.push(frame.subarray(20));
    expect(items).toHaveLength(1);
    expect(items[0]?.kind === 'event' && items[0].event).toMatchObject({ delta: { text: 'Hé 👋' } });
  });

  it.each(BEDROCK_STREAM_EXCEPTION_TYPES)('keeps the message of a %s frame', (exceptionType) => {
    const items = decodeAll([
      chunkFrame(events[0] ?? ''),
      encodeEventStreamMessage(encodeBedrockException(exceptionType, `AWS says: ${exceptionType}`)),
    ]);
    expect(items).toHaveLength(2);
    const error = items[1]?.kind === 'error' ? items[1].error : undefined;
    expect(error?.message).toBe(`AWS says: ${exceptionType}`);
    expect(error?.platform).toBe('bedrock');
    expect(error?.upstreamCode).toBe(exceptionType.charAt(0).toUpperCase() + exceptionType.slice(1));
  });

  it('maps in-stream exceptions to Anthropic error types', () => {
    const typeOf = (exceptionType: (typeof BEDROCK_STREAM_EXCEPTION_TYPES)[number]) => {
      const [item] = decodeAll([encodeEventStreamMessage(encodeBedrockException(exceptionType, 'x'))]);
      return item?.kind === 'error' ? [item.error.type, item.error.status] : undefined;
    };
    expect(typeOf('throttlingException')).toEqual(['rate_limit_error', 429]);
    expect(typeOf('serviceUnavailableException')).toEqual(['overloaded_error', 503]);
    expect(typeOf('validationException')).toEqual(['invalid_request_error', 400]);
    expect(typeOf('modelTimeoutException')).toEqual(['timeout_error', 408]);
    expect(typeOf('internalServerException')).toEqual(['api_error', 500]);
  });

  it("adds the model's own message of a modelStreamErrorException", () => {
    const frame = encodeBedrockException('modelStreamErrorException', 'The model failed');
    const body = JSON.stringify({
      message: 'The model failed',
      originalStatusCode: 529,
      originalMessage: 'Overloaded',
    });
    const [item] = decodeAll([encodeEventStreamMessage({ ...frame, body: new TextEncoder().encode(body) })]);
    expect(item?.kind === 'error' && item.error.message).toBe(
      'The model failed (the model answered 529: Overloaded)',
    );
  });

  it('reads unmodeled error frames', () => {
    const [item] = decodeAll([
      encodeEventStreamMessage(encodeBedrockError('InternalFailure', 'The stream broke')),
    ]);
    expect(item?.kind === 'error' && [item.error.upstreamCode, item.error.message]).toEqual([
      'InternalFailure',
      'The stream broke',
    ]);
  });

  it('skips keep-alive chunks', () => {
    const items = decodeAll([chunkFrame('{}'), ...wholeStream()]);
    expect(items).toHaveLength(6);
  });

  it('reports a frame cut off at the end as an interrupted stream', () => {
    const stream = wholeStream();
    const last = stream.at(-1) ?? new Uint8Array();
    const items = decodeAll([...stream.slice(0, -1), last.subarray(0, last.byteLength - 5)]);
    expect(items).toHaveLength(6);
    const error = items[5]?.kind === 'error' ? items[5].error : undefined;
    expect(error?.code).toBe('UPSTREAM_STREAM_INTERRUPTED');
    expect(error?.message).toContain('in the middle of a frame');
  });

  it('leaves a stream that ends between frames before message_stop to UpstreamStream (one place judges every platform)', () => {
    const items = decodeAll(wholeStream().slice(0, 3));
    expect(items.every((item) => item.kind === 'event')).toBe(true);
  });

  it('reports corrupted bytes once and ignores what follows', () => {
    const frame = chunkFrame(events[0] ?? '');
    const corrupted = new Uint8Array(frame);
    corrupted[corrupted.byteLength - 10] = (corrupted[corrupted.byteLength - 10] ?? 0) ^ 0xff;
    const decoder = new BedrockStreamDecoder();
    const items = decoder.push(corrupted);
    expect(items).toMatchObject([{ kind: 'error', error: { code: 'UPSTREAM_STREAM_INTERRUPTED' } }]);
    expect(decoder.push(frame)).toEqual([]);
    expect(decoder.end()).toEqual([]);
  });

  it('reports a chunk whose payload is not Bedrock JSON', () => {
    const frame = encodeBedrockChunk('{}', { paddingLength: 0 });
    const [item] = decodeAll([
      encodeEventStreamMessage({ ...frame, body: new TextEncoder().encode('not json') }),
    ]);
    expect(item).toMatchObject({ kind: 'error', error: { code: 'UPSTREAM_STREAM_INTERRUPTED' } });
  });
});

describe('parsing only some events', () => {
  it('reads the type of the others from their JSON, keeps it untouched, and still strips the metrics from message_stop', () => {
    const decoder = new BedrockStreamDecoder({ parse: (type) => type !== 'content_block_delta' });
    const delta = '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"}}';
    const stop =
      '{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":3,"outputTokenCount":4,"invocationLatency":5,"firstByteLatency":2}}';
    const bytes = Buffer.concat([
      encodeEventStreamMessage(encodeBedrockChunk(delta, { paddingLength: 3 })),
      encodeEventStreamMessage(encodeBedrockChunk(stop, { paddingLength: 3 })),
    ]);
    const items = decoder.push(bytes);
    expect(items[0]).toEqual({
      kind: 'event',
      event: { type: 'content_block_delta' },
      json: delta,
      parsed: false,
    });
    expect(items[1]).toEqual({
      kind: 'event',
      event: { type: 'message_stop' },
      json: '{"type":"message_stop"}',
    });
    expect(decoder.metrics).toMatchObject({ inputTokens: 3, outputTokens: 4 });
  });
});
