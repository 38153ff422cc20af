import { describe, expect, it } from 'vitest';
import { StreamEncoder } from '../gateway/egress/stream-encoder.js';
import { MessageAccumulator } from '../streaming/message-accumulator.js';
import { GatewayError } from '../wire/errors/index.js';
import { SseStreamDecoder } from './sse-stream-decoder.js';
import type { UpstreamStreamItem } from './types.js';

const encoder = new TextEncoder();

/** An Anthropic stream with multi-byte characters, a comment, a ping with spaces in its JSON and CRLF in one event. */
const dataLines = [
  '{"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}}}',
  '{"type": "ping"}',
  '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
  '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Grüße 🌍 — 日本語"}}',
  '{"type":"content_block_stop","index":0}',
  '{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":5}}',
  '{"type":"message_stop"}',
];
const stream =
  ': connected\n\n' +
  dataLines
    .map((data, index) => {
      const type = (JSON.parse(data) as { type: string }).type;
      return index === 2 ? `event: ${type}\r\ndata: ${data}\r\n\r\n` : `event: ${type}\ndata: ${data}\n\n`;
    })
    .join('');
const streamBytes = encoder.encode(stream);

function decodeChunks(chunks: Uint8Array[], decoder = new SseStreamDecoder()): UpstreamStreamItem[] {
  const items: UpstreamStreamItem[] = [];
  for (const chunk of chunks) items.push(...decoder.push(chunk));
  items.push(...decoder.end());
  return items;
}

function jsonOf(items: UpstreamStreamItem[]): string[] {
  return items.map((item) => (item.kind === 'event' ? item.json : `error: ${item.error.message}`));
}

describe('SseStreamDecoder', () => {
  it('decodes every event and keeps its data text byte for byte', () => {
    const items = decodeChunks([streamBytes]);
    expect(jsonOf(items)).toEqual(dataLines);
    expect(items.map((item) => (item.kind === 'event' ? item.event.type : item.kind))).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('gives the same events whichever byte the stream is split at, multi-byte characters included', () => {
    for (let cut = 0; cut <= streamBytes.length; cut++) {
      const items = decodeChunks([streamBytes.subarray(0, cut), streamBytes.subarray(cut)]);
      expect(jsonOf(items), `split at byte ${cut}`).toEqual(dataLines);
    }
  });

  it('decodes a stream fed one byte at a time', () => {
    const chunks = Array.from(streamBytes, (byte) => Uint8Array.of(byte));
    expect(jsonOf(decodeChunks(chunks))).toEqual(dataLines);
  });

  it('returns each event from the push that completes it', () => {
    const decoder = new SseStreamDecoder();
    expect(decoder.push(encoder.encode('event: ping\ndata: {"type":"pi'))).toEqual([]);
    const items = decoder.push(encoder.encode('ng"}\n\nevent: message_stop\n'));
    expect(jsonOf(items)).toEqual(['{"type":"ping"}']);
    expect(jsonOf(decoder.push(encoder.encode('data: {"type":"message_stop"}\n\n')))).toEqual([
      '{"type":"message_stop"}',
    ]);
    expect(decoder.end()).toEqual([]);
    expect(decoder.partialEvent).toBeUndefined();
  });

  it('turns an Anthropic error event into an error item with the message kept', () => {
    const decoder = new SseStreamDecoder('foundry');
    const items = decodeChunks(
      [
        encoder.encode(
          `event: message_start\ndata: ${dataLines[0]}\n\n` +
            'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded, übel"}}\n\n',
        ),
      ],
      decoder,
    );
    expect(items[0]?.kind).toBe('event');
    const item = items[1];
    expect(item?.kind).toBe('error');
    if (item?.kind !== 'error') return;
    expect(item.error).toBeInstanceOf(GatewayError);
    expect(item.error.type).toBe('overloaded_error');
    expect(item.error.status).toBe(529);
    expect(item.error.message).toBe('Overloaded, übel');
    expect(item.error.platform).toBe('foundry');
    expect(item.error.retryable).toBe(true);
  });

  it('reads a google.rpc.Status error event on Vertex, also inside an array', () => {
    const items = decodeChunks(
      [
        encoder.encode(
          'event: error\ndata: {"error":{"code":429,"message":"Quota exceeded for aiplatform","status":"RESOURCE_EXHAUSTED"}}\n\n' +
            'event: error\ndata: [{"error":{"code":503,"message":"The service is unavailable.","status":"UNAVAILABLE"}}]\n\n',
        ),
      ],
      new SseStreamDecoder('vertex'),
    );
    const errors = items.map((item) => (item.kind === 'error' ? item.error : undefined));
    expect(errors[0]?.type).toBe('rate_limit_error');
    expect(errors[0]?.message).toBe('Quota exceeded for aiplatform');
    expect(errors[0]?.platform).toBe('vertex');
    expect(errors[1]?.status).toBe(503);
    expect(errors[1]?.message).toBe('The service is unavailable.');
  });

  it('treats data of type "error" as an error even without the event name', () => {
    const items = decodeChunks([
      encoder.encode('data: {"type":"error","error":{"type":"api_error","message":"Internal"}}\n\n'),
    ]);
    expect(items).toHaveLength(1);
    expect(items[0]?.kind === 'error' && items[0].error.message).toBe('Internal');
  });

  it('keeps the text of an error event whose data is not JSON', () => {
    const items = decodeChunks([encoder.encode('event: error\ndata: upstream connect error\n\n')]);
    expect(items[0]?.kind === 'error' && items[0].error.message).toBe('upstream connect error');
  });

  it('reports data that is not JSON as an error naming the event and quoting the data', () => {
    const items = decodeChunks(
      [encoder.encode('event: content_block_delta\ndata: {"type":"content_block_delta",\n\n')],
      new SseStreamDecoder('vertex'),
    );
    expect(items).toHaveLength(1);
    const item = items[0];
    if (item?.kind !== 'error') throw new Error('expected an error item');
    expect(item.error.message).toMatch(
      /^Vertex AI sent SSE event "content_block_delta" whose data is not JSON/,
    );
    expect(item.error.message).toContain('{"type":"content_block_delta",');
    expect(item.error.status).toBe(502);
  });

  it('reports JSON without a string type as an error', () => {
    const items = decodeChunks([encoder.encode('data: [1,2]\n\n')]);
    expect(items[0]?.kind === 'error' && items[0].error.message).toMatch(
      /an unnamed SSE event that is not an Anthropic stream event/,
    );
  });

  it('ends without an error when the stream stops without message_stop', () => {
    const decoder = new SseStreamDecoder();
    const items = decodeChunks([encoder.encode(`event: message_start\ndata: ${dataLines[0]}\n\n`)], decoder);
    expect(items).toHaveLength(1);
    expect(decoder.partialEvent).toBeUndefined();
  });

  it('does not emit an event cut before its blank line, and records it', () => {
    const decoder = new SseStreamDecoder();
    const items = decodeChunks(
      [
        encoder.encode(
          'event: ping\ndata: {"type":"ping"}\n\nevent: content_block_delta\ndata: {"type":"content_',
        ),
      ],
      decoder,
    );
    expect(jsonOf(items)).toEqual(['{"type":"ping"}']);
    expect(decoder.partialEvent).toEqual({ event: 'content_block_delta', data: '{"type":"content_' });
  });

  it('finishes an event whose blank line is a CR at the very end', () => {
    const decoder = new SseStreamDecoder();
    const items = decodeChunks([encoder.encode('data: {"type":"ping"}\r'), encoder.encode('\r')], decoder);
    expect(jsonOf(items)).toEqual(['{"type":"ping"}']);
    expect(decoder.partialEvent).toBeUndefined();
  });

  it('skips comments and events without data', () => {
    const items = decodeChunks([encoder.encode(': keep-alive\n\nevent: ping\n\ndata:\n\n')]);
    expect(items).toEqual([]);
  });

  it('joins several data lines with a newline, and accepts CR-only line ends', () => {
    const items = decodeChunks([
      encoder.encode('event: ping\ndata: {"type":\ndata: "ping"}\n\n'),
      encoder.encode('event: message_stop\rdata: {"type":"message_stop"}\r\r'),
    ]);
    expect(jsonOf(items)).toEqual(['{"type":\n"ping"}', '{"type":"message_stop"}']);
  });

  it('ignores unknown fields and ids, and strips a leading byte order mark', () => {
    const items = decodeChunks([
      Uint8Array.of(0xef, 0xbb, 0xbf),
      encoder.encode('id: 7\nfoo: bar\nevent: ping\ndata: {"type":"ping"}\n\n'),
    ]);
    expect(jsonOf(items)).toEqual(['{"type":"ping"}']);
  });

  it('reads back what the gateway writes when it re-encodes events as SSE', () => {
    const upstream = decodeChunks([streamBytes]);
    // An Anthropic client served by Bedrock: each event written again from its JSON.
    const gateway = new StreamEncoder('anthropic', 'bedrock', new MessageAccumulator(), Date.now());
    const written = gateway.encode({ items: upstream });
    const bytes = typeof written === 'string' ? encoder.encode(written) : written;
    expect(jsonOf(decodeChunks([bytes]))).toEqual(dataLines);
  });
});

describe('parsing only some events', () => {
  it('hands other events on with their type and JSON text only, and still parses errors', () => {
    const decoder = new SseStreamDecoder('anthropic', { parse: (type) => type === 'message_delta' });
    const text =
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"}}\n\n' +
      'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":3}}\n\n' +
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
    const items = decoder.push(new TextEncoder().encode(text));
    expect(items[0]).toEqual({
      kind: 'event',
      event: { type: 'content_block_delta' },
      json: '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"}}',
      parsed: false,
    });
    expect(items[1]).toMatchObject({
      kind: 'event',
      event: { type: 'message_delta', usage: { output_tokens: 3 } },
    });
    expect(items[1]).not.toHaveProperty('parsed');
    expect(items[2]).toMatchObject({
      kind: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
  });
});
