/**
 * Key limits hold across replicas and under concurrency: three gateways on
 * one Postgres store and one Redis, asked round-robin, enforce one rpm, one
 * tpm and one budget; a request reserves its estimated cost and tokens before
 * it is sent, so 20 slow requests in flight at once cannot overrun a budget
 * or a tokens-per-minute limit by more than one request — also on one
 * replica without Redis. Bounds only: the clock is pinned, nothing is timed.
 */

import { randomBytes, randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestPostgres, TEST_POSTGRES_URL } from '../store/__fixtures__/postgres.js';
import type { RequestRecord } from '../store/types.js';
import { freePort } from '../test-support/child-servers.js';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';

const REDIS_URL = process.env['CLAUDE_GATEWAY_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Only to detect a stalled request, never a measurement. */
const HANG_MS = 5_000;

/** How slow each answer is made (the emulator's latency fault), so the requests overlap in flight. */
const SLOW_MS = 300;

function body(maxTokens = 40) {
  return JSON.stringify({
    model: 'claude-haiku-4-5',
    max_tokens: maxTokens,
    messages: [{ role: 'user', content: 'Say something short.' }],
  });
}

async function ask(gateway: TestGateway, secret: string): Promise<number> {
  const response = await fetch(`${gateway.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': secret },
    body: body(),
    signal: AbortSignal.timeout(HANG_MS + SLOW_MS),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Every answered (200) row of a key, once each replica has written its rows. */
async function servedRows(replicas: TestGateway[], keyId: string): Promise<RequestRecord[]> {
  for (const replica of replicas) await replica.store.flush();
  const rows = await replicas[0]?.store.queryRequests({ keyId, limit: 1000 });
  return (rows ?? []).filter((row) => row.status === 200);
}

const costOf = (rows: RequestRecord[]) => rows.reduce((sum, row) => sum + (row.costUsd ?? 0), 0);
const tokensOf = (row: RequestRecord) => row.inputTokens + row.outputTokens;

/** Makes every answer of each replica's emulator slow. */
function slowAnswers(replicas: TestGateway[]): void {
  for (const replica of replicas) {
    replica.emulator.state.faults.add({ kind: 'latency', delayMs: SLOW_MS, count: 0 });
  }
}

function clearFaults(replicas: TestGateway[]): void {
  for (const replica of replicas) replica.emulator.state.faults.clear();
}

describe('three replicas on one Redis and one Postgres store', () => {
  const schema = `cgw_test_${process.pid}_${randomBytes(4).toString('hex')}_limits`;
  const keyPrefix = `cgw-test:${randomUUID()}:`;
  let database: postgres.Sql | Error = new Error('not connected');
  const replicas: TestGateway[] = [];
  const secrets = new Map<string, { id: string; secret: string }>();

  beforeAll(async () => {
    database = await connectTestPostgres();
    if (database instanceof Error) throw database;
    const config = {
      store: { url: `${TEST_POSTGRES_URL}?schema=${schema}` },
      limits: { redisUrl: REDIS_URL, keyPrefix },
    };
    const first = await startTestGateway({
      config,
      keys: [
        { name: 'rpm-6', requestsPerMinute: 6 },
        { name: 'tpm-200', tokensPerMinute: 200 },
        { name: 'budget', monthlyBudgetUsd: 0.005 },
        { name: 'tiny-budget', monthlyBudgetUsd: 0.0001 },
        { name: 'tiny-tpm', tokensPerMinute: 200 },
      ],
    });
    replicas.push(first, await startTestGateway({ config }), await startTestGateway({ config }));
    for (const key of first.keys) secrets.set(key.record.name, { id: key.record.id, secret: key.secret });
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    if (database instanceof Error) return;
    await database.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await database.end({ timeout: 5 });
  });

  const key = (name: string) => {
    const found = secrets.get(name);
    if (!found) throw new Error(`no key ${name}`);
    return found;
  };

  it('count in Redis', () => {
    for (const replica of replicas) {
      expect((replica.gateway.context.limits as unknown as { shared: boolean }).shared).toBe(true);
    }
  });

  it('answer at most 7 of 30 round-robin requests of a key limited to 6 a minute', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 30; index += 1) {
      statuses.push(await ask(replicas[index % 3] as TestGateway, key('rpm-6').secret));
    }
    const answered = statuses.filter((status) => status === 200).length;
    expect(answered).toBeGreaterThanOrEqual(6);
    expect(answered).toBeLessThanOrEqual(7);
    expect(statuses.filter((status) => status !== 200).every((status) => status === 429)).toBe(true);
  });

  it('keep a tokens-per-minute limit to one request over, round-robin', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 30; index += 1) {
      statuses.push(await ask(replicas[index % 3] as TestGateway, key('tpm-200').secret));
    }
    const rows = await servedRows(replicas, key('tpm-200').id);
    expect(rows.length).toBeGreaterThan(0);
    expect(statuses).toContain(429);
    const used = rows.reduce((sum, row) => sum + tokensOf(row), 0);
    expect(used).toBeLessThanOrEqual(200 + Math.max(...rows.map(tokensOf)));
  });

  it('spend a budget once: never more than one request over it, round-robin', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 45; index += 1) {
      statuses.push(await ask(replicas[index % 3] as TestGateway, key('budget').secret));
    }
    const rows = await servedRows(replicas, key('budget').id);
    expect(rows.length).toBeGreaterThan(0);
    expect(statuses).toContain(403);
    const spent = costOf(rows);
    expect(spent).toBeLessThanOrEqual(0.005 + Math.max(...rows.map((row) => row.costUsd ?? 0)));
  });

  it('hold a budget and a tokens limit with 20 slow requests in flight at once over the three', async () => {
    slowAnswers(replicas);
    try {
      for (const name of ['tiny-budget', 'tiny-tpm']) {
        const statuses = await Promise.all(
          Array.from({ length: 20 }, (_, index) => ask(replicas[index % 3] as TestGateway, key(name).secret)),
        );
        const rows = await servedRows(replicas, key(name).id);
        expect(rows.length, name).toBeGreaterThan(0);
        expect(rows.length, name).toBeLessThan(20);
        expect(statuses.filter((status) => status !== 200).length, name).toBeGreaterThan(0);
        if (name === 'tiny-budget') {
          expect(costOf(rows)).toBeLessThanOrEqual(0.0001 + Math.max(...rows.map((row) => row.costUsd ?? 0)));
        } else {
          const used = rows.reduce((sum, row) => sum + tokensOf(row), 0);
          expect(used).toBeLessThanOrEqual(200 + Math.max(...rows.map(tokensOf)));
        }
      }
    } finally {
      clearFaults(replicas);
    }
  });
});

describe('one replica without Redis', () => {
  let setup: TestGateway;
  beforeAll(async () => {
    setup = await startTestGateway({
      keys: [
        { name: 'tiny-budget', monthlyBudgetUsd: 0.0001 },
        { name: 'tiny-tpm', tokensPerMinute: 200 },
      ],
    });
  });
  afterAll(async () => {
    await setup?.close();
  });

  it('reserves each request in flight: 20 slow requests at once overrun nothing by more than one', async () => {
    slowAnswers([setup]);
    const [budgetKey, tpmKey] = setup.keys as [(typeof setup.keys)[0], (typeof setup.keys)[0]];
    const budgetStatuses = await Promise.all(Array.from({ length: 20 }, () => ask(setup, budgetKey.secret)));
    const tpmStatuses = await Promise.all(Array.from({ length: 20 }, () => ask(setup, tpmKey.secret)));
    const budgetRows = await servedRows([setup], budgetKey.record.id);
    const tpmRows = await servedRows([setup], tpmKey.record.id);

    // The first request reserves more than the whole budget: it alone is served.
    expect(budgetRows).toHaveLength(1);
    expect(budgetStatuses.filter((status) => status === 403)).toHaveLength(19);
    expect(costOf(budgetRows)).toBeLessThanOrEqual(0.0001 + (budgetRows[0]?.costUsd ?? 0));

    expect(tpmRows.length).toBeGreaterThan(0);
    expect(tpmStatuses).toContain(429);
    const used = tpmRows.reduce((sum, row) => sum + tokensOf(row), 0);
    expect(used).toBeLessThanOrEqual(200 + Math.max(...tpmRows.map(tokensOf)));
  });

  it('refuses in the dialect with the same codes as before', async () => {
    const [budgetKey] = setup.keys as [(typeof setup.keys)[0]];
    const response = await fetch(`${setup.url}/model/anthropic.claude-haiku-4-5/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${budgetKey.secret}` },
      body: JSON.stringify({
        anthropic_version: 'bedrock-2023-05-31',
        max_tokens: 40,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toContain('AccessDeniedException');
    expect(await response.text()).toMatch(/monthly budget/);
  });
});

describe('a Redis that cannot be reached', () => {
  let setup: TestGateway;
  beforeAll(async () => {
    setup = await startTestGateway({
      config: { limits: { redisUrl: `redis://127.0.0.1:${await freePort()}`, connectTimeoutMs: 200 } },
      keys: [{ name: 'rpm-2', requestsPerMinute: 2 }],
    });
  });
  afterAll(async () => {
    await setup?.close();
  });

  it('leaves the limits to each process, with one warning, and never stalls a request', async () => {
    const [rpmKey] = setup.keys as [(typeof setup.keys)[0]];
    const statuses: number[] = [];
    for (let index = 0; index < 5; index += 1) statuses.push(await ask(setup, rpmKey.secret));
    expect(statuses).toEqual([200, 200, 429, 429, 429]);
    const warnings = setup.logs.filter(
      (line) => line['level'] === 40 && String(line['msg']).includes('key limits cannot reach Redis'),
    );
    expect(warnings).toHaveLength(1);
  });
});
