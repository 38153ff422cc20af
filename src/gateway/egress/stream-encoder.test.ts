/**
 * The stream encoder when an upstream stream is cut in the middle of an
 * event: the client must get whole events and then the dialect's error, never
 * half an event glued to the error (which no client can parse).
 */

import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { describe, expect, it } from 'vitest';
import type { StreamChunk } from '../../engine/upstream-stream.js';
import { MessageAccumulator } from '../../streaming/message-accumulator.js';
import { encodeBedrockChunk } from '../../wire/bedrock-chunk.js';
import { GatewayError } from '../../wire/errors/gateway-error.js';
import { encodeEventStreamMessage } from '../../wire/eventstream.js';
import { StreamEncoder } from './stream-encoder.js';

const cut: StreamChunk = {
  items: [
    {
      kind: 'error',
      error: GatewayError.fromCode('UPSTREAM_STREAM_INTERRUPTED', { platform: 'Vertex AI', reason: 'reset' }),
    },
  ],
};

function text(parts: (Uint8Array | string)[]): string {
  return parts.map((part) => (typeof part === 'string' ? part : Buffer.from(part).toString('utf8'))).join('');
}

describe('StreamEncoder passthrough', () => {
  it('holds back a partial SSE event, so the error event that follows parses', () => {
    const encoder = new StreamEncoder('anthropic', 'vertex', new MessageAccumulator(), Date.now());
    const start = 'event: message_start\ndata: {"type":"message_start","message":{"id":"m"}}\n\n';
    const partial = 'event: content_block_delta\ndata: {"type":"content_block_del';
    const out = [encoder.encode({ bytes: Buffer.from(start + partial), items: [] }), encoder.encode(cut)];
    const written = text(out);
    expect(written.startsWith(start)).toBe(true);
    expect(written).not.toContain('content_block_del');
    const events = written.split('\n\n').filter(Boolean);
    expect(events).toHaveLength(2);
    expect(events[1]).toMatch(/^event: error\ndata: /);
    expect(JSON.parse(events[1]?.split('data: ')[1] ?? '')).toMatchObject({ type: 'error' });
  });

  it('sends a held-back event once its end arrives', () => {
    const encoder = new StreamEncoder('vertex', 'anthropic', new MessageAccumulator(), Date.now());
    const first = encoder.encode({ bytes: Buffer.from('event: ping\ndata: {"type":"pi'), items: [] });
    const second = encoder.encode({ bytes: Buffer.from('ng"}\n\nevent: ping\n'), items: [] });
    expect(text([first, second])).toBe('event: ping\ndata: {"type":"ping"}\n\n');
  });

  it('holds back a partial event-stream frame, so the exception frame that follows decodes', () => {
    const encoder = new StreamEncoder('bedrock', 'bedrock', new MessageAccumulator(), Date.now());
    const whole = encodeEventStreamMessage(encodeBedrockChunk('{"type":"message_start","message":{}}', {}));
    const next = encodeEventStreamMessage(encodeBedrockChunk('{"type":"ping"}', {}));
    const bytes = Buffer.concat([Buffer.from(whole), Buffer.from(next).subarray(0, 10)]);
    const out = [encoder.encode({ bytes, items: [] }), encoder.encode(cut)];
    const all = Buffer.concat(
      out.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))),
    );
    const codec = new EventStreamCodec(toUtf8, fromUtf8);
    const first = codec.decode(all.subarray(0, all.readUInt32BE(0)));
    expect(first.headers[':message-type']?.value).toBe('event');
    const rest = all.subarray(all.readUInt32BE(0));
    expect(rest.readUInt32BE(0)).toBe(rest.length);
    const exception = codec.decode(rest);
    expect(exception.headers[':message-type']?.value).toBe('exception');
  });

  it('forwards whole chunks untouched', () => {
    const encoder = new StreamEncoder('anthropic', 'anthropic', new MessageAccumulator(), Date.now());
    const bytes = Buffer.from('event: ping\ndata: {"type":"ping"}\n\n');
    expect(encoder.encode({ bytes, items: [] })).toBe(bytes);
  });
});
