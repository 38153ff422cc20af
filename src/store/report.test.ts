/**
 * The usage report's one query: the same buckets, values, order and totals
 * on SQLite and Postgres, for every dimension and the filters.
 */

import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestPostgres, TEST_POSTGRES_URL } from './__fixtures__/postgres.js';
import { DAY, MINUTE, request, T0 } from './__fixtures__/records.js';
import { openPostgresStore } from './postgres-store.js';
import type { ReportDimension, UsageReport } from './report-sql.js';
import { openSqliteStore } from './sqlite-store.js';
import type { ActivityFilter, RequestRecord, Store } from './types.js';

const HOUR = 60 * MINUTE;
const ada = { userId: 'u-ada', userName: 'Ada', userEmail: 'ada@example.com', group: 'research' };
const bob = { userId: 'u-bob', userName: 'Bob', group: 'platform' };

/** Two days of traffic: two users, a keyless request, an error, an estimate, an unpriced model. */
const ROWS: RequestRecord[] = [
  request({
    id: 'r1',
    time: T0 + 9 * HOUR,
    ...ada,
    keyId: 'key_a',
    keyName: 'team-a',
    model: 'claude-opus-5-5',
    platform: 'bedrock',
    inputTokens: 1000,
    outputTokens: 200,
    cacheReadTokens: 500,
    cacheWriteTokens: 50,
    costUsd: 0.1,
  }),
  request({
    id: 'r2',
    time: T0 + 9 * HOUR + 5 * MINUTE,
    ...ada,
    keyId: 'key_a',
    keyName: 'team-a',
    model: 'claude-haiku-5-5',
    platform: 'vertex',
    inputTokens: 100,
    outputTokens: 20,
    costUsd: 0.2,
    costEstimated: true,
  }),
  request({
    id: 'r3',
    time: T0 + 10 * HOUR,
    ...bob,
    keyId: 'key_b',
    keyName: 'ci',
    model: 'claude-opus-5-5',
    platform: 'bedrock',
    status: 429,
    inputTokens: 0,
    outputTokens: 0,
  }),
  request({
    id: 'r4',
    time: T0 + DAY + HOUR,
    ...bob,
    keyId: 'key_b',
    keyName: 'ci',
    model: 'claude-opus-5-5',
    platform: 'anthropic',
    inputTokens: 300,
    outputTokens: 30,
    costUsd: 0.3,
  }),
  request({
    id: 'r5',
    time: T0 + DAY + 2 * HOUR,
    requestedModel: 'my-fine-tune',
    platform: 'anthropic',
    inputTokens: 7,
    outputTokens: 3,
  }),
  // Outside the window of most reports.
  request({ id: 'r6', time: T0 + 5 * DAY, ...ada, model: 'claude-opus-5-5', costUsd: 9 }),
];

const WINDOW: ActivityFilter = { since: T0, until: T0 + 2 * DAY };

async function fill(store: Store): Promise<Store> {
  for (const row of ROWS) await store.recordRequest(row);
  await store.flush();
  return store;
}

let sqlite: Store;
let pg: Store;
let admin: postgres.Sql | undefined;
const schema = `cgw_test_report_${process.pid}_${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  sqlite = await fill(await openSqliteStore({ path: ':memory:' }));
  const connected = await connectTestPostgres();
  if (connected instanceof Error) throw connected;
  admin = connected;
  pg = await fill(await openPostgresStore({ url: TEST_POSTGRES_URL, schema }));
});

afterAll(async () => {
  await sqlite?.close();
  await pg?.close();
  await admin?.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin?.end({ timeout: 5 });
});

/** The report from both backends, checked to be identical. */
async function report(by: ReportDimension[], filter: ActivityFilter = WINDOW): Promise<UsageReport> {
  const fromSqlite = await sqlite.report(by, filter);
  const fromPostgres = await pg.report(by, filter);
  expect(fromPostgres).toStrictEqual(fromSqlite);
  return fromSqlite;
}

describe('the usage report (SQLite and Postgres alike)', () => {
  it('groups by user, naming each user, with totals over every bucket', async () => {
    const result = await report(['user']);
    expect(result.rows).toStrictEqual([
      {
        user: 'Ada',
        requests: 2,
        errors: 0,
        inputTokens: 1100,
        outputTokens: 220,
        cacheReadTokens: 500,
        cacheWriteTokens: 50,
        costUsd: 0.3,
        costEstimated: true,
      },
      {
        user: 'Bob',
        requests: 2,
        errors: 1,
        inputTokens: 300,
        outputTokens: 30,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0.3,
        costEstimated: false,
      },
      {
        user: null,
        requests: 1,
        errors: 0,
        inputTokens: 7,
        outputTokens: 3,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0,
        costEstimated: false,
      },
    ]);
    expect(result.totals).toStrictEqual({
      requests: 5,
      errors: 1,
      inputTokens: 1407,
      outputTokens: 253,
      cacheReadTokens: 500,
      cacheWriteTokens: 50,
      costUsd: 0.6,
      costEstimated: true,
    });
  });

  it('buckets days and hours in UTC, the first dimension ascending and cost descending within it', async () => {
    const byDayModel = await report(['day', 'model']);
    expect(byDayModel.rows.map((row) => [row.day, row.model, row.requests, row.costUsd])).toEqual([
      ['2025-01-01', 'claude-haiku-5-5', 1, 0.2],
      ['2025-01-01', 'claude-opus-5-5', 2, 0.1],
      ['2025-01-02', 'claude-opus-5-5', 1, 0.3],
      ['2025-01-02', 'my-fine-tune', 1, 0],
    ]);
    expect(Object.keys(byDayModel.rows[0] ?? {}).slice(0, 2)).toEqual(['day', 'model']);
    const byHour = await report(['hour']);
    expect(byHour.rows.map((row) => [row.hour, row.requests])).toEqual([
      ['2025-01-01T09:00Z', 2],
      ['2025-01-01T10:00Z', 1],
      ['2025-01-02T01:00Z', 1],
      ['2025-01-02T02:00Z', 1],
    ]);
  });

  it('groups by group, key (by name) and platform', async () => {
    expect((await report(['group'])).rows.map((row) => [row.group, row.requests])).toEqual([
      ['platform', 2],
      ['research', 2],
      [null, 1],
    ]);
    expect((await report(['key', 'platform'])).rows.map((row) => [row.key, row.platform])).toEqual([
      ['ci', 'anthropic'],
      ['ci', 'bedrock'],
      ['team-a', 'vertex'],
      ['team-a', 'bedrock'],
      [null, 'anthropic'],
    ]);
  });

  it('filters by time, key, user (id, name or e-mail), group, model and platform', async () => {
    expect((await report(['user'], {})).totals.requests).toBe(6);
    expect((await report(['user'], { ...WINDOW, keyId: 'key_b' })).totals.requests).toBe(2);
    for (const user of ['u-ada', 'Ada', 'ada@example.com']) {
      expect((await report(['model'], { ...WINDOW, user })).totals.costUsd).toBe(0.3);
    }
    expect((await report(['model'], { ...WINDOW, group: 'platform' })).totals.requests).toBe(2);
    expect((await report(['user'], { ...WINDOW, model: 'claude-opus-5-5' })).totals.requests).toBe(3);
    expect((await report(['user'], { ...WINDOW, platform: 'vertex' })).rows).toHaveLength(1);
    expect(await report(['user'], { since: T0 + 10 * DAY })).toStrictEqual({
      rows: [],
      totals: {
        requests: 0,
        errors: 0,
        inputTokens: 0,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0,
        costEstimated: false,
      },
    });
  });
});
