import { readdirSync, readFileSync } from 'node:fs';
import { HeaderMarshaller, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { describe, expect, it } from 'vitest';
import { encodeBedrockChunk, encodeBedrockError } from './bedrock-chunk.js';
import { encodeEventStreamMessage } from './eventstream.js';
import { readEventStreamHeaders } from './eventstream-headers.js';

const sdk = new HeaderMarshaller(toUtf8, fromUtf8);
const vectors = new URL('./__fixtures__/eventstream/encoded/positive/', import.meta.url);

/** Where a frame's header block is: after the 12-byte prelude, as long as the prelude says. */
function headerBlock(frame: Uint8Array): [start: number, length: number] {
  return [12, new DataView(frame.buffer, frame.byteOffset).getUint32(4)];
}

function sdkHeaders(frame: Uint8Array): MessageHeaders {
  const [start, length] = headerBlock(frame);
  return sdk.parse(new DataView(frame.buffer, frame.byteOffset + start, length));
}

const frames: Uint8Array[] = [
  ...readdirSync(vectors).map((name) => new Uint8Array(readFileSync(new URL(name, vectors)))),
  encodeEventStreamMessage(encodeBedrockChunk('{"type":"ping"}', { paddingLength: 3 })),
  encodeEventStreamMessage(encodeBedrockError('InternalFailure', 'x'.repeat(300))),
];

describe('readEventStreamHeaders', () => {
  it("reads every header type as the SDK's reader does, the first time and from memory", () => {
    for (let round = 0; round < 3; round++) {
      for (const frame of frames) {
        expect(readEventStreamHeaders(frame, ...headerBlock(frame))).toEqual(sdkHeaders(frame));
      }
    }
  });

  it('hands out headers of its own each time', () => {
    const frame = encodeEventStreamMessage(encodeBedrockChunk('{"type":"ping"}'));
    const first = readEventStreamHeaders(frame, ...headerBlock(frame));
    (first[':event-type'] as { value: unknown }).value = 'changed';
    delete first[':message-type'];
    expect(readEventStreamHeaders(frame, ...headerBlock(frame))).toEqual(sdkHeaders(frame));
  });

  it('reads a header block inside a larger buffer', () => {
    const frame = encodeEventStreamMessage(encodeBedrockChunk('{"type":"ping"}'));
    const padded = new Uint8Array(frame.byteLength + 10);
    padded.set(frame, 5);
    const view = padded.subarray(5, 5 + frame.byteLength);
    expect(readEventStreamHeaders(view, ...headerBlock(view))).toEqual(sdkHeaders(frame));
  });
});
