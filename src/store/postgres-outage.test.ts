import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, startPostgresServer } from '../test-support/child-servers.js';
import { request } from './__fixtures__/records.js';
import { openStore } from './open-store.js';
import { isPostgresUnavailable } from './postgres-store.js';
import { StoreHealth } from './store-health.js';
import type { StoreLogEntry } from './types.js';

/** Only to detect a hang (a close waiting for Postgres to come back), never a measurement. */
const HANG_MS = 15_000;

describe('Postgres store with a journal, when Postgres stops (a private server)', () => {
  let postgres: ChildServer & { url: string };
  const folders: string[] = [];
  beforeAll(async () => {
    postgres = await startPostgresServer();
  });
  afterAll(async () => {
    await postgres?.dispose();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  async function open(dir: string, logs: StoreLogEntry[]) {
    return openStore(postgres.url, {
      journal: { dir, checkpointMs: 20 },
      batch: { flushIntervalMs: 1, retryDelayMs: 10, maxRetryDelayMs: 100 },
      logger: (entry) => logs.push(entry),
    });
  }

  it('stops on time while Postgres is down, keeps the unwritten rows in the journal, and writes them at the next start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cgw-pg-outage-'));
    folders.push(dir);
    const logs: StoreLogEntry[] = [];
    const first = await open(dir, logs);
    const health = new StoreHealth(first, { cacheMs: 0 });
    expect(await health.check()).toEqual({ ok: true });
    await first.recordRequest(request({ id: 'before' }));
    await first.flush();

    await postgres.stop();
    const state = await health.check();
    expect(state.ok).toBe(false);
    expect(state.ok ? '' : state.reason).toMatch(
      /^Postgres cannot be reached \((ECONNREFUSED|57P01|CONNECTION_\w+)\)$/,
    );
    for (const id of ['during-1', 'during-2', 'during-3']) await first.recordRequest(request({ id }));
    const started = performance.now();
    await first.close();
    expect(performance.now() - started).toBeLessThan(HANG_MS);
    expect(first.stats().dropped).toBe(3);
    expect(readdirSync(dir).filter((name) => name.endsWith('.journal')).length).toBeGreaterThan(0);

    await postgres.start();
    const second = await open(dir, logs);
    try {
      expect(
        (second as unknown as { replayed: { requests: number; skipped: number } }).replayed,
      ).toMatchObject({
        requests: 3,
      });
      for (const id of ['before', 'during-1', 'during-2', 'during-3']) {
        expect((await second.getRequest(id))?.id).toBe(id);
      }
      expect(readdirSync(dir).filter((name) => name.endsWith('.journal'))).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('tells an unreachable Postgres from a statement it refuses', () => {
    expect(isPostgresUnavailable(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isPostgresUnavailable(Object.assign(new Error('shutting down'), { code: '57P01' }))).toBe(true);
    expect(isPostgresUnavailable(Object.assign(new Error('no route'), { code: '08006' }))).toBe(true);
    expect(
      isPostgresUnavailable(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })])),
    ).toBe(true);
    expect(isPostgresUnavailable(Object.assign(new Error('bad value'), { code: '22P02' }))).toBe(false);
    expect(isPostgresUnavailable(new Error('plain'))).toBe(false);
  });
});
