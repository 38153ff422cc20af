/**
 * The intersection of a caller's policies (their key's, their own, their
 * groups'): residency narrowed or in conflict, every allowlist applied, and
 * the smallest of each limit for the member.
 */

import { describe, expect, it } from 'vitest';
import type { GroupRecord, IdentityStore, UserRecord } from '../store/identity-types.js';
import type { ApiKeyRecord } from '../store/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { chargedGroup, checkModelAllowed, serviceTokenPolicy, userPolicy } from './policy.js';

const NOW = Date.parse('2026-12-05T12:00:00Z');
/** Spend is not read when a policy is built: only its functions are kept. */
const identity = {} as IdentityStore;

function user(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id: 'usr_1',
    name: 'alice@example.com',
    source: 'oidc',
    groups: [],
    policy: {},
    createdAt: NOW,
    ...overrides,
  };
}

function groups(...list: (Partial<GroupRecord> & { name: string })[]): Map<string, GroupRecord> {
  return new Map(list.map((group) => [group.name, { memberPolicy: {}, createdAt: NOW, ...group }]));
}

function refusal(run: () => void): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('residency', () => {
  it('is the narrowest of nested rules', () => {
    const { policy } = userPolicy(
      user({ groups: ['eng', 'emea'], policy: { residency: 'europe' } }),
      groups({ name: 'eng' }, { name: 'emea', memberPolicy: { residency: 'eu' } }),
      identity,
    );
    expect(policy.residency).toBe('eu');
    expect(policy.residencyConflict).toBeUndefined();
  });

  it('is a conflict naming every rule when the geographies do not overlap', () => {
    const { policy } = userPolicy(
      user({ groups: ['emea'], policy: { residency: 'jp' } }),
      groups({ name: 'emea', memberPolicy: { residency: 'eu' } }),
      identity,
    );
    expect(policy.residency).toBeUndefined();
    expect(policy.residencyConflict?.status).toBe(403);
    expect(policy.residencyConflict?.message).toContain('alice@example.com');
    expect(policy.residencyConflict?.message).toContain('your own user policy: ');
    expect(policy.residencyConflict?.message).toContain('group "emea": ');
  });

  it("counts a key's residency with the user's", () => {
    const key = { id: 'key_1', name: 'laptop', residency: 'us' } as ApiKeyRecord;
    const { policy } = userPolicy(user({ policy: { residency: 'eu' } }), groups(), identity, key);
    expect(policy.residencyConflict?.message).toContain('the key "laptop": ');
  });
});

describe('allowlists', () => {
  it("are all applied: a model must pass the key's, the user's and every group's", () => {
    const key = { id: 'key_1', name: 'laptop', allowedModels: ['sonnet', 'haiku', 'opus'] } as ApiKeyRecord;
    const { policy } = userPolicy(
      user({ groups: ['eng', 'cheap'], policy: { allowedModels: ['sonnet', 'haiku'] } }),
      groups(
        { name: 'eng', memberPolicy: { allowedModels: ['claude-*'] } },
        { name: 'cheap', memberPolicy: { allowedModels: ['haiku'] } },
      ),
      identity,
      key,
    );
    expect(policy.modelRules.map((rule) => rule.rule)).toEqual([
      'the key "laptop"',
      'your own user policy',
      'group "eng"',
      'group "cheap"',
    ]);
    expect(() => checkModelAllowed(policy, 'claude-haiku-5-5')).not.toThrow();
    const sonnet = refusal(() => checkModelAllowed(policy, 'claude-sonnet-5-5'));
    expect(sonnet.status).toBe(403);
    expect(sonnet.message).toContain('group "cheap" allows only haiku');
    expect(sonnet.message).toContain('claude-gateway groups update cheap --models');
    const opus = refusal(() => checkModelAllowed(policy, 'claude-opus-5-5'));
    expect(opus.message).toContain('your own user policy allows only sonnet, haiku');
    expect(opus.message).toContain('claude-gateway users update alice@example.com --models');
  });

  it('let everything through when none is set', () => {
    const { policy } = userPolicy(user({ groups: ['eng'] }), groups({ name: 'eng' }), identity);
    expect(policy.modelRules).toEqual([]);
    expect(() => checkModelAllowed(policy, 'claude-opus-5-5')).not.toThrow();
  });
});

describe('limits', () => {
  it("are the smallest of the user's and every group's for the member, with the charged group's budgets apart", () => {
    const { policy, group } = userPolicy(
      user({
        groups: ['idp-only', 'eng', 'ops'],
        policy: { dailyBudgetUsd: 10, requestsPerMinute: 100 },
      }),
      groups(
        { name: 'eng', memberPolicy: { dailyBudgetUsd: 5, tokensPerMinute: 50_000 }, monthlyBudgetUsd: 900 },
        { name: 'ops', memberPolicy: { dailyBudgetUsd: 20, monthlyBudgetUsd: 40, requestsPerMinute: 30 } },
      ),
      identity,
    );
    // The first group the gateway has is the one charged; an IdP group with no policy here only names the team.
    expect(group?.name).toBe('eng');
    const [member, charged] = policy.subjects;
    expect(member).toMatchObject({
      id: 'user:usr_1',
      dailyBudgetUsd: 5,
      monthlyBudgetUsd: 40,
      requestsPerMinute: 30,
      tokensPerMinute: 50_000,
      raise: 'claude-gateway users update alice@example.com --daily-budget/--monthly-budget/--rpm/--tpm',
    });
    expect(charged).toMatchObject({ id: 'group:eng', monthlyBudgetUsd: 900 });
    expect(charged?.raise).toBe(
      'claude-gateway groups update eng --group-daily-budget/--group-monthly-budget USD',
    );
    expect(policy.subjects).toHaveLength(2);
  });

  it("put a user's key first, with its own limits", () => {
    const key = { id: 'key_1', name: 'laptop', monthlyBudgetUsd: 3 } as ApiKeyRecord;
    const { policy } = userPolicy(user(), groups(), identity, key);
    expect(policy.subjects[0]).toBe(key);
    expect(policy.subjects.map((subject) => subject.id)).toEqual(['key_1', 'user:usr_1']);
  });

  it("hold a service token to its group's member policy, and charge the group", () => {
    const policy = serviceTokenPolicy(
      {
        id: 'svc_1',
        name: 'ci',
        prefix: 'cgwt_abcd',
        hash: 'x',
        group: 'ci',
        createdAt: NOW,
        expiresAt: NOW + 1,
      },
      {
        name: 'ci',
        memberPolicy: { allowedModels: ['haiku'], requestsPerMinute: 6 },
        dailyBudgetUsd: 2,
        createdAt: NOW,
      },
      identity,
    );
    expect(policy.who).toBe('service token "ci"');
    expect(
      policy.subjects.map((subject) => [subject.id, subject.requestsPerMinute ?? subject.dailyBudgetUsd]),
    ).toEqual([
      ['token:svc_1', 6],
      ['group:ci', 2],
    ]);
    expect(refusal(() => checkModelAllowed(policy, 'claude-opus-5-5')).message).toContain(
      'group "ci" allows only haiku',
    );
  });
});

describe('chargedGroup', () => {
  it('is the first of the member groups the gateway has', () => {
    const table = groups({ name: 'b' }, { name: 'c' });
    expect(chargedGroup(['a', 'c', 'b'], table)?.name).toBe('c');
    expect(chargedGroup(['a'], table)).toBeUndefined();
  });
});
