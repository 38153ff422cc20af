import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request } from './__fixtures__/records.js';
import { COMPRESSED_BODY_BYTES, openSqliteStore } from './sqlite-store.js';

/** A body shaped like Claude Code's: JSON with source text in it, so it compresses as real traffic does. */
function conversation(kilobytes: number): string {
  const lines: string[] = [];
  for (let line = 0; Buffer.byteLength(lines.join('\n')) < kilobytes * 1024; line++) {
    lines.push(
      `export function step${line}(input: number): number { return input * ${line} + ${line % 7}; } // héllo 👋`,
    );
  }
  return JSON.stringify({
    model: 'claude-sonnet-4-6',
    messages: [{ role: 'user', content: lines.join('\n') }],
  });
}

/** Each body column's storage class and size in bytes, as SQL sees them. */
function stored(path: string, id: string): { type: string; bytes: number; responseType: string | null } {
  const database = new Database(path, { readonly: true });
  try {
    return database
      .prepare(
        'SELECT typeof(request_body) AS type, length(CAST(request_body AS BLOB)) AS bytes, ' +
          'typeof(response_body) AS responseType FROM requests WHERE id = ?',
      )
      .get(id) as { type: string; bytes: number; responseType: string | null };
  } finally {
    database.close();
  }
}

describe('SQLite store with compressBodies', () => {
  let folder = '';
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'claude-gateway-compressed-'));
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('keeps a large body as a zstd blob and reads it back as the same text (writer thread and inline)', async () => {
    const body = conversation(40);
    const answer = conversation(8);
    for (const writer of ['worker', 'inline'] as const) {
      const path = join(folder, `${writer}.db`);
      const store = await openSqliteStore({ path, writer, compressBodies: true });
      // The bytes as they arrived, in shared memory as a large body is in the gateway; the answer as text.
      const encoded = Buffer.from(body);
      const shared = Buffer.from(new SharedArrayBuffer(encoded.length));
      encoded.copy(shared);
      await store.recordRequest({ ...request({ id: 'req_big' }), requestBody: shared, responseBody: answer });
      await store.flush();
      const record = await store.getRequest('req_big');
      expect(record?.requestBody, writer).toBe(body);
      expect(record?.responseBody, writer).toBe(answer);
      expect((await store.queryRequests({ includeBodies: true }))[0]?.requestBody).toBe(body);
      // The caller's buffer is untouched.
      expect(shared.toString('utf8')).toBe(body);
      await store.close();
      const column = stored(path, 'req_big');
      expect(column.type, writer).toBe('blob');
      expect(column.responseType, writer).toBe('blob');
      // Source-like JSON: well under half its size.
      expect(column.bytes, writer).toBeLessThan(encoded.length / 2);
    }
  });

  it('keeps a body under the threshold as plain text', async () => {
    const path = join(folder, 'small.db');
    const store = await openSqliteStore({ path, compressBodies: true });
    const body = `{"messages":[{"role":"user","content":"${'x'.repeat(COMPRESSED_BODY_BYTES - 100)}"}]}`;
    expect(Buffer.byteLength(body)).toBeLessThan(COMPRESSED_BODY_BYTES);
    await store.recordRequest({ ...request({ id: 'req_small' }), requestBody: Buffer.from(body) });
    await store.flush();
    expect((await store.getRequest('req_small'))?.requestBody).toBe(body);
    await store.close();
    expect(stored(path, 'req_small').type).toBe('text');
  });

  it('reads a compressed body that was not valid UTF-8 as the text a decoder makes of it', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"a":"x'),
      Buffer.from([0xff, 0xfe, 0x00, 0xc3]),
      Buffer.from(`${'y'.repeat(COMPRESSED_BODY_BYTES * 2)}"}`),
    ]);
    const expected = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    const path = join(folder, 'invalid.db');
    const store = await openSqliteStore({ path, compressBodies: true });
    await store.recordRequest({ ...request({ id: 'req_invalid' }), requestBody: bytes });
    await store.flush();
    expect((await store.getRequest('req_invalid'))?.requestBody).toBe(expected);
    await store.close();
    expect(stored(path, 'req_invalid').type).toBe('blob');
  });

  it('reads rows written with and without compression from the same database, either way', async () => {
    const path = join(folder, 'mixed.db');
    const plain = conversation(10);
    const compressed = conversation(12);
    const before = await openSqliteStore({ path });
    await before.recordRequest({ ...request({ id: 'req_plain' }), requestBody: Buffer.from(plain) });
    await before.close();
    const after = await openSqliteStore({ path, compressBodies: true });
    await after.recordRequest({ ...request({ id: 'req_compressed' }), requestBody: Buffer.from(compressed) });
    await after.close();
    expect(stored(path, 'req_plain').type).toBe('text');
    expect(stored(path, 'req_compressed').type).toBe('blob');
    // Turned off again: both still read back as they were sent.
    const reader = await openSqliteStore({ path });
    expect((await reader.getRequest('req_plain'))?.requestBody).toBe(plain);
    expect((await reader.getRequest('req_compressed'))?.requestBody).toBe(compressed);
    await reader.close();
  });

  it('reads a damaged compressed body as a note saying so, and the rest of the listing as stored', async () => {
    const path = join(folder, 'damaged.db');
    const store = await openSqliteStore({ path, compressBodies: true });
    for (const id of ['req_cut', 'req_flipped'])
      await store.recordRequest({ ...request({ id }), requestBody: Buffer.from(conversation(8)) });
    await store.recordRequest({
      ...request({ id: 'req_fine', time: 2 }),
      requestBody: Buffer.from('{"a":1}'),
    });
    await store.close();
    const database = new Database(path);
    try {
      // One frame cut short (its zstd magic kept), one with a byte changed in the middle.
      database
        .prepare("UPDATE requests SET request_body = substr(request_body, 1, 40) WHERE id = 'req_cut'")
        .run();
      const { body } = database
        .prepare("SELECT request_body AS body FROM requests WHERE id = 'req_flipped'")
        .get() as { body: Buffer };
      body[body.length >> 1] = (body[body.length >> 1] as number) ^ 0x55;
      database.prepare("UPDATE requests SET request_body = ? WHERE id = 'req_flipped'").run(body);
    } finally {
      database.close();
    }
    const reader = await openSqliteStore({ path });
    expect((await reader.getRequest('req_cut'))?.requestBody).toMatch(
      /^\(the stored body \(40 compressed bytes\) could not be decompressed: .+\)$/,
    );
    expect((await reader.getRequest('req_flipped'))?.requestBody).toMatch(
      /^\(the stored body \(\d+ compressed bytes\) could not be decompressed: .+\)$/,
    );
    const listed = await reader.queryRequests({ includeBodies: true });
    expect(listed.map((row) => row.id).sort()).toEqual(['req_cut', 'req_fine', 'req_flipped']);
    expect(listed.find((row) => row.id === 'req_fine')?.requestBody).toBe('{"a":1}');
    await reader.close();
  });
});
