/**
 * Rate limit messages in plain English: "1 request per minute", "Retry after 1 second".
 */

import { describe, expect, it } from 'vitest';
import { resolveModel } from '../catalog/resolve.js';
import type { ResolvedTarget } from '../platforms/types.js';
import type { ApiKeyRecord, Store } from '../store/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import type { BudgetSpend } from './budget-crossings.js';
import { estimateUsage, KeyLimits, type LimitSubject } from './limits.js';

describe('KeyLimits messages', () => {
  it('says "1 request per minute" and "Retry after 1 second"', async () => {
    let now = 1_000_000;
    const limits = new KeyLimits({} as Store, () => now);
    const key = {
      id: 'k',
      name: 'k',
      prefix: 'p',
      hash: 'h',
      createdAt: 0,
      requestsPerMinute: 1,
    } as ApiKeyRecord;
    await limits.admit(key);
    now += 59_500;
    const error = await limits.admit(key).catch((thrown: unknown) => thrown as GatewayError);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).message).toBe(
      'This gateway key exceeded its rate limit of 1 request per minute. Retry after 1 second, or ask for a higher limit.',
    );
  });
});

describe('KeyLimits reservations (one process)', () => {
  const key = (limits: Partial<ApiKeyRecord>) =>
    ({ id: 'r', name: 'r', prefix: 'p', hash: 'h', createdAt: 0, ...limits }) as ApiKeyRecord;
  const store = { spendSince: async () => 0 } as unknown as Store;

  it('holds an admitted request against the budget and the tokens until it settles', async () => {
    const limits = new KeyLimits(store, () => 1_000_000);
    const budget = key({ monthlyBudgetUsd: 0.01 });
    const held = await limits.admit(budget, { tokens: 10, costUsd: 0.02 });
    expect(((await limits.admit(budget).catch((error: GatewayError) => error)) as GatewayError).code).toBe(
      'BUDGET_EXCEEDED',
    );
    limits.settle(held, budget.id, 10, 0.001);
    expect(await limits.admit(budget, { tokens: 10, costUsd: 0.001 })).toBeDefined();

    const tokens = key({ id: 't', tokensPerMinute: 100 });
    const first = await limits.admit(tokens, { tokens: 150, costUsd: 0 });
    expect(((await limits.admit(tokens).catch((error: GatewayError) => error)) as GatewayError).code).toBe(
      'RATE_LIMITED',
    );
    limits.settle(first, tokens.id, 20, undefined);
    expect(await limits.admit(tokens, { tokens: 150, costUsd: 0 })).toBeDefined();
  });

  it('reserves nothing for a key without a budget or a tokens limit', async () => {
    const limits = new KeyLimits(store, () => 1_000_000);
    expect(await limits.admit(key({ requestsPerMinute: 5 }), { tokens: 10, costUsd: 1 })).toBeUndefined();
  });
});

describe('KeyLimits budget standings (budget alerts)', () => {
  const store = { spendSince: async () => 0 } as unknown as Store;
  const now = Date.UTC(2026, 11, 5, 12);

  it('reports each budget of any subject with its owner, period and reset, as requests settle and when one is refused', async () => {
    const seen: BudgetSpend[] = [];
    const limits = new KeyLimits(store, () => now, undefined, { observe: (spend) => seen.push(spend) });
    const group: LimitSubject = {
      id: 'group:research',
      who: 'Group "research"',
      owner: { kind: 'group', id: 'research', name: 'research' },
      dailyBudgetUsd: 1,
      monthlyBudgetUsd: 10,
      spendSince: async () => 0,
    };
    const held = await limits.admit(group, { tokens: 10, costUsd: 0.5 });
    limits.settle(held, group.id, 10, 0.9);
    expect(seen).toEqual([
      {
        subject: { kind: 'group', id: 'research', name: 'research' },
        period: 'month',
        limitUsd: 10,
        spentUsd: 0.9,
        resetsAt: Date.UTC(2027, 0, 1),
      },
      {
        subject: { kind: 'group', id: 'research', name: 'research' },
        period: 'day',
        limitUsd: 1,
        spentUsd: 0.9,
        resetsAt: Date.UTC(2026, 11, 6),
      },
    ]);
    seen.length = 0;
    limits.settle(await limits.admit(group, { tokens: 1, costUsd: 0.01 }), group.id, 1, 0.2);
    const refusal = await limits
      .admit(group, { tokens: 1, costUsd: 0.01 })
      .catch((error: GatewayError) => error);
    expect((refusal as GatewayError).code).toBe('POLICY_BUDGET_EXCEEDED');
    // The day's budget refused it: its standing is reported at 100% or more, naming the group.
    expect(seen.at(-1)).toMatchObject({ subject: { kind: 'group' }, period: 'day', spentUsd: 1.1 });
  });

  it('names a gateway key by its own name when it has no owner', async () => {
    const seen: BudgetSpend[] = [];
    const limits = new KeyLimits(store, () => now, undefined, { observe: (spend) => seen.push(spend) });
    const key = {
      id: 'key_1',
      name: 'team-a',
      prefix: 'p',
      hash: 'h',
      createdAt: 0,
      monthlyBudgetUsd: 5,
    } as ApiKeyRecord;
    limits.settle(await limits.admit(key, { tokens: 1, costUsd: 0.1 }), key.id, 1, 0.3);
    expect(seen).toEqual([
      expect.objectContaining({
        subject: { kind: 'key', id: 'key_1', name: 'team-a' },
        period: 'month',
        spentUsd: 0.3,
      }),
    ]);
  });
});

describe('estimateUsage', () => {
  const haiku = resolveModel('claude-haiku-4-5');
  const target = (platform: string, scope?: string) =>
    ({ platform, ...(scope ? { scope } : {}), modelId: 'x', resolved: haiku }) as unknown as ResolvedTarget;

  it('counts body bytes / 4 and max_tokens, and prices the dearest target', () => {
    const one = estimateUsage(400, 1000, 'messages', [target('anthropic')]);
    expect(one.tokens).toBe(1100);
    expect(one.costUsd).toBeGreaterThan(0);
    expect(estimateUsage(400, 1000, 'count_tokens', [target('anthropic')]).tokens).toBe(100);
    expect(estimateUsage(400, 'many', 'messages', []).costUsd).toBe(0);
    const regional = estimateUsage(400, 1000, 'messages', [target('anthropic'), target('bedrock', 'us')]);
    expect(regional.costUsd).toBeGreaterThanOrEqual(one.costUsd);
  });
});
