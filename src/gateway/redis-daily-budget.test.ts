/**
 * A user's daily budget counted in the shared Redis (127.0.0.1:6379, a key
 * prefix of its own): three instances asked at once admit no more than the
 * budget holds, the day's spend is seeded from the log by the user's rows
 * since 00:00 UTC, and the next UTC day starts from that day's log.
 */

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { userPolicy } from '../identity/policy.js';
import type { IdentityStore } from '../store/identity-types.js';
import type { Store } from '../store/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { RedisKeyLimits } from './redis-limits.js';

const REDIS_URL = process.env['CLAUDE_GATEWAY_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const NOW = Date.parse('2026-12-05T12:00:00Z');

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
afterEach(async () => {
  for (const limits of open.splice(0)) await limits.close();
});

describe("a user's daily budget through Redis", () => {
  it('holds over three instances asked at once, seeded from the log since 00:00 UTC, and starts again the next day', async () => {
    const prefix = `cgw-test:${randomUUID()}:`;
    let now = NOW;
    const asked: number[] = [];
    // The log: what the user's rows say they spent since a time.
    const logged = new Map([[Date.parse('2026-12-05T00:00:00Z'), 0.0015]]);
    const identity = {
      userSpendSince: async (_userId: string, since: number) => {
        asked.push(since);
        return logged.get(since) ?? 0;
      },
    } as unknown as IdentityStore;
    const user = {
      id: `usr_${randomUUID().slice(0, 8)}`,
      name: 'alice@example.com',
      source: 'oidc' as const,
      groups: ['eng'],
      policy: {},
      createdAt: NOW,
    };
    const groups = new Map([
      ['eng', { name: 'eng', memberPolicy: { dailyBudgetUsd: 0.005 }, createdAt: NOW }],
    ]);
    const member = userPolicy(user, groups, identity).policy.subjects.find((subject) =>
      subject.id.startsWith('user:'),
    );
    if (!member) throw new Error('no user subject');
    expect(member.dailyBudgetUsd).toBe(0.005);

    const instances = [0, 1, 2].map(() => {
      const limits = new RedisKeyLimits(REDIS_URL, {} as Store, () => now, {
        keyPrefix: prefix,
        reconcileMs: 0,
        logger: () => {},
      });
      open.push(limits);
      return limits;
    });
    for (const instance of instances) await instance.start();

    // $0.0015 spent today by the log; each request holds $0.002. A request is admitted while what is
    // spent and held is under the budget: two, so the budget is passed by at most one request.
    const estimate = { tokens: 100, costUsd: 0.002 };
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        refusal((instances[index % 3] as RedisKeyLimits).admit(member, estimate)),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === undefined)).toHaveLength(2);
    const refused = outcomes.find((outcome) => outcome !== undefined);
    expect(refused?.status).toBe(403);
    expect(refused?.message).toContain(
      'User alice@example.com has spent the daily budget of $0.0050 (spent $0.0055',
    );
    expect(refused?.message).toContain('2026-12-06');
    expect(refused?.message).toContain('claude-gateway users update alice@example.com --daily-budget');
    expect(asked).toContain(Date.parse('2026-12-05T00:00:00Z'));

    const client = new Redis(REDIS_URL);
    try {
      expect(await client.get(`${prefix}{${member.id}}:spend:2026-12-05`)).toBe('1500');
    } finally {
      client.disconnect();
    }

    // The next UTC day: its spend is that day's log (nothing yet), so requests are admitted again.
    now = Date.parse('2026-12-06T00:00:01Z');
    expect(await refusal((instances[1] as RedisKeyLimits).admit(member, estimate))).toBeUndefined();
    expect(asked).toContain(Date.parse('2026-12-06T00:00:00Z'));
  });
});
