import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateSqlite } from './sqlite-schema.js';
import { WorkerSqliteWriter } from './sqlite-writer.js';
import type { SqliteWriterStatements } from './sqlite-writer-core.js';

const STATEMENTS: SqliteWriterStatements = {
  pragmas: ['synchronous = NORMAL'],
  insertRequest: "INSERT INTO requests (id, time, dialect, operation) VALUES (?, ?, 'anthropic', 'messages')",
  insertAttempt:
    "INSERT INTO attempts (request_id, attempt, time, platform, upstream_model_id, outcome) VALUES (?, ?, ?, 'bedrock', 'm', 'success')",
  pruneRequests: 'DELETE FROM requests WHERE rowid IN (SELECT rowid FROM requests WHERE time < ? LIMIT 2)',
  pruneAttempts: 'DELETE FROM attempts WHERE rowid IN (SELECT rowid FROM attempts WHERE time < ? LIMIT 2)',
  pruneBudgetAlerts: 'DELETE FROM budget_alerts WHERE resets_at < ?',
};

describe('WorkerSqliteWriter', () => {
  let folder = '';
  let path = '';
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'claude-gateway-writer-'));
    path = join(folder, 'gateway.db');
    const database = new Database(path);
    database.pragma('journal_mode = WAL');
    migrateSqlite(database);
    database.close();
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  function count(table: string): number {
    const database = new Database(path, { readonly: true });
    try {
      return (database.prepare(`SELECT COUNT(*) AS count FROM ${table}`).get() as { count: number }).count;
    } finally {
      database.close();
    }
  }

  it('writes batches in its thread and prunes in small transactions', async () => {
    const writer = new WorkerSqliteWriter(path, STATEMENTS);
    await writer.write({
      requests: [
        ['a', 1],
        ['b', 2],
        ['c', 3],
        ['d', 10],
      ],
      attempts: [['a', 1, 1]],
    });
    expect(count('requests')).toBe(4);
    expect(await writer.prune(5)).toBe(4);
    expect(count('requests')).toBe(1);
    await writer.close();
  });

  it('rejects a failed batch with the database message and writes none of it', async () => {
    const writer = new WorkerSqliteWriter(path, STATEMENTS);
    const failed = writer.write({
      requests: [
        ['a', 1],
        ['a', 2],
      ],
      attempts: [],
    });
    await expect(failed).rejects.toThrow(/UNIQUE constraint failed: requests\.id/);
    expect(count('requests')).toBe(0);
    await writer.write({ requests: [['b', 1]], attempts: [] });
    expect(count('requests')).toBe(1);
    await writer.close();
  });

  it('reports a thread that cannot start, and starts a new one for the next call', async () => {
    const writer = new WorkerSqliteWriter(path, {
      ...STATEMENTS,
      insertRequest: 'INSERT INTO nowhere VALUES (?)',
    });
    await expect(writer.write({ requests: [], attempts: [] })).rejects.toThrow(/no such table: nowhere/);
    await expect(writer.write({ requests: [], attempts: [] })).rejects.toThrow(/no such table: nowhere/);
    await writer.close();
  });

  it('lets its thread go after a while without work, and starts another for the next write', async () => {
    const writer = new WorkerSqliteWriter(path, STATEMENTS, { idleExitMs: 20 });
    await writer.write({ requests: [['a', 1]], attempts: [] });
    expect(writer.threadRunning).toBe(true);
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (writer.threadRunning) return;
        clearInterval(poll);
        resolve();
      }, 5);
    });
    await writer.write({ requests: [['b', 2]], attempts: [] });
    expect(writer.threadRunning).toBe(true);
    expect(count('requests')).toBe(2);
    await writer.close();
  });

  it('refuses work once closed', async () => {
    const writer = new WorkerSqliteWriter(path, STATEMENTS);
    await writer.write({ requests: [['a', 1]], attempts: [] });
    await writer.close();
    await expect(writer.write({ requests: [], attempts: [] })).rejects.toMatchObject({
      code: 'STORE_CLOSED',
    });
  });
});

describe('closing the store at the end of a script', () => {
  it('ends the process normally once the writer thread has exited (needs the built dist/)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'claude-gateway-close-'));
    const store = pathToFileURL(join(import.meta.dirname, '../../dist/store/sqlite-store.js')).href;
    // Nothing else keeps this process alive: its last await is the store's close.
    const script = join(folder, 'close.mjs');
    writeFileSync(
      script,
      `const { openSqliteStore } = await import(${JSON.stringify(store)});
const store = await openSqliteStore({ path: ${JSON.stringify(join(folder, 'gateway.db'))} });
await store.recordRequest({ id: 'req_1', time: 1, dialect: 'anthropic', operation: 'messages', stream: false, status: 200, inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, attemptCount: 1, changes: [], clientDisconnected: false, requestBody: '{}' });
await store.flush();
await store.close();
console.log('closed', store.stats().written);
`,
    );
    try {
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [script], (error, stdout, stderr) =>
          resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
        );
      });
      expect(result, result.stderr).toMatchObject({ code: 0, stdout: 'closed 1\n' });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
