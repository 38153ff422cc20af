/**
 * AWS event-stream frames (`application/vnd.amazon.eventstream`), the stream
 * format of Bedrock: u32 total length, u32 headers length, u32 prelude CRC32,
 * headers, payload, u32 message CRC32, all big-endian.
 *
 * Frames are encoded and decoded by the AWS SDK's own codec
 * (`@smithy/eventstream-codec`); this file adds the streaming around it:
 * frames split across chunks, several frames in one chunk, and loud errors
 * for corrupted or truncated input.
 */

import { crc32 } from 'node:zlib';
import { EventStreamCodec, type Message } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { readEventStreamHeaders } from './eventstream-headers.js';

export type {
  Message as EventStreamMessage,
  MessageHeaders,
  MessageHeaderValue,
} from '@smithy/eventstream-codec';

/** Bytes before the headers: total length, headers length, prelude CRC. */
const PRELUDE_LENGTH = 12;
/** The smallest frame: a prelude and a message CRC, no headers, no payload. */
const MINIMUM_FRAME_LENGTH = PRELUDE_LENGTH + 4;
/** Limits of the event-stream format (as in aws-c-event-stream). */
const MAXIMUM_FRAME_LENGTH = 16 * 1024 * 1024;
const MAXIMUM_HEADERS_LENGTH = 128 * 1024;

export type EventStreamErrorCode =
  | 'PRELUDE_CHECKSUM_MISMATCH'
  | 'MESSAGE_CHECKSUM_MISMATCH'
  | 'INVALID_FRAME_LENGTH'
  | 'INVALID_HEADERS'
  | 'TRUNCATED_FRAME';

/** A frame that cannot be decoded. `code` is stable; match on it, not on the text. */
export class EventStreamError extends Error {
  override readonly name = 'EventStreamError';
  readonly code: EventStreamErrorCode;

  constructor(code: EventStreamErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/**
 * Encodes one event-stream frame.
 *
 * @example
 * const bytes = encodeEventStreamMessage({
 *   headers: { ':message-type': { type: 'string', value: 'event' } },
 *   body: new TextEncoder().encode('{}'),
 * });
 */
export function encodeEventStreamMessage(message: Message): Uint8Array {
  return codec.encode(message);
}

/**
 * Decodes exactly one complete frame, checking both CRCs.
 *
 * @example
 * const message = decodeEventStreamMessage(bytes); // throws EventStreamError when corrupted
 */
export function decodeEventStreamMessage(frame: Uint8Array): Message {
  if (frame.byteLength < PRELUDE_LENGTH) {
    throw new EventStreamError(
      'TRUNCATED_FRAME',
      `event-stream frame too short: ${frame.byteLength} bytes, the prelude alone takes ${PRELUDE_LENGTH}`,
    );
  }
  const totalLength = readPrelude(frame);
  if (frame.byteLength !== totalLength) {
    throw new EventStreamError(
      frame.byteLength < totalLength ? 'TRUNCATED_FRAME' : 'INVALID_FRAME_LENGTH',
      `event-stream frame is ${frame.byteLength} bytes but its prelude says ${totalLength}`,
    );
  }
  return decodeFramedMessage(frame, totalLength);
}

/**
 * The message of a frame of `totalLength` bytes whose prelude was checked
 * (by {@link readPrelude}, on these bytes): the message CRC, then headers and body.
 */
function decodeFramedMessage(frame: Uint8Array, totalLength: number): Message {
  const view = new DataView(frame.buffer, frame.byteOffset, totalLength);
  const expected = view.getUint32(totalLength - 4);
  const actual = crc32(frame.subarray(0, totalLength - 4));
  if (expected !== actual) {
    throw new EventStreamError(
      'MESSAGE_CHECKSUM_MISMATCH',
      `event-stream message checksum mismatch: the frame says ${expected}, its ${totalLength} bytes give ${actual}`,
    );
  }
  // Both CRCs are checked (above and in readPrelude, natively); the SDK's codec.decode would check
  // them again with a JavaScript CRC32, a third of a frame's decoding time. Headers: the SDK's reader.
  const headersLength = view.getUint32(4);
  try {
    return {
      headers: readEventStreamHeaders(frame, PRELUDE_LENGTH, headersLength),
      body: frame.subarray(PRELUDE_LENGTH + headersLength, totalLength - 4),
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EventStreamError('INVALID_HEADERS', `event-stream frame has invalid headers: ${reason}`, {
      cause: error,
    });
  }
}

/**
 * Checks the prelude CRC before trusting the lengths, so a corrupted length can
 * neither make a reader wait for bytes that never come nor allocate a huge
 * buffer. Returns the frame's total length.
 */
function readPrelude(prelude: Uint8Array): number {
  const view = new DataView(prelude.buffer, prelude.byteOffset, PRELUDE_LENGTH);
  const totalLength = view.getUint32(0);
  const headersLength = view.getUint32(4);
  const expected = view.getUint32(8);
  const actual = crc32(prelude.subarray(0, 8));
  if (expected !== actual) {
    throw new EventStreamError(
      'PRELUDE_CHECKSUM_MISMATCH',
      `event-stream prelude checksum mismatch: the frame says ${expected}, its prelude gives ${actual} ` +
        `(total length ${totalLength}, headers length ${headersLength}); the stream is corrupted or not an event stream`,
    );
  }
  if (totalLength < MINIMUM_FRAME_LENGTH || totalLength > MAXIMUM_FRAME_LENGTH) {
    throw new EventStreamError(
      'INVALID_FRAME_LENGTH',
      `event-stream frame length ${totalLength} is outside ${MINIMUM_FRAME_LENGTH}..${MAXIMUM_FRAME_LENGTH} bytes`,
    );
  }
  if (headersLength > MAXIMUM_HEADERS_LENGTH || headersLength > totalLength - MINIMUM_FRAME_LENGTH) {
    throw new EventStreamError(
      'INVALID_FRAME_LENGTH',
      `event-stream headers length ${headersLength} does not fit a frame of ${totalLength} bytes`,
    );
  }
  return totalLength;
}

/**
 * Cuts a byte stream into frames and decodes each as soon as it is complete.
 * Keeps the bytes of at most one unfinished frame; copies each frame once (see `views`).
 *
 * @example
 * const decoder = new EventStreamDecoder();
 * decoder.push(chunk, (message) => handle(message));
 * decoder.end(); // throws if a partial frame is left
 */
export class EventStreamDecoder {
  readonly #views: boolean;
  #chunks: Uint8Array[] = [];
  #bufferedLength = 0;
  #frameLength: number | undefined;

  /**
   * With `views`, a message's body may be a view into a chunk given to `push`,
   * valid only while `onMessage` runs: for a caller that reads it there (saves
   * a copy of each frame). By default each body is a copy of its own.
   */
  constructor(options: { views?: boolean } = {}) {
    this.#views = options.views === true;
  }

  /** Bytes received that do not yet form a complete frame. */
  get bufferedLength(): number {
    return this.#bufferedLength;
  }

  /** Adds bytes and calls `onMessage` for every frame they complete. Throws `EventStreamError`. */
  push(chunk: Uint8Array, onMessage: (message: Message) => void): void {
    if (chunk.byteLength === 0) return;
    this.#chunks.push(chunk);
    this.#bufferedLength += chunk.byteLength;
    for (;;) {
      if (this.#frameLength === undefined) {
        if (this.#bufferedLength < PRELUDE_LENGTH) return;
        this.#frameLength = readPrelude(this.#peek(PRELUDE_LENGTH));
      }
      if (this.#bufferedLength < this.#frameLength) return;
      const frame = this.#take(this.#frameLength);
      this.#frameLength = undefined;
      onMessage(decodeFramedMessage(frame, frame.byteLength));
    }
  }

  /** Declares the end of the input; throws if it stopped in the middle of a frame. */
  end(): void {
    if (this.#bufferedLength > 0) {
      throw new EventStreamError(
        'TRUNCATED_FRAME',
        `event-stream ended in the middle of a frame: ${this.#bufferedLength} bytes left` +
          (this.#frameLength === undefined ? '' : ` of a ${this.#frameLength}-byte frame`),
      );
    }
  }

  /** A copy of the first `length` buffered bytes (or a view when the first chunk holds them). */
  #peek(length: number): Uint8Array {
    const first = this.#chunks[0];
    if (first !== undefined && first.byteLength >= length) return first;
    const out = new Uint8Array(length);
    let filled = 0;
    for (const chunk of this.#chunks) {
      const part = chunk.subarray(0, length - filled);
      out.set(part, filled);
      filled += part.byteLength;
      if (filled === length) break;
    }
    return out;
  }

  /**
   * Removes the first `length` buffered bytes: into a new array, or as a view
   * when views are allowed and the first chunk holds them all.
   */
  #take(length: number): Uint8Array {
    const first = this.#chunks[0];
    if (this.#views && first !== undefined && first.byteLength >= length) {
      this.#bufferedLength -= length;
      if (first.byteLength === length) {
        this.#chunks.shift();
        return first;
      }
      this.#chunks[0] = first.subarray(length);
      return first.subarray(0, length);
    }
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const chunk = this.#chunks[0];
      if (chunk === undefined) break;
      const needed = length - filled;
      if (chunk.byteLength <= needed) {
        out.set(chunk, filled);
        filled += chunk.byteLength;
        this.#chunks.shift();
      } else {
        out.set(chunk.subarray(0, needed), filled);
        filled += needed;
        this.#chunks[0] = chunk.subarray(needed);
      }
    }
    this.#bufferedLength -= filled;
    return out;
  }
}
