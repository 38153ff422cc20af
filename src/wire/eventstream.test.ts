import { readdirSync, readFileSync } from 'node:fs';
import { Int64, type Message, type MessageHeaders, type MessageHeaderValue } from '@smithy/eventstream-codec';
import { describe, expect, it } from 'vitest';
import {
  decodeEventStreamMessage,
  EventStreamDecoder,
  EventStreamError,
  encodeEventStreamMessage,
} from './eventstream.js';

const vectors = new URL('./__fixtures__/eventstream/', import.meta.url);

/** A header as the AWS test vectors describe it. */
interface VectorHeader {
  name: string;
  type: number;
  value: boolean | number | string;
}
interface DecodedVector {
  total_length: number;
  headers_length: number;
  prelude_crc: number;
  headers: VectorHeader[];
  payload: string;
  message_crc: number;
}

function vectorNames(kind: 'positive' | 'negative'): string[] {
  return readdirSync(new URL(`encoded/${kind}/`, vectors)).sort();
}
function encodedVector(kind: 'positive' | 'negative', name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`encoded/${kind}/${name}`, vectors)));
}
function decodedVector(name: string): DecodedVector {
  return JSON.parse(readFileSync(new URL(`decoded/positive/${name}`, vectors), 'utf8')) as DecodedVector;
}
function expectedError(name: string): string {
  return readFileSync(new URL(`decoded/negative/${name}`, vectors), 'utf8').trim();
}

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));
const uuidBytes = (uuid: string): Uint8Array => new Uint8Array(Buffer.from(uuid.replaceAll('-', ''), 'hex'));
function uuidText(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}

/** Writes a decoded header in the vectors' notation, to compare with the vector. */
function toVectorHeader(name: string, header: MessageHeaderValue): VectorHeader {
  switch (header.type) {
    case 'boolean':
      return { name, type: header.value ? 0 : 1, value: header.value };
    case 'byte':
      return { name, type: 2, value: header.value };
    case 'short':
      return { name, type: 3, value: header.value };
    case 'integer':
      return { name, type: 4, value: header.value };
    case 'long':
      return { name, type: 5, value: header.value.valueOf() };
    case 'binary':
      return { name, type: 6, value: base64(header.value) };
    case 'string':
      return { name, type: 7, value: base64(new TextEncoder().encode(header.value)) };
    case 'timestamp':
      return { name, type: 8, value: header.value.getTime() };
    case 'uuid':
      return { name, type: 9, value: base64(uuidBytes(header.value)) };
  }
}

/** Builds the message a vector describes, independently of the decoder. */
function messageFromVector(vector: DecodedVector): Message {
  const headers: MessageHeaders = {};
  for (const { name, type, value } of vector.headers) {
    headers[name] = headerFromVector(type, value);
  }
  return { headers, body: fromBase64(vector.payload) };
}
function headerFromVector(type: number, value: boolean | number | string): MessageHeaderValue {
  switch (type) {
    case 0:
    case 1:
      return { type: 'boolean', value: value === true };
    case 2:
      return { type: 'byte', value: Number(value) };
    case 3:
      return { type: 'short', value: Number(value) };
    case 4:
      return { type: 'integer', value: Number(value) };
    case 5:
      return { type: 'long', value: Int64.fromNumber(Number(value)) };
    case 6:
      return { type: 'binary', value: fromBase64(String(value)) };
    case 7:
      return { type: 'string', value: Buffer.from(String(value), 'base64').toString('utf8') };
    case 8:
      return { type: 'timestamp', value: new Date(Number(value)) };
    case 9:
      return { type: 'uuid', value: uuidText(fromBase64(String(value))) };
    default:
      throw new Error(`unknown header type ${type} in a test vector`);
  }
}

function comparable(message: Message): { headers: VectorHeader[]; payload: string } {
  return {
    headers: Object.entries(message.headers).map(([name, header]) => toVectorHeader(name, header)),
    payload: base64(message.body),
  };
}

/**
 * Decodes network chunks with the decoder the request path uses (Bedrock's
 * stream decoder runs every answer through it), then ends the input, as the
 * stream does.
 */
async function decodeFrames(chunks: Uint8Array[]): Promise<Message[]> {
  const decoder = new EventStreamDecoder();
  const messages: Message[] = [];
  for (const chunk of chunks) decoder.push(chunk, (message) => messages.push(message));
  decoder.end();
  return messages;
}
function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

const positiveNames = vectorNames('positive');
const negativeNames = vectorNames('negative');

describe('AWS event-stream test vectors', () => {
  it('has vectors to run', () => {
    expect(positiveNames).toEqual(
      expect.arrayContaining(['all_headers', 'empty_message', 'payload_no_headers'] as const),
    );
    expect(negativeNames.length).toBe(4);
  });

  describe.each(positiveNames)('positive: %s', (name) => {
    const bytes = encodedVector('positive', name);
    const vector = decodedVector(name);

    it('has the prelude and checksums the vector states', () => {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      expect(bytes.byteLength).toBe(vector.total_length);
      expect(view.getUint32(0)).toBe(vector.total_length);
      expect(view.getUint32(4)).toBe(vector.headers_length);
      expect(view.getUint32(8)).toBe(vector.prelude_crc >>> 0);
      expect(view.getUint32(bytes.byteLength - 4)).toBe(vector.message_crc >>> 0);
    });

    it('decodes to the expected headers and payload', () => {
      const message = decodeEventStreamMessage(bytes);
      expect(comparable(message)).toEqual({ headers: vector.headers, payload: vector.payload });
    });

    it('re-encodes to exactly the same bytes', () => {
      expect(encodeEventStreamMessage(decodeEventStreamMessage(bytes))).toEqual(bytes);
    });

    it('encodes the message the vector describes to exactly the vector bytes', () => {
      expect(encodeEventStreamMessage(messageFromVector(vector))).toEqual(bytes);
    });

    it('decodes through the incremental decoder', async () => {
      const messages = await decodeFrames([bytes]);
      expect(messages.map(comparable)).toEqual([{ headers: vector.headers, payload: vector.payload }]);
    });
  });

  describe.each(negativeNames)('negative: %s', (name) => {
    const bytes = encodedVector('negative', name);
    const expectedText = expectedError(name);
    const expectedCode = /prelude/i.test(expectedText)
      ? 'PRELUDE_CHECKSUM_MISMATCH'
      : 'MESSAGE_CHECKSUM_MISMATCH';

    it(`is rejected with "${expectedText}"`, () => {
      const error = catchError(() => decodeEventStreamMessage(bytes));
      expect(error).toBeInstanceOf(EventStreamError);
      expect(error).toMatchObject({ code: expectedCode });
      expect((error as Error).message.toLowerCase()).toContain(expectedText.toLowerCase());
    });

    it('is rejected by the incremental decoder as soon as the bad checksum is readable', () => {
      const decoder = new EventStreamDecoder();
      const received: Message[] = [];
      // No end(): a corrupted length must not make the decoder wait for more bytes.
      const error = catchError(() => decoder.push(bytes, (message) => received.push(message)));
      expect(error).toMatchObject({ code: expectedCode });
      expect(received).toEqual([]);
    });

    it('is rejected by the incremental decoder fed the whole input', async () => {
      await expect(decodeFrames([bytes])).rejects.toMatchObject({
        code: expectedCode,
      });
    });
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, none was thrown');
}

describe('EventStreamDecoder', () => {
  const frames = positiveNames.map((name) => encodedVector('positive', name));
  const all = concat(frames);
  const expected = frames.map((frame) => comparable(decodeEventStreamMessage(frame)));

  it('decodes several frames from one chunk', async () => {
    const messages = await decodeFrames([all]);
    expect(messages.map(comparable)).toEqual(expected);
  });

  it('decodes frames split at every byte boundary', async () => {
    for (let split = 1; split < all.byteLength; split++) {
      const chunks = [all.subarray(0, split), all.subarray(split)];
      const messages = await decodeFrames(chunks);
      expect(messages.map(comparable), `split at byte ${split}`).toEqual(expected);
    }
  });

  it('decodes frames fed one byte at a time', async () => {
    const chunks = Array.from(all, (_, index) => all.subarray(index, index + 1));
    const messages = await decodeFrames(chunks);
    expect(messages.map(comparable)).toEqual(expected);
  });

  it('emits each frame as soon as its last byte arrives', () => {
    const decoder = new EventStreamDecoder();
    const received: Message[] = [];
    const first = frames[0]!;
    decoder.push(first.subarray(0, first.byteLength - 1), (message) => received.push(message));
    expect(received).toHaveLength(0);
    expect(decoder.bufferedLength).toBe(first.byteLength - 1);
    decoder.push(first.subarray(first.byteLength - 1), (message) => received.push(message));
    expect(received).toHaveLength(1);
    expect(decoder.bufferedLength).toBe(0);
  });

  it('does not keep references to the input chunks in decoded bodies', async () => {
    const chunk = concat(frames);
    const messages = await decodeFrames([chunk]);
    chunk.fill(0);
    expect(messages.map(comparable)).toEqual(expected);
  });

  it('with views, reads frames in place while onMessage runs, split anywhere', () => {
    for (let split = 0; split < all.byteLength; split += 7) {
      const decoder = new EventStreamDecoder({ views: true });
      const seen: ReturnType<typeof comparable>[] = [];
      for (const chunk of [all.subarray(0, split), all.subarray(split)]) {
        decoder.push(chunk, (message) => seen.push(comparable(message)));
      }
      decoder.end();
      expect(seen, `split at byte ${split}`).toEqual(expected);
    }
    const inPlace: boolean[] = [];
    new EventStreamDecoder({ views: true }).push(all, (message) =>
      inPlace.push(message.body.buffer === all.buffer),
    );
    expect(inPlace).toEqual(frames.map(() => true));
  });

  it('errors when the input ends in the middle of a frame', async () => {
    const partial = all.subarray(0, all.byteLength - 3);
    await expect(decodeFrames([partial])).rejects.toThrow(
      /event-stream ended in the middle of a frame: \d+ bytes left/,
    );
  });

  it('errors when the input ends inside the prelude', async () => {
    await expect(decodeFrames([all.subarray(0, 5)])).rejects.toThrow(
      'event-stream ended in the middle of a frame: 5 bytes left',
    );
  });

  it('rejects a frame whose prelude is valid but whose length is impossible', () => {
    const prelude = new Uint8Array(12);
    const view = new DataView(prelude.buffer);
    view.setUint32(0, 8); // shorter than the 16-byte minimum
    view.setUint32(4, 0);
    view.setUint32(8, crc32Of(prelude.subarray(0, 8)));
    const error = catchError(() => new EventStreamDecoder().push(prelude, () => {}));
    expect(error).toMatchObject({ code: 'INVALID_FRAME_LENGTH' });
  });
});

describe('encodeEventStreamMessage', () => {
  it('writes one frame per message, decodable again', async () => {
    const messages: Message[] = [
      {
        headers: { ':message-type': { type: 'string', value: 'event' } },
        body: new TextEncoder().encode('{"a":1}'),
      },
      { headers: {}, body: new Uint8Array(0) },
    ];
    const chunks = messages.map(encodeEventStreamMessage);
    expect(chunks).toHaveLength(2);
    const decoded = await decodeFrames(chunks);
    expect(decoded.map(comparable)).toEqual(messages.map(comparable));
  });
});

function crc32Of(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
