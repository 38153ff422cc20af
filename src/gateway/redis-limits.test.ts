/**
 * RedisKeyLimits on the shared Redis (CI starts it on 127.0.0.1:6379), each
 * test under its own key prefix: admissions are atomic across instances, the
 * month's spend is seeded from and reconciled with the log, reservations
 * expire, and a Redis that goes away leaves the limits to each process.
 */

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ApiKeyRecord, Store } from '../store/types.js';
import { type ChildServer, eventually, startRedisServer } from '../test-support/child-servers.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { RedisKeyLimits } from './redis-limits.js';

const REDIS_URL = process.env['CLAUDE_GATEWAY_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const NOW = Date.parse('2026-12-05T12:00:00Z');

/** A store whose log says a key spent `logged` this month. */
function storeWithSpend(logged: { usd: number }): Store {
  return { spendSince: async () => logged.usd } as unknown as Store;
}

function keyWith(limits: Partial<ApiKeyRecord>): ApiKeyRecord {
  return { id: `key_${randomUUID()}`, name: 'k', prefix: 'p', hash: 'h', createdAt: 0, ...limits };
}

async function refusal(promise: Promise<unknown>): Promise<GatewayError | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
}

const open: RedisKeyLimits[] = [];
function limitsOn(
  store: Store,
  options: { prefix: string; clock?: () => number; url?: string; logs?: string[] },
): RedisKeyLimits {
  const limits = new RedisKeyLimits(options.url ?? REDIS_URL, store, options.clock ?? (() => NOW), {
    keyPrefix: options.prefix,
    reconcileMs: 0,
    probeMs: 50,
    warnEveryMs: 0,
    logger: (_level, message) => options.logs?.push(message),
  });
  open.push(limits);
  return limits;
}
afterEach(async () => {
  for (const limits of open.splice(0)) await limits.close();
});

describe('RedisKeyLimits', () => {
  it('admits exactly the rpm over three instances asked at once', async () => {
    const prefix = `cgw-test:${randomUUID()}:`;
    const store = storeWithSpend({ usd: 0 });
    const instances = [limitsOn(store, { prefix }), limitsOn(store, { prefix }), limitsOn(store, { prefix })];
    for (const instance of instances) await instance.start();
    const key = keyWith({ requestsPerMinute: 6 });
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, index) => refusal((instances[index % 3] as RedisKeyLimits).admit(key))),
    );
    expect(outcomes.filter((outcome) => outcome === undefined)).toHaveLength(6);
    expect(outcomes.filter((outcome) => outcome?.code === 'RATE_LIMITED')).toHaveLength(24);
  });

  it("seeds the month's spend from the log, counts reservations, and settles to the real cost", async () => {
    const prefix = `cgw-test:${randomUUID()}:`;
    const logged = { usd: 0.004 };
    const [one, two] = [
      limitsOn(storeWithSpend(logged), { prefix }),
      limitsOn(storeWithSpend(logged), { prefix }),
    ];
    await one?.start();
    await two?.start();
    const key = keyWith({ monthlyBudgetUsd: 0.005 });
    const estimate = { tokens: 100, costUsd: 0.002 };
    const first = await one?.admit(key, estimate);
    expect(first?.shared).toBe(true);
    // 0.004 spent + 0.002 held: the other instance refuses, naming both.
    const refused = await refusal(two?.admit(key, estimate) as Promise<unknown>);
    expect(refused?.code).toBe('BUDGET_EXCEEDED');
    expect(refused?.message).toContain('spent $0.0060');
    one?.settle(first, key.id, 100, 0.0005);
    // On the settling instance's connection the settlement comes first: 0.0045 spent, nothing held.
    expect(await refusal(one?.admit(key, estimate) as Promise<unknown>)).toBeUndefined();
    // Held again by that admission: the other instance refuses.
    expect((await refusal(two?.admit(key, estimate) as Promise<unknown>))?.code).toBe('BUDGET_EXCEEDED');
  });

  it("raises Redis's month spend to the log's, never lowers it", async () => {
    const prefix = `cgw-test:${randomUUID()}:`;
    const logged = { usd: 0 };
    const limits = limitsOn(storeWithSpend(logged), { prefix });
    await limits.start();
    const key = keyWith({ monthlyBudgetUsd: 0.01 });
    limits.settle(await limits.admit(key, { tokens: 1, costUsd: 0.000001 }), key.id, 1, 0.000001);
    // Requests counted elsewhere (per process while Redis was away) show in the log.
    logged.usd = 0.02;
    await limits.reconcile();
    expect((await refusal(limits.admit(key)))?.code).toBe('BUDGET_EXCEEDED');
    logged.usd = 0;
    await limits.reconcile();
    expect((await refusal(limits.admit(key)))?.code).toBe('BUDGET_EXCEEDED');
  });

  it('stops counting a reservation never settled at its deadline (a replica that died)', async () => {
    const prefix = `cgw-test:${randomUUID()}:`;
    let now = NOW;
    const limits = limitsOn(storeWithSpend({ usd: 0 }), { prefix, clock: () => now });
    await limits.start();
    const key = keyWith({ tokensPerMinute: 100 });
    await limits.admit(key, { tokens: 150, costUsd: 0 });
    expect((await refusal(limits.admit(key, { tokens: 1, costUsd: 0 })))?.code).toBe('RATE_LIMITED');
    now += 15 * 60_000;
    expect(await refusal(limits.admit(key, { tokens: 1, costUsd: 0 }))).toBeUndefined();
  });
});

describe('RedisKeyLimits when Redis goes away', () => {
  let redis: ChildServer | undefined;
  afterAll(async () => {
    await redis?.dispose();
  });

  it('decides per process at once, warns once, and shares again when Redis is back', async () => {
    redis = await startRedisServer();
    const logs: string[] = [];
    const url = `redis://127.0.0.1:${redis.port}`;
    const limits = limitsOn(storeWithSpend({ usd: 0 }), { prefix: 'cgw-test:', url, logs });
    await limits.start();
    expect(limits.shared).toBe(true);
    const key = keyWith({ requestsPerMinute: 2, monthlyBudgetUsd: 1 });
    await limits.admit(key);

    await redis.stop();
    // Per process now: this process has counted nothing of the key yet, so 2 more, then refusals.
    const outcomes = [];
    for (let index = 0; index < 4; index += 1) outcomes.push((await refusal(limits.admit(key)))?.code);
    expect(outcomes).toEqual([undefined, undefined, 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(logs.filter((line) => line.includes('cannot reach Redis'))).toHaveLength(1);

    await redis.start();
    await eventually(() => limits.shared, 20_000, 'Redis to be used again');
    expect(logs.filter((line) => line.includes('again'))).toHaveLength(1);
    // Shared again, by a Redis that kept nothing (no persistence): its window starts empty, its spend is seeded.
    expect(await refusal(limits.admit(key))).toBeUndefined();
    expect(await refusal(limits.admit(key))).toBeUndefined();
    expect((await refusal(limits.admit(key)))?.code).toBe('RATE_LIMITED');
  });
});

describe('RedisKeyLimits keys', () => {
  it('keeps every counter of a key under one prefix and hash tag', async () => {
    const prefix = `cgw-test:${randomUUID()}:`;
    const limits = limitsOn(storeWithSpend({ usd: 0 }), { prefix });
    await limits.start();
    const key = keyWith({ requestsPerMinute: 5, tokensPerMinute: 1000, monthlyBudgetUsd: 1 });
    limits.settle(await limits.admit(key, { tokens: 10, costUsd: 0.001 }), key.id, 10, 0.001);
    const client = new Redis(REDIS_URL);
    try {
      // The settlement is not awaited by the request: poll for it (bounded, only to detect a loss).
      for (let tries = 0; tries < 100; tries += 1) {
        if ((await client.get(`${prefix}{${key.id}}:spend:2026-12`)) === '1000') break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const keys = (await client.keys(`${prefix}*`)).sort();
      expect(keys).toEqual([
        `${prefix}{${key.id}}:rpm`,
        `${prefix}{${key.id}}:spend:2026-12`,
        `${prefix}{${key.id}}:tpm`,
      ]);
      expect(await client.get(`${prefix}{${key.id}}:spend:2026-12`)).toBe('1000');
      for (const name of keys) expect(await client.ttl(name)).toBeGreaterThan(0);
    } finally {
      client.disconnect();
    }
  });
});
