/**
 * The key life cycle in both stores: expiry, updates in place, rotation with
 * a grace period for the old secret, last-used times, a database migrated
 * from schema 3, and (Postgres) key changes announced to other processes.
 */

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { connectTestPostgres, TEST_POSTGRES_URL } from './__fixtures__/postgres.js';
import { hashSecret } from './key-secrets.js';
import { openPostgresStore } from './postgres-store.js';
import { migrateSqlite, SQLITE_MIGRATIONS } from './sqlite-schema.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './types.js';

/** 2026-12-05T12:00:00Z: "now" for every key change here. */
const NOW = Date.UTC(2026, 11, 5, 12);
const HOUR = 3_600_000;

const runPrefix = `cgw_keys_${process.pid}_${randomBytes(4).toString('hex')}`;
let admin: postgres.Sql | Error = new Error('not connected');
let folder = '';
let count = 0;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'claude-gateway-keys-'));
  admin = await connectTestPostgres();
});
afterAll(async () => {
  rmSync(folder, { recursive: true, force: true });
  if (admin instanceof Error) return;
  const schemas = await admin`SELECT nspname FROM pg_namespace WHERE starts_with(nspname, ${runPrefix})`;
  for (const { nspname } of schemas) await admin.unsafe(`DROP SCHEMA "${nspname}" CASCADE`);
  await admin.end({ timeout: 5 });
});

/** A schema of its own for one Postgres test. */
function freshSchema(): string {
  if (admin instanceof Error) throw admin;
  count += 1;
  return `${runPrefix}_${count}`;
}

const BACKENDS: { name: string; open: () => Promise<Store> }[] = [
  {
    name: 'sqlite',
    open: () => {
      count += 1;
      return openSqliteStore({ path: join(folder, `keys-${count}.db`), writer: 'inline' });
    },
  },
  { name: 'postgres', open: () => openPostgresStore({ url: TEST_POSTGRES_URL, schema: freshSchema() }) },
];

describe.each(BACKENDS)('key life cycle: $name', (backend) => {
  async function fresh(): Promise<Store> {
    const store = await backend.open();
    onTestFinished(() => store.close());
    return store;
  }

  it('stores an expiry, and refuses one that is not in the future', async () => {
    const store = await fresh();
    const { record, secret } = await store.createKey({ name: 'ci', expiresAt: NOW + HOUR }, { now: NOW });
    expect(record).toMatchObject({ createdAt: NOW, expiresAt: NOW + HOUR });
    expect((await store.lookupSecret(secret))?.key).toStrictEqual(record);
    await expect(store.createKey({ name: 'old', expiresAt: NOW }, { now: NOW })).rejects.toMatchObject({
      code: 'INVALID_KEY_INPUT',
      message: expect.stringContaining('expiresAt 2026-12-05T12:00:00.000Z is not in the future'),
    });
  });

  it('updates a key in place: changed, removed with null, kept when left out; refuses a misspelt field', async () => {
    const store = await fresh();
    const { record, secret } = await store.createKey(
      { name: 'ci', monthlyBudgetUsd: 50, residency: 'eu', requestsPerMinute: 10 },
      { now: NOW },
    );
    const updated = await store.updateKey(
      'ci',
      { monthlyBudgetUsd: 100, residency: null, allowedModels: ['*haiku*'], expiresAt: NOW + 2 * HOUR },
      { now: NOW },
    );
    const { residency: _removed, ...rest } = record;
    expect(updated).toStrictEqual({
      ...rest,
      monthlyBudgetUsd: 100,
      allowedModels: ['*haiku*'],
      expiresAt: NOW + 2 * HOUR,
    });
    expect(await store.findKeyBySecret(secret)).toStrictEqual(updated);
    expect((await store.updateKey(record.prefix, { expiresAt: null }))?.expiresAt).toBeUndefined();
    expect((await store.updateKey(record.id, { name: 'ci-2' }))?.name).toBe('ci-2');

    await expect(store.updateKey('ci-2', { monthlyBudgetUsb: 5 } as never)).rejects.toMatchObject({
      code: 'INVALID_KEY_INPUT',
      message: 'Cannot update the key: unknown field "monthlyBudgetUsb"; did you mean "monthlyBudgetUsd"?',
    });
    await expect(store.updateKey('ci-2', { requestsPerMinute: -1 })).rejects.toMatchObject({
      message: expect.stringContaining('requestsPerMinute must be a number of 0 or more'),
    });
    await expect(store.updateKey('ci-2', {})).rejects.toMatchObject({ code: 'INVALID_KEY_INPUT' });
    await store.createKey({ name: 'deploy' });
    await expect(store.updateKey('ci-2', { name: 'deploy' })).rejects.toMatchObject({
      code: 'KEY_NAME_TAKEN',
      message: expect.stringContaining('already named deploy'),
    });
    expect((await store.findKeyBySecret(secret))?.requestsPerMinute).toBe(10);
    expect(await store.updateKey('nobody', { monthlyBudgetUsd: 1 })).toBeUndefined();
    await store.revokeKey('ci-2');
    expect(await store.updateKey(record.id, { monthlyBudgetUsd: 1 })).toBeUndefined();
  });

  it('rotates: a new secret for the same key; the old one is found as replaced, with its grace period', async () => {
    const store = await fresh();
    const { record, secret: first } = await store.createKey(
      { name: 'ci', monthlyBudgetUsd: 5 },
      { now: NOW },
    );
    const rotated = await store.rotateKey('ci', { graceMs: HOUR, now: NOW + 10 });
    if (!rotated) throw new Error('not rotated');
    expect(rotated.secret).not.toBe(first);
    expect(rotated.record).toStrictEqual({
      ...record,
      prefix: rotated.secret.slice(0, 8),
      hash: hashSecret(rotated.secret),
      rotatedAt: NOW + 10,
    });
    expect(rotated.previousSecretValidUntil).toBe(NOW + 10 + HOUR);
    expect(await store.lookupSecret(rotated.secret)).toStrictEqual({ key: rotated.record });
    expect(await store.lookupSecret(first)).toStrictEqual({
      key: rotated.record,
      rotated: { at: NOW + 10, validUntil: NOW + 10 + HOUR },
    });
    expect(await store.findKeyBySecret(first)).toBeUndefined();

    // Rotated again at once: each replaced secret keeps its own end.
    const again = await store.rotateKey(record.id, { graceMs: 0, now: NOW + 20 });
    if (!again) throw new Error('not rotated');
    expect((await store.lookupSecret(first))?.rotated).toEqual({ at: NOW + 10, validUntil: NOW + 10 + HOUR });
    expect((await store.lookupSecret(rotated.secret))?.rotated).toEqual({
      at: NOW + 20,
      validUntil: NOW + 20,
    });
    expect(await store.listKeys()).toStrictEqual([again.record]);
    expect(await store.rotateKey('nobody', { graceMs: 0 })).toBeUndefined();

    // A revoked key is still found by any of its secrets, so the gateway can refuse it; never as active.
    await store.revokeKey('ci');
    expect((await store.lookupSecret(first))?.key.revokedAt).toEqual(expect.any(Number));
    expect((await store.lookupSecret(again.secret))?.key.revokedAt).toEqual(expect.any(Number));
    expect(await store.lookupSecret('cgw_unknown')).toBeUndefined();
  });

  it('keeps the latest last-used time', async () => {
    const store = await fresh();
    const { record, secret } = await store.createKey({ name: 'ci' }, { now: NOW });
    expect(record.lastUsedAt).toBeUndefined();
    await store.recordKeyUse(record.id, NOW + 60_000);
    await store.recordKeyUse(record.id, NOW + 30_000);
    expect((await store.findKeyBySecret(secret))?.lastUsedAt).toBe(NOW + 60_000);
    await store.recordKeyUse(record.id, NOW + 120_000);
    expect((await store.listKeys())[0]?.lastUsedAt).toBe(NOW + 120_000);
  });
});

describe('a SQLite database of schema 3', () => {
  it('migrates to 4 keeping its keys, which then expire, rotate and update', async () => {
    const path = join(folder, 'schema-3.db');
    const database = new Database(path);
    migrateSqlite(database, SQLITE_MIGRATIONS.slice(0, 3));
    database
      .prepare(
        'INSERT INTO api_keys (id, name, prefix, hash, created_at, monthly_budget_usd) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run('key_old', 'old', 'cgw_olds', hashSecret('cgw_oldsecret'), NOW - HOUR, 7);
    database.close();
    const store = await openSqliteStore({ path, writer: 'inline' });
    try {
      expect(await store.findKeyBySecret('cgw_oldsecret')).toStrictEqual({
        id: 'key_old',
        name: 'old',
        prefix: 'cgw_olds',
        hash: hashSecret('cgw_oldsecret'),
        createdAt: NOW - HOUR,
        monthlyBudgetUsd: 7,
      });
      await store.updateKey('old', { expiresAt: NOW + HOUR }, { now: NOW });
      const rotated = await store.rotateKey('old', { graceMs: HOUR, now: NOW });
      expect(rotated?.record).toMatchObject({ id: 'key_old', expiresAt: NOW + HOUR, monthlyBudgetUsd: 7 });
      expect((await store.lookupSecret('cgw_oldsecret'))?.rotated?.validUntil).toBe(NOW + HOUR);
    } finally {
      await store.close();
    }
  });
});

function watch(store: Store, listener: () => void): Promise<() => Promise<void>> {
  if (!store.watchKeyChanges) throw new Error(`a ${store.kind} store cannot tell key changes`);
  return store.watchKeyChanges(listener);
}

describe('Postgres: key changes reach other processes', () => {
  it('announces create, update, rotate and revoke to every store on the schema, and no other', async () => {
    const schema = freshSchema();
    const [writer, reader, elsewhere] = await Promise.all([
      openPostgresStore({ url: TEST_POSTGRES_URL, schema }),
      openPostgresStore({ url: TEST_POSTGRES_URL, schema }),
      openPostgresStore({ url: TEST_POSTGRES_URL, schema: freshSchema() }),
    ]);
    onTestFinished(async () => {
      await Promise.all([writer.close(), reader.close(), elsewhere.close()]);
    });
    let heard = 0;
    let heardElsewhere = 0;
    const stop = await watch(reader, () => {
      heard += 1;
    });
    await watch(elsewhere, () => {
      heardElsewhere += 1;
    });
    // Listening (re)connected: a change made meanwhile may have been missed, so that counts as one.
    heard = 0;
    heardElsewhere = 0;
    /** Waits (at most 2 s) until the reader heard `total` changes. */
    const until = async (total: number) => {
      for (let waited = 0; heard < total && waited < 2_000; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(heard).toBe(total);
    };
    await writer.createKey({ name: 'ci' });
    await until(1);
    await writer.updateKey('ci', { monthlyBudgetUsd: 3 });
    await until(2);
    await writer.rotateKey('ci', { graceMs: 0 });
    await until(3);
    await writer.revokeKey('ci');
    await until(4);
    // Nothing that changes no key is announced: a miss, a last-used time.
    expect(await writer.revokeKey('ci')).toBeUndefined();
    await writer.recordKeyUse('key_nothing', NOW);
    await writer.createKey({ name: 'marker' });
    await until(5);
    expect(heardElsewhere).toBe(0);
    await stop();
  });
});
