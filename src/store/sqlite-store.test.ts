import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request, T0 } from './__fixtures__/records.js';
import { SQLITE_MIGRATIONS } from './sqlite-schema.js';
import { DEFAULT_SQLITE_PATH, openSqliteStore } from './sqlite-store.js';
import { StoreError } from './store-error.js';

describe('SQLite store', () => {
  let folder = '';
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'claude-gateway-sqlite-'));
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('defaults to ./.claude-gateway/gateway.db and creates missing folders', async () => {
    expect(DEFAULT_SQLITE_PATH).toBe('./.claude-gateway/gateway.db');
    const path = join(folder, 'nested', 'deeper', 'gateway.db');
    const store = await openSqliteStore({ path });
    await store.close();
    expect(existsSync(path)).toBe(true);
  });

  it('uses WAL and records the schema version, once', async () => {
    const path = join(folder, 'gateway.db');
    await (await openSqliteStore({ path })).close();
    await (await openSqliteStore({ path })).close();
    const database = new Database(path, { readonly: true });
    try {
      expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
      const versions = database.prepare('SELECT version FROM schema_version').all();
      expect(versions).toEqual(SQLITE_MIGRATIONS.map((_, index) => ({ version: index + 1 })));
      const indexes = database
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'requests' AND sql IS NOT NULL",
        )
        .all();
      expect(indexes.map((row) => (row as { name: string }).name).sort()).toEqual([
        'requests_group_time',
        'requests_key_time',
        'requests_session_time',
        'requests_time',
        'requests_user_time',
      ]);
    } finally {
      database.close();
    }
  });

  it('refuses a database written by a newer version, saying so', async () => {
    const path = join(folder, 'gateway.db');
    await (await openSqliteStore({ path })).close();
    const database = new Database(path);
    database.prepare('INSERT INTO schema_version (version, applied_at) VALUES (99, 0)').run();
    database.close();
    const error = await openSqliteStore({ path }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({
      code: 'SCHEMA_TOO_NEW',
      message: expect.stringContaining('schema version 99'),
    });
  });

  it('says where it could not open the database', async () => {
    const blocker = join(folder, 'a-file');
    await (await openSqliteStore({ path: blocker })).close();
    const error = await openSqliteStore({ path: join(blocker, 'gateway.db') }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'STORE_UNREACHABLE', message: expect.stringContaining(blocker) });
  });

  it('keeps no key secret anywhere in the database files', async () => {
    const path = join(folder, 'gateway.db');
    const store = await openSqliteStore({ path });
    const { secret } = await store.createKey({ name: 'ci' });
    await store.recordRequest(request({ keyId: 'k', time: T0 }));
    await store.flush();
    const files = [path, `${path}-wal`]
      .filter(existsSync)
      .map((file) => readFileSync(file).toString('latin1'));
    expect(files.join('')).toContain('ci');
    for (const file of files) expect(file).not.toContain(secret.slice(4));
    await store.close();
  });

  it('writes from the worker thread are visible to reads on the main connection after flush', async () => {
    const path = join(folder, 'gateway.db');
    const store = await openSqliteStore({ path, writer: 'worker' });
    for (let round = 0; round < 3; round += 1) {
      await store.recordRequest(request({ id: `r${round}`, time: T0 + round }));
      await store.flush();
      expect(await store.queryRequests()).toHaveLength(round + 1);
    }
    expect(store.stats()).toMatchObject({ written: 3, dropped: 0, failedWrites: 0 });
    await store.close();
  });

  it('takes a body as the bytes it arrived as and stores its text, cast by SQLite (writer thread or not)', async () => {
    const body = '\uFEFF{"messages":[{"role":"user","content":"héllo 👋"}]}';
    for (const path of [join(folder, 'bytes.db'), ':memory:']) {
      const store = await openSqliteStore({ path, writer: path === ':memory:' ? 'inline' : 'worker' });
      // A view into a larger buffer, as a request body often is.
      const bytes = Buffer.from(`--${body}--`).subarray(2, 2 + Buffer.byteLength(body));
      await store.recordRequest({ ...request({ id: 'req_bytes' }), requestBody: bytes });
      await store.flush();
      expect((await store.getRequest('req_bytes'))?.requestBody).toBe(body);
      await store.close();
    }
  });

  it('keeps a body that is not valid UTF-8 as the text a decoder makes of it (U+FFFD for each bad byte, NUL kept)', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"a":"x'),
      Buffer.from([0xff, 0xfe, 0x00, 0xc3]),
      Buffer.from('y"}'),
    ]);
    const expected = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(expected).toContain('\uFFFD');
    for (const path of [join(folder, 'invalid-utf8.db'), ':memory:']) {
      const store = await openSqliteStore({ path, writer: path === ':memory:' ? 'inline' : 'worker' });
      await store.recordRequest({ ...request({ id: 'req_invalid' }), requestBody: bytes });
      await store.flush();
      expect((await store.getRequest('req_invalid'))?.requestBody, path).toBe(expected);
      await store.close();
    }
  });

  it('stores a body in shared memory as text, the same as the writer thread sees it', async () => {
    const body = `{"messages":[{"role":"user","content":"${'héllo 👋 '.repeat(4000)}"}]}`;
    const path = join(folder, 'shared.db');
    const store = await openSqliteStore({ path });
    const encoded = Buffer.from(body);
    const shared = Buffer.from(new SharedArrayBuffer(encoded.length));
    encoded.copy(shared);
    await store.recordRequest({ ...request({ id: 'req_shared' }), requestBody: shared });
    await store.flush();
    expect((await store.getRequest('req_shared'))?.requestBody).toBe(body);
    // The main thread's view is untouched (the body is shared, not moved).
    expect(shared.toString('utf8')).toBe(body);
    await store.close();
    const database = new Database(path, { readonly: true });
    try {
      // Text, not a blob: SQL on the column (LIKE, length, the sqlite3 shell) reads it as text.
      expect(
        database.prepare("SELECT typeof(request_body) AS type FROM requests WHERE id = 'req_shared'").get(),
      ).toEqual({
        type: 'text',
      });
    } finally {
      database.close();
    }
  });

  it('works in memory (writes on the main thread)', async () => {
    const store = await openSqliteStore({ path: ':memory:' });
    await store.recordRequest(request());
    await store.flush();
    expect(await store.queryRequests()).toHaveLength(1);
    await store.close();
  });
});
