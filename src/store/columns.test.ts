import { describe, expect, it } from 'vitest';
import { request } from './__fixtures__/records.js';
import { encodeRow, REQUEST_COLUMNS, SQLITE_ENCODING } from './columns.js';

const bodyIndex = REQUEST_COLUMNS.findIndex((column) => column.name === 'request_body');

describe('SQLite encoding of a body given as bytes', () => {
  it('copies a view into a larger buffer (a Buffer too), so only the body goes to the writer thread', () => {
    const read = Buffer.from('POST /v1/messages HTTP/1.1\r\n\r\n{"max_tokens":1}');
    const body = read.subarray(read.indexOf('{'));
    const encoded = encodeRow(REQUEST_COLUMNS, { ...request(), requestBody: body }, SQLITE_ENCODING)[
      bodyIndex
    ];
    expect(encoded).toBeInstanceOf(Uint8Array);
    expect((encoded as Uint8Array).buffer.byteLength).toBe(body.byteLength);
    expect(Buffer.from(encoded as Uint8Array).toString()).toBe('{"max_tokens":1}');
  });

  it('passes bytes that own their memory (shared or not) as they are', () => {
    const shared = Buffer.from(new SharedArrayBuffer(16));
    shared.write('{"max_tokens":1}');
    const encoded = encodeRow(REQUEST_COLUMNS, { ...request(), requestBody: shared }, SQLITE_ENCODING)[
      bodyIndex
    ];
    expect(encoded).toBe(shared);
  });
});
