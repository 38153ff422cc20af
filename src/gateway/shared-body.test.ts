import { describe, expect, it } from 'vitest';
import { joinBody, SHARED_BODY_MIN_BYTES } from './shared-body.js';

describe('joinBody', () => {
  it('joins a large body in shared memory that it owns whole, so the writer thread reads it without a copy', () => {
    const text = 'héllo 👋 '.repeat(SHARED_BODY_MIN_BYTES / 4);
    const encoded = Buffer.from(text);
    const chunks = [encoded.subarray(0, 7), encoded.subarray(7, 70_000), encoded.subarray(70_000)];
    const body = joinBody(chunks, encoded.length);
    expect(body.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(body.byteOffset).toBe(0);
    expect(body.buffer.byteLength).toBe(encoded.length);
    expect(body.toString('utf8')).toBe(text);
  });

  it('also copies a single large chunk, a view into a larger read buffer, into shared memory', () => {
    const read = Buffer.alloc(SHARED_BODY_MIN_BYTES * 2, 'a');
    const chunk = read.subarray(100, 100 + SHARED_BODY_MIN_BYTES);
    const body = joinBody([chunk], chunk.length);
    expect(body.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(body.equals(chunk)).toBe(true);
  });

  it('leaves a small body in ordinary memory, where a copy costs less than sharing', () => {
    const chunk = Buffer.from('{"max_tokens":1}');
    expect(joinBody([chunk], chunk.length)).toBe(chunk);
    const joined = joinBody([chunk, chunk], chunk.length * 2);
    expect(joined.buffer).toBeInstanceOf(ArrayBuffer);
    expect(joined.toString()).toBe('{"max_tokens":1}{"max_tokens":1}');
  });
});
