import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { connectTestPostgres, TEST_POSTGRES_URL } from './__fixtures__/postgres.js';
import { attempt, DAY, fullRequest, MINUTE, request, T0 } from './__fixtures__/records.js';
import type { StoredRow } from './decode-rows.js';
import { hashSecret } from './key-secrets.js';
import { openPostgresStore } from './postgres-store.js';
import { openSqliteStore } from './sqlite-store.js';
import { StoreError } from './store-error.js';
import type { RequestRecord, Store, StoreLogEntry } from './types.js';

type Table = 'requests' | 'attempts' | 'api_keys' | 'budget_alerts';

/** One isolated database (a file, a schema) that a test can open, close and open again. */
interface Location {
  open(logs?: StoreLogEntry[]): Promise<Store>;
  /** Every stored row of a table, read behind the store's back. */
  rows(table: Table): Promise<StoredRow[]>;
  dispose(): Promise<void>;
}

interface Backend {
  name: string;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  location(): Promise<Location>;
}

function sqliteBackend(writer: 'worker' | 'inline'): Backend {
  let folder = '';
  let count = 0;
  return {
    name: `sqlite (${writer} writer)`,
    async setup() {
      folder = mkdtempSync(join(tmpdir(), 'claude-gateway-store-'));
    },
    async teardown() {
      rmSync(folder, { recursive: true, force: true });
    },
    async location() {
      count += 1;
      const path = join(folder, `activity-${count}.db`);
      return {
        open: (logs) => openSqliteStore({ path, writer, logger: (entry) => logs?.push(entry) }),
        async rows(table) {
          const database = new Database(path, { readonly: true });
          try {
            return database.prepare(`SELECT * FROM ${table}`).all() as StoredRow[];
          } finally {
            database.close();
          }
        },
        async dispose() {},
      };
    },
  };
}

function postgresBackend(): Backend {
  const runPrefix = `cgw_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  let admin: postgres.Sql | undefined;
  let unreachable: Error | undefined;
  let count = 0;
  return {
    name: 'postgres',
    async setup() {
      const connected = await connectTestPostgres();
      // Without Postgres every test fails with this message (rather than being skipped): CI starts it.
      if (connected instanceof Error) unreachable = connected;
      else admin = connected;
    },
    async teardown() {
      if (!admin) return;
      const leftovers =
        await admin`SELECT nspname FROM pg_namespace WHERE starts_with(nspname, ${runPrefix})`;
      for (const { nspname } of leftovers) await admin.unsafe(`DROP SCHEMA "${nspname}" CASCADE`);
      await admin.end({ timeout: 5 });
    },
    async location() {
      if (!admin) throw unreachable ?? new Error('Postgres was not set up');
      const sql = admin;
      count += 1;
      const schema = `${runPrefix}_${count}`;
      return {
        open: (logs) =>
          openPostgresStore({ url: TEST_POSTGRES_URL, schema, logger: (entry) => logs?.push(entry) }),
        rows: async (table) => [...(await sql.unsafe(`SELECT * FROM "${schema}".${table}`))],
        dispose: async () => {
          await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        },
      };
    },
  };
}

const BACKENDS = [sqliteBackend('worker'), sqliteBackend('inline'), postgresBackend()];

describe.each(BACKENDS)('store contract: $name', (backend) => {
  beforeAll(() => backend.setup());
  afterAll(() => backend.teardown());

  /** A fresh location and an open store, both cleaned up when the test ends. */
  async function freshStore(logs?: StoreLogEntry[]): Promise<{ store: Store; location: Location }> {
    const location = await backend.location();
    const store = await location.open(logs);
    onTestFinished(async () => {
      await store.close();
      await location.dispose();
    });
    return { store, location };
  }

  it('stores every field of a request and reads it back', async () => {
    const { store } = await freshStore();
    const full = fullRequest();
    const minimal = request({ id: 'req_minimal', time: T0 + 1 });
    await store.recordRequest(full);
    await store.recordRequest(minimal);
    await store.flush();
    expect(await store.getRequest('req_full')).toStrictEqual(full);
    expect(await store.getRequest('req_minimal')).toStrictEqual(minimal);
    expect(await store.getRequest('req_missing')).toBeUndefined();
    const listed = await store.queryRequests();
    expect(listed.map((record) => record.id)).toEqual(['req_minimal', 'req_full']);
    const { requestBody: _request, responseBody: _response, ...withoutBodies } = full;
    expect(listed[1]).toStrictEqual(withoutBodies);
    expect((await store.queryRequests({ includeBodies: true }))[1]).toStrictEqual(full);
  });

  it('queries by key, session, time, model, platform and status, newest first', async () => {
    const { store } = await freshStore();
    const rows: RequestRecord[] = [
      request({
        id: 'a',
        time: T0,
        keyId: 'key_a',
        sessionId: 's1',
        model: 'claude-sonnet-4-5',
        platform: 'bedrock',
      }),
      request({
        id: 'b',
        time: T0 + MINUTE,
        keyId: 'key_a',
        sessionId: 's2',
        model: 'claude-opus-4-6',
        platform: 'vertex',
      }),
      request({
        id: 'c',
        time: T0 + 2 * MINUTE,
        keyId: 'key_b',
        sessionId: 's1',
        requestedModel: 'my-fine-tune',
        status: 429,
      }),
      request({
        id: 'd',
        time: T0 + 3 * MINUTE,
        keyId: 'key_b',
        model: 'claude-sonnet-4-5',
        requestedModel: 'sonnet',
        status: 499,
      }),
    ];
    for (const row of rows) await store.recordRequest(row);
    await store.flush();
    const ids = async (query: Parameters<Store['queryRequests']>[0]) =>
      (await store.queryRequests(query)).map((record) => record.id);
    expect(await ids({})).toEqual(['d', 'c', 'b', 'a']);
    expect(await ids({ keyId: 'key_a' })).toEqual(['b', 'a']);
    expect(await ids({ sessionId: 's1' })).toEqual(['c', 'a']);
    expect(await ids({ since: T0 + MINUTE, until: T0 + 3 * MINUTE })).toEqual(['c', 'b']);
    expect(await ids({ model: 'claude-sonnet-4-5' })).toEqual(['d', 'a']);
    expect(await ids({ model: 'sonnet' })).toEqual(['d']);
    expect(await ids({ model: 'my-fine-tune' })).toEqual(['c']);
    expect(await ids({ platform: 'vertex' })).toEqual(['b']);
    expect(await ids({ status: 429 })).toEqual(['c']);
    expect(await ids({ errorsOnly: true })).toEqual(['d', 'c']);
    expect(await ids({ keyId: 'key_b', sessionId: 's1' })).toEqual(['c']);
    expect(await ids({ limit: 2 })).toEqual(['d', 'c']);
    expect(await ids({ keyId: 'key_nobody' })).toEqual([]);
  });

  it('queries by user (id, name or e-mail) and group', async () => {
    const { store } = await freshStore();
    const ada = { userId: 'u1', userName: 'Ada', userEmail: 'ada@example.com', group: 'research' };
    await store.recordRequest(request({ id: 'a', time: T0, ...ada }));
    await store.recordRequest(request({ id: 'b', time: T0 + MINUTE, userId: 'u2', group: 'platform' }));
    await store.recordRequest(request({ id: 'c', time: T0 + 2 * MINUTE }));
    await store.flush();
    const ids = async (query: Parameters<Store['queryRequests']>[0]) =>
      (await store.queryRequests(query)).map((record) => record.id);
    for (const user of ['u1', 'Ada', 'ada@example.com']) expect(await ids({ user })).toEqual(['a']);
    expect(await ids({ user: 'u2' })).toEqual(['b']);
    expect(await ids({ group: 'platform' })).toEqual(['b']);
    expect(await ids({ group: 'research', user: 'u2' })).toEqual([]);
    expect((await store.getRequest('a'))?.userEmail).toBe('ada@example.com');
  });

  it('records a budget crossing once: only the first claim wins', async () => {
    const { store, location } = await freshStore();
    const alert = {
      id: 'key:key_1:month:1798761600000:100:0.8',
      subjectKind: 'key' as const,
      subjectId: 'key_1',
      subjectName: 'team-a',
      period: 'month' as const,
      limitUsd: 100,
      threshold: 0.8,
      spentUsd: 80.5,
      resetsAt: 1798761600000,
      crossedAt: T0,
    };
    const claims = await Promise.all([store.claimBudgetAlert(alert), store.claimBudgetAlert(alert)]);
    expect(claims.sort()).toEqual([false, true]);
    expect(await store.claimBudgetAlert({ ...alert, id: `${alert.id.slice(0, -3)}:1`, threshold: 1 })).toBe(
      true,
    );
    const rows = await location.rows('budget_alerts');
    expect(rows).toHaveLength(2);
    expect(rows.find((row) => row.id === alert.id)).toMatchObject({
      subject_name: 'team-a',
      period: 'month',
    });
  });

  it('keeps the attempts of each request in order, and a rewritten row once', async () => {
    const { store } = await freshStore();
    await store.recordAttempts([
      attempt({ requestId: 'r1', attempt: 2, platform: 'vertex', outcome: 'success', time: T0 + 5 }),
      attempt({
        requestId: 'r1',
        attempt: 1,
        platform: 'bedrock',
        status: 429,
        errorType: 'ThrottlingException',
        errorMessage: 'Too many requests',
        outcome: 'failed-over',
        costUsd: undefined,
        outputTokens: 0,
      }),
      attempt({ requestId: 'r2', attempt: 1, status: undefined, outcome: 'failed', errorType: 'ECONNRESET' }),
    ]);
    await store.flush();
    await store.recordAttempts([attempt({ requestId: 'r2', attempt: 1, outcome: 'cancelled' })]);
    await store.flush();
    const first = await store.attemptsOf('r1');
    expect(first.map((row) => [row.attempt, row.platform, row.outcome])).toEqual([
      [1, 'bedrock', 'failed-over'],
      [2, 'vertex', 'success'],
    ]);
    expect(first[0]).toEqual(
      attempt({
        requestId: 'r1',
        attempt: 1,
        platform: 'bedrock',
        status: 429,
        errorType: 'ThrottlingException',
        errorMessage: 'Too many requests',
        outcome: 'failed-over',
        costUsd: undefined,
        outputTokens: 0,
      }),
    );
    expect(first[0]).not.toHaveProperty('costUsd');
    const second = await store.attemptsOf('r2');
    expect(second).toHaveLength(1);
    expect(second[0]?.outcome).toBe('cancelled');
    expect(await store.attemptsOf('r3')).toEqual([]);
  });

  it('summarizes a time range by key, model and platform', async () => {
    const { store } = await freshStore();
    const rows: RequestRecord[] = [
      request({
        id: 'a',
        keyId: 'key_a',
        keyName: 'alpha',
        model: 'claude-sonnet-4-5',
        platform: 'bedrock',
        inputTokens: 100,
        outputTokens: 10,
        cacheReadTokens: 7,
        cacheWriteTokens: 3,
        costUsd: 1.5,
      }),
      request({
        id: 'b',
        keyId: 'key_a',
        keyName: 'alpha',
        model: 'claude-sonnet-4-5',
        platform: 'vertex',
        inputTokens: 200,
        outputTokens: 20,
        costUsd: 2.5,
        status: 500,
      }),
      request({
        id: 'c',
        keyId: 'key_b',
        keyName: 'beta',
        requestedModel: 'mystery-model',
        platform: 'bedrock',
        inputTokens: 50,
        outputTokens: 5,
      }),
      request({ id: 'old', time: T0 - DAY, keyId: 'key_a', model: 'claude-sonnet-4-5', costUsd: 100 }),
    ];
    for (const row of rows) await store.recordRequest(row);
    await store.flush();
    const summary = await store.summarize({ since: T0, until: T0 + DAY });
    expect(summary.since).toBe(T0);
    expect(summary.until).toBe(T0 + DAY);
    expect(summary.total).toEqual({
      requests: 3,
      errors: 1,
      inputTokens: 350,
      outputTokens: 35,
      cacheReadTokens: 7,
      cacheWriteTokens: 3,
      costUsd: 4,
      unpricedRequests: 1,
    });
    expect(summary.byKey.map((row) => [row.keyId, row.keyName, row.requests, row.costUsd])).toEqual([
      ['key_a', 'alpha', 2, 4],
      ['key_b', 'beta', 1, 0],
    ]);
    expect(summary.byModel.map((row) => [row.model, row.requests, row.inputTokens])).toEqual([
      ['claude-sonnet-4-5', 2, 300],
      ['mystery-model', 1, 50],
    ]);
    expect(summary.byPlatform.map((row) => [row.platform, row.requests, row.errors, row.costUsd])).toEqual([
      ['vertex', 1, 1, 2.5],
      ['bedrock', 2, 0, 1.5],
    ]);
    const empty = await store.summarize({ keyId: 'key_nobody' });
    expect(empty.total).toMatchObject({ requests: 0, costUsd: 0 });
    expect(empty.byKey).toEqual([]);
  });

  it('lists sessions with their turns, tool turns, agents, errors and totals, the latest first', async () => {
    const { store } = await freshStore();
    const turn = (id: string, minute: number, overrides: Partial<RequestRecord> = {}) =>
      request({
        id,
        time: T0 + minute * MINUTE,
        sessionId: 'session-a',
        keyId: 'key_a',
        keyName: 'alpha',
        userName: 'ada',
        group: 'research',
        model: 'claude-sonnet-4-5',
        durationMs: 2000,
        costUsd: 0.5,
        ...overrides,
      });
    const rows: RequestRecord[] = [
      turn('a1', 0, { stopReason: 'tool_use' }),
      turn('a2', 1, { stopReason: 'tool_use', agentId: 'agent-1' }),
      turn('a3', 2, { stopReason: 'end_turn', agentId: 'agent-2', parentAgentId: 'agent-1' }),
      turn('a4', 3, { status: 529, costUsd: undefined }),
      turn('a5', 4, { operation: 'count_tokens', costUsd: 0 }),
      turn('b1', 10, { sessionId: 'session-b', keyId: 'key_b', keyName: 'beta' }),
      request({ id: 'no-session', time: T0 + 5 * MINUTE }),
    ];
    for (const row of rows) await store.recordRequest(row);
    await store.flush();
    const sessions = await store.sessions({ since: T0 });
    expect(sessions.map((session) => session.sessionId)).toEqual(['session-b', 'session-a']);
    expect(sessions[1]).toEqual({
      sessionId: 'session-a',
      firstTime: T0,
      lastTime: T0 + 4 * MINUTE,
      endTime: T0 + 4 * MINUTE + 2000,
      requests: 5,
      turns: 4,
      toolTurns: 2,
      errors: 1,
      agents: 2,
      keyId: 'key_a',
      keyName: 'alpha',
      userName: 'ada',
      group: 'research',
      model: 'claude-sonnet-4-5',
      inputTokens: 50,
      outputTokens: 25,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 1.5,
      unpricedRequests: 1,
    });
    expect((await store.sessions({ keyId: 'key_b' })).map((session) => session.sessionId)).toEqual([
      'session-b',
    ]);
    expect(await store.sessions({ since: T0, limit: 1 })).toHaveLength(1);
    expect(await store.sessions({ since: T0 + DAY })).toEqual([]);
  });

  it("sums a key's known costs since a time", async () => {
    const { store } = await freshStore();
    await store.recordRequest(request({ id: 'a', keyId: 'key_a', time: T0 - MINUTE, costUsd: 10 }));
    await store.recordRequest(request({ id: 'b', keyId: 'key_a', time: T0, costUsd: 0.25 }));
    await store.recordRequest(request({ id: 'c', keyId: 'key_a', time: T0 + MINUTE, costUsd: 0.5 }));
    await store.recordRequest(request({ id: 'd', keyId: 'key_a', time: T0 + MINUTE }));
    await store.recordRequest(request({ id: 'e', keyId: 'key_b', time: T0 + MINUTE, costUsd: 7 }));
    await store.flush();
    expect(await store.spendSince('key_a', T0)).toBeCloseTo(0.75, 10);
    expect(await store.spendSince('key_a', 0)).toBeCloseTo(10.75, 10);
    expect(await store.spendSince('key_nobody', 0)).toBe(0);
  });

  it('prunes only rows older than the cutoff, requests and attempts', async () => {
    const { store } = await freshStore();
    const cutoff = T0;
    for (let index = 0; index < 30; index += 1) {
      await store.recordRequest(request({ id: `old-${index}`, time: cutoff - DAY + index }));
      await store.recordRequest(request({ id: `new-${index}`, time: cutoff + index }));
    }
    await store.recordAttempts([
      attempt({ requestId: 'old-0', time: cutoff - 1 }),
      attempt({ requestId: 'new-0', time: cutoff }),
    ]);
    await store.flush();
    expect(await store.prune(cutoff)).toBe(31);
    const left = await store.queryRequests({ limit: 1000 });
    expect(left).toHaveLength(30);
    expect(left.every((record) => record.id.startsWith('new-'))).toBe(true);
    expect(await store.attemptsOf('old-0')).toEqual([]);
    expect(await store.attemptsOf('new-0')).toHaveLength(1);
    expect(await store.prune(cutoff)).toBe(0);
  });

  it("prunes budget alert claims whose period ended before the cutoff, keeping running periods' claims", async () => {
    const { store, location } = await freshStore();
    const cutoff = T0;
    const claim = (id: string, resetsAt: number, crossedAt: number) =>
      store.claimBudgetAlert({
        id,
        subjectKind: 'key',
        subjectId: 'key_1',
        subjectName: 'team-a',
        period: 'day',
        limitUsd: 10,
        threshold: 0.8,
        spentUsd: 8,
        resetsAt,
        crossedAt,
      });
    await claim('ended-long-ago', cutoff - 2 * DAY, cutoff - 3 * DAY);
    await claim('ended-just-before', cutoff - 1, cutoff - DAY);
    // Crossed before the cutoff, but its period still runs: it still stops a second alert.
    await claim('still-running', cutoff + DAY, cutoff - DAY);
    await claim('new', cutoff + DAY, cutoff + 1);
    expect(await store.prune(cutoff)).toBe(2);
    const left = (await location.rows('budget_alerts')).map((row) => row.id).sort();
    expect(left).toEqual(['new', 'still-running']);
    expect(await claim('still-running', cutoff + DAY, cutoff + 2)).toBe(false);
    expect(await store.prune(cutoff)).toBe(0);
  });

  it('creates, finds, lists and revokes keys', async () => {
    const { store } = await freshStore();
    const created = await store.createKey({
      name: 'ci',
      allowedModels: ['claude-sonnet-4-5', 'claude-haiku-4-5'],
      residency: 'eu',
      monthlyBudgetUsd: 50,
      requestsPerMinute: 60,
      tokensPerMinute: 100_000,
      metadata: { team: 'platform', owners: ['ana', 'bo'] },
    });
    expect(created.secret).toMatch(/^cgw_[A-Za-z0-9_-]{43}$/);
    expect(created.record).toMatchObject({
      name: 'ci',
      prefix: created.secret.slice(0, 8),
      hash: hashSecret(created.secret),
    });
    expect(created.record).not.toHaveProperty('revokedAt');
    const other = await store.createKey({ name: 'deploy' });

    expect(await store.findKeyBySecret(created.secret)).toStrictEqual(created.record);
    expect(await store.findKeyBySecret(other.secret)).toStrictEqual(other.record);
    expect(await store.findKeyBySecret(`${created.secret}x`)).toBeUndefined();
    expect(await store.listKeys()).toStrictEqual([created.record, other.record]);

    await expect(store.createKey({ name: 'ci' })).rejects.toMatchObject({ code: 'KEY_NAME_TAKEN' });
    await expect(store.createKey({ name: '  ' })).rejects.toMatchObject({ code: 'INVALID_KEY_INPUT' });

    const revoked = await store.revokeKey('ci');
    expect(revoked?.id).toBe(created.record.id);
    expect(revoked?.revokedAt).toEqual(expect.any(Number));
    expect(await store.findKeyBySecret(created.secret)).toBeUndefined();
    expect(await store.revokeKey('ci')).toBeUndefined();
    expect(await store.listKeys()).toStrictEqual([other.record]);
    const all = await store.listKeys({ includeRevoked: true });
    expect(all.map((key) => [key.id, key.revokedAt !== undefined])).toEqual([
      [created.record.id, true],
      [other.record.id, false],
    ]);

    expect((await store.revokeKey(other.record.prefix))?.id).toBe(other.record.id);
    const again = await store.createKey({ name: 'ci' });
    expect((await store.revokeKey(again.record.id))?.id).toBe(again.record.id);
    expect(await store.revokeKey('nothing-like-this')).toBeUndefined();
    expect(await store.listKeys()).toEqual([]);
  });

  it('never stores a key secret, only its hash', async () => {
    const { store, location } = await freshStore();
    const secrets = [];
    for (const name of ['one', 'two', 'three']) secrets.push((await store.createKey({ name })).secret);
    const stored = JSON.stringify(await location.rows('api_keys'));
    expect(stored).toContain(hashSecret(secrets[0] ?? ''));
    for (const secret of secrets) {
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(secret.slice(8));
    }
  });

  it('writes everything queued when closed: reopened, all rows are there', async () => {
    const { store, location } = await freshStore();
    const total = 1234;
    for (let index = 0; index < total; index += 1) {
      void store.recordRequest(request({ id: `req-${index}`, time: T0 + index }));
    }
    void store.recordAttempts([attempt({ requestId: 'req-0' })]);
    await store.close();
    const reopened = await location.open();
    try {
      expect((await reopened.summarize()).total.requests).toBe(total);
      expect(await reopened.attemptsOf('req-0')).toHaveLength(1);
      expect(await location.rows('requests')).toHaveLength(total);
    } finally {
      await reopened.close();
    }
  });

  it('takes many unawaited writes at once: all present, none duplicated', async () => {
    const { store, location } = await freshStore();
    const total = 2000;
    for (let index = 0; index < total; index += 1) {
      void store.recordRequest(
        request({ id: `c-${index}`, time: T0 + (index % 7), keyId: `key_${index % 3}` }),
      );
      void store.recordAttempts([
        attempt({ requestId: `c-${index}` }),
        attempt({ requestId: `c-${index}`, attempt: 2 }),
      ]);
    }
    void store.recordRequest(request({ id: 'c-0', time: T0, status: 503 }));
    await store.flush();
    const rows = await location.rows('requests');
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((row) => row.id)).size).toBe(total);
    expect(await location.rows('attempts')).toHaveLength(2 * total);
    expect((await store.getRequest('c-0'))?.status).toBe(503);
    expect(store.stats()).toMatchObject({ queued: 0, dropped: 0 });
  });

  it('round-trips a 1 MB request body', async () => {
    const { store } = await freshStore();
    const content = 'Ünïcödé 👋 {"nested": "json\\n"} '.repeat(40_000).slice(0, 1_048_576);
    const body = JSON.stringify({ messages: [{ role: 'user', content }] });
    expect(body.length).toBeGreaterThan(1_000_000);
    await store.recordRequest(request({ id: 'big', requestBody: body, responseBody: body.slice(0, 1000) }));
    await store.flush();
    const stored = await store.getRequest('big');
    expect(stored?.requestBody?.length).toBe(body.length);
    expect(stored?.requestBody === body).toBe(true);
    expect(stored?.responseBody).toBe(body.slice(0, 1000));
  });

  it('drops only a row the database refuses, and counts and logs it', async () => {
    const logs: StoreLogEntry[] = [];
    const { store } = await freshStore(logs);
    await store.recordRequest(request({ id: 'good-1' }));
    await store.recordRequest(request({ id: 'bad', time: Number.NaN }));
    await store.recordRequest(request({ id: 'good-2' }));
    await store.flush();
    expect((await store.queryRequests()).map((record) => record.id).sort()).toEqual(['good-1', 'good-2']);
    expect(store.stats()).toMatchObject({ written: 2, dropped: 1 });
    expect(logs.filter((entry) => entry.level === 'error')).toEqual([
      expect.objectContaining({ dropped: 1 }),
    ]);
  });

  it('after close: writes are counted as dropped, reads say the store is closed', async () => {
    const logs: StoreLogEntry[] = [];
    const { store } = await freshStore(logs);
    await store.close();
    await expect(store.recordRequest(request())).resolves.toBeUndefined();
    expect(store.stats().dropped).toBe(1);
    expect(logs).toEqual([expect.objectContaining({ level: 'error', dropped: 1 })]);
    const closed = await store.queryRequests().catch((error: unknown) => error);
    expect(closed).toBeInstanceOf(StoreError);
    expect(closed).toMatchObject({ code: 'STORE_CLOSED' });
    await expect(store.close()).resolves.toBeUndefined();
  });
});
