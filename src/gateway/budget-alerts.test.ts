/**
 * Budget alerts decide crossings: one alert per threshold per budget period
 * (whatever the number of settlements), a new period or a raised limit starts
 * afresh, a jump past two thresholds sends both, and a crossing another
 * gateway claimed first (in Redis or the store) is not sent again.
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../clock.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { BudgetAlertRecord, Store } from '../store/types.js';
import { eventually } from '../test-support/child-servers.js';
import { type BudgetAlertPayload, BudgetAlerts, type RedisClaim } from './budget-alerts.js';
import type { BudgetSpend } from './budget-crossings.js';

const NOW = Date.parse('2026-12-05T12:00:00Z');
const RESET = Date.parse('2027-01-01T00:00:00Z');

let store: Store;
beforeEach(async () => {
  store = await openSqliteStore({ path: ':memory:' });
});
afterEach(() => store.close());

function spend(spentUsd: number, overrides: Partial<BudgetSpend> = {}): BudgetSpend {
  return {
    subject: { kind: 'key', id: 'key_1', name: 'team-a' },
    period: 'month',
    limitUsd: 100,
    spentUsd,
    resetsAt: RESET,
    ...overrides,
  };
}

function alerts(options: { redisClaim?: RedisClaim; claimStore?: Pick<Store, 'claimBudgetAlert'> } = {}) {
  const sent: BudgetAlertPayload[] = [];
  const warnings: string[] = [];
  const observer = new BudgetAlerts({
    send: (body) => sent.push(body),
    store: options.claimStore ?? store,
    clock: fixedClock(NOW),
    logger: (_level, message) => warnings.push(message),
    ...(options.redisClaim ? { redisClaim: options.redisClaim } : {}),
  });
  return { observer, sent, warnings };
}

/** Lets claims (store or Redis round trips) finish. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('BudgetAlerts', () => {
  it('sends each threshold once per period, with who, which budget, spent and the reset date', async () => {
    const { observer, sent } = alerts();
    for (const usd of [10, 50, 79.99, 80, 80.5, 85, 99]) observer.observe(spend(usd));
    await settled();
    expect(sent).toEqual([
      {
        type: 'budget_threshold_crossed',
        text: 'Gateway key "team-a" has spent $80.00 of its $100.00 monthly budget (over 80%); it resets on 2027-01-01 UTC.',
        subject: { kind: 'key', id: 'key_1', name: 'team-a' },
        budget: { period: 'month', limitUsd: 100 },
        threshold: 0.8,
        thresholdUsd: 80,
        spentUsd: 80,
        resetsAt: '2027-01-01T00:00:00.000Z',
        time: '2026-12-05T12:00:00.000Z',
      },
    ]);
    observer.observe(spend(100.02));
    observer.observe(spend(101));
    await settled();
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ threshold: 1, spentUsd: 100.02 });
    expect(sent[1]?.text).toBe(
      'Gateway key "team-a" has reached its $100.00 monthly budget ($100.02 spent): requests are refused until it resets on 2027-01-01 UTC.',
    );
  });

  it('starts afresh in a new period and for a raised limit, and sends both thresholds of one jump', async () => {
    const { observer, sent } = alerts();
    observer.observe(spend(85));
    observer.observe(spend(85, { resetsAt: Date.parse('2027-02-01T00:00:00Z') }));
    observer.observe(spend(130, { limitUsd: 150 }));
    observer.observe(
      spend(0.5, { subject: { kind: 'group', id: 'g1', name: 'research' }, period: 'day', limitUsd: 0.4 }),
    );
    await settled();
    expect(
      sent.map((alert) => [alert.subject.name, alert.budget.limitUsd, alert.threshold, alert.resetsAt]),
    ).toEqual([
      ['team-a', 100, 0.8, '2027-01-01T00:00:00.000Z'],
      ['team-a', 100, 0.8, '2027-02-01T00:00:00.000Z'],
      ['team-a', 150, 0.8, '2027-01-01T00:00:00.000Z'],
      ['research', 0.4, 0.8, '2027-01-01T00:00:00.000Z'],
      ['research', 0.4, 1, '2027-01-01T00:00:00.000Z'],
    ]);
    expect(sent.at(-1)?.text).toContain('Group "research" has reached its $0.40 daily budget');
  });

  it('does not send what another gateway recorded first, in the store or in Redis', async () => {
    const first = alerts();
    const second = alerts();
    first.observer.observe(spend(90));
    second.observer.observe(spend(91));
    await settled();
    expect(first.sent.length + second.sent.length).toBe(1);
    const claims = new Set<string>();
    const redisClaim: RedisClaim = async (name) => {
      if (claims.has(name)) return false;
      claims.add(name);
      return true;
    };
    const viaRedis = [alerts({ redisClaim }), alerts({ redisClaim })];
    for (const { observer } of viaRedis)
      observer.observe(spend(100, { subject: { kind: 'user', id: 'u1', name: 'Ada' } }));
    await settled();
    expect(viaRedis.flatMap(({ sent }) => sent.map((alert) => alert.threshold))).toEqual([0.8, 1]);
    // The store has the rows Redis decided, so a Redis outage later does not send them again.
    const fallback = alerts({ redisClaim: async () => undefined });
    fallback.observer.observe(spend(100, { subject: { kind: 'user', id: 'u1', name: 'Ada' } }));
    await settled();
    expect(fallback.sent).toEqual([]);
  });

  it('tries a crossing again with the next settlement when it could not be recorded', async () => {
    let failures = 1;
    const claimStore: Pick<Store, 'claimBudgetAlert'> = {
      claimBudgetAlert: async (alert: BudgetAlertRecord) => {
        if (failures-- > 0) throw new Error('store unreachable');
        return store.claimBudgetAlert(alert);
      },
    };
    const { observer, sent, warnings } = alerts({ claimStore });
    observer.observe(spend(81));
    await eventually(() => warnings.length === 1);
    expect(sent).toEqual([]);
    observer.observe(spend(82));
    await eventually(() => sent.length === 1);
    expect(sent[0]).toMatchObject({ threshold: 0.8, spentUsd: 82 });
  });
});
