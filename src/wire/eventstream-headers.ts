/**
 * The headers of an event-stream frame, read by the AWS SDK's own
 * HeaderMarshaller, and remembered by their bytes: every chunk of a Bedrock
 * stream carries the same header block (`:event-type` chunk, `:content-type`
 * application/json, `:message-type` event), and looking those bytes up costs
 * a third of reading them again.
 */
import { HeaderMarshaller, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

const headerMarshaller = new HeaderMarshaller(toUtf8, fromUtf8);

/** Longer header blocks are read every time (they carry messages, not the usual three headers). */
const MAX_REMEMBERED_BYTES = 256;
const MAX_REMEMBERED_BLOCKS = 32;
/** Header blocks by their bytes (latin1), for blocks whose values are all strings, numbers or booleans. */
const remembered = new Map<string, MessageHeaders>();

/**
 * The headers in `length` bytes of `frame` from `start`. Throws what the SDK's
 * reader throws for a malformed block. Each call returns objects of its own.
 *
 * @example
 * const headers = readEventStreamHeaders(frame, 12, headersLength); // { ':message-type': { type: 'string', value: 'event' }, … }
 */
export function readEventStreamHeaders(frame: Uint8Array, start: number, length: number): MessageHeaders {
  const view = (): DataView => new DataView(frame.buffer, frame.byteOffset + start, length);
  if (length > MAX_REMEMBERED_BYTES) return headerMarshaller.parse(view());
  const id = Buffer.from(frame.buffer, frame.byteOffset + start, length).toString('latin1');
  const known = remembered.get(id);
  if (known) return copyOf(known);
  const headers = headerMarshaller.parse(view());
  if (Object.values(headers).every((header) => typeof header.value !== 'object')) {
    if (remembered.size >= MAX_REMEMBERED_BLOCKS) remembered.clear();
    remembered.set(id, copyOf(headers));
  }
  return headers;
}

/** A copy of headers whose values are all primitives (the only ones remembered). */
function copyOf(headers: MessageHeaders): MessageHeaders {
  const copy: MessageHeaders = {};
  for (const name in headers) {
    const header = headers[name] as MessageHeaders[string];
    copy[name] = { type: header.type, value: header.value } as MessageHeaders[string];
  }
  return copy;
}
