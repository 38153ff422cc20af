import type { Catalog } from '../catalog/catalog.js';
import { geoLabel, geoWithin } from '../catalog/geographies.js';
import type { ResolvedModel } from '../catalog/resolve.js';
import { modelAllowedBy } from '../gateway/callers.js';
import type { LimitSubject } from '../gateway/limits.js';
import type {
  GroupRecord,
  IdentityStore,
  MemberPolicy,
  ServiceTokenRecord,
  UserRecord,
} from '../store/identity-types.js';
import type { ApiKeyRecord, Residency } from '../store/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';

/** One allowlist a request's model must pass, with who set it, for the refusal. */
export interface ModelRule {
  /** `group "interns"`, `the user's own policy`, `the key "ci"`. */
  rule: string;
  allowed: string[];
  /** The command that changes it. */
  fix: string;
}

/**
 * What holds for one caller: the intersection of the policies of their key,
 * their user and all their groups. A model must pass every allowlist; the
 * residency is the narrowest of theirs (geographies that do not nest refuse
 * every request); each limit subject counts separately, so the most
 * restrictive of each kind wins.
 */
export interface CallerPolicy {
  /** The caller as refusals name them: `alice@example.com`, `service token "ci"`. */
  who: string;
  modelRules: ModelRule[];
  residency?: Residency;
  /** Set when the policies' geographies do not overlap: every request is refused with it. */
  residencyConflict?: GatewayError;
  /** The key (if any), the user or service token, and the charged group, each with its limits. */
  subjects: LimitSubject[];
}

function smallest(values: (number | undefined)[]): number | undefined {
  const present = values.filter((value): value is number => value !== undefined);
  return present.length > 0 ? Math.min(...present) : undefined;
}

function defined<Value extends object>(value: Value): Value {
  for (const key of Object.keys(value) as (keyof Value)[]) if (value[key] === undefined) delete value[key];
  return value;
}

/**
 * The group a member's requests are charged to: the first of their groups the
 * gateway has. IdP groups the gateway has no policy for only name the team.
 */
export function chargedGroup(
  memberOf: readonly string[],
  groups: ReadonlyMap<string, GroupRecord>,
): GroupRecord | undefined {
  for (const name of memberOf) {
    const group = groups.get(name);
    if (group) return group;
  }
  return undefined;
}

/** The narrowest of several residency rules, or the conflict when they do not nest. */
function narrowest(
  who: string,
  rules: { geo: Residency; source: string }[],
): { residency?: Residency; conflict?: GatewayError } {
  let current: { geo: Residency; source: string } | undefined;
  for (const rule of rules) {
    if (!current || geoWithin(rule.geo, current.geo)) current = rule;
    else if (!geoWithin(current.geo, rule.geo)) {
      return {
        conflict: GatewayError.fromCode('POLICY_RESIDENCY_CONFLICT', {
          who,
          rules: rules.map((each) => `${each.source}: ${geoLabel(each.geo)}`).join('; '),
        }),
      };
    }
  }
  const narrowed = current ? { residency: current.geo } : {};
  return narrowed;
}

interface PolicySource {
  policy: MemberPolicy;
  rule: string;
  fix: string;
}

function combine(
  who: string,
  sources: PolicySource[],
): Pick<CallerPolicy, 'modelRules' | 'residency' | 'residencyConflict'> {
  const modelRules = sources
    .filter((source) => source.policy.allowedModels && source.policy.allowedModels.length > 0)
    .map((source) => ({ rule: source.rule, allowed: source.policy.allowedModels ?? [], fix: source.fix }));
  const { residency, conflict } = narrowest(
    who,
    sources.flatMap((source) =>
      source.policy.residency ? [{ geo: source.policy.residency, source: source.rule }] : [],
    ),
  );
  return defined({ modelRules, residency, residencyConflict: conflict });
}

/** Each member's own limits: the smallest of the user's and every group's. */
function memberLimits(policies: MemberPolicy[]): Omit<MemberPolicy, 'allowedModels' | 'residency'> {
  return defined({
    dailyBudgetUsd: smallest(policies.map((policy) => policy.dailyBudgetUsd)),
    monthlyBudgetUsd: smallest(policies.map((policy) => policy.monthlyBudgetUsd)),
    requestsPerMinute: smallest(policies.map((policy) => policy.requestsPerMinute)),
    tokensPerMinute: smallest(policies.map((policy) => policy.tokensPerMinute)),
  });
}

function groupSubject(group: GroupRecord, identity: IdentityStore): LimitSubject {
  return defined({
    id: `group:${group.name}`,
    who: `Group "${group.name}"`,
    owner: { kind: 'group', id: group.name, name: group.name },
    raise: `claude-gateway groups update ${group.name} --group-daily-budget/--group-monthly-budget USD`,
    dailyBudgetUsd: group.dailyBudgetUsd,
    monthlyBudgetUsd: group.monthlyBudgetUsd,
    spendSince: (since: number) => identity.groupSpendSince(group.name, since),
  });
}

/**
 * A user's policy (signed in, or through one of their keys): theirs, their
 * groups' and the key's own, intersected.
 */
export function userPolicy(
  user: UserRecord,
  groups: ReadonlyMap<string, GroupRecord>,
  identity: IdentityStore,
  key?: ApiKeyRecord,
): { policy: CallerPolicy; group?: GroupRecord } {
  const who = user.name;
  const memberGroups = user.groups.flatMap((name) => {
    const group = groups.get(name);
    return group ? [group] : [];
  });
  const sources: PolicySource[] = [
    ...(key
      ? [
          {
            policy: {
              ...(key.allowedModels ? { allowedModels: key.allowedModels } : {}),
              ...(key.residency ? { residency: key.residency } : {}),
            },
            rule: `the key "${key.name}"`,
            fix: `claude-gateway keys update ${key.name} --models …`,
          },
        ]
      : []),
    {
      policy: user.policy,
      rule: 'your own user policy',
      fix: `claude-gateway users update ${user.name} --models …`,
    },
    ...memberGroups.map((group) => ({
      policy: group.memberPolicy,
      rule: `group "${group.name}"`,
      fix: `claude-gateway groups update ${group.name} --models …`,
    })),
  ];
  const charged = chargedGroup(user.groups, groups);
  const subjects: LimitSubject[] = [
    ...(key ? [key] : []),
    {
      id: `user:${user.id}`,
      who: `User ${user.name}`,
      owner: { kind: 'user', id: user.id, name: user.name },
      raise: `claude-gateway users update ${user.name} --daily-budget/--monthly-budget/--rpm/--tpm`,
      ...memberLimits([user.policy, ...memberGroups.map((group) => group.memberPolicy)]),
      spendSince: (since: number) => identity.userSpendSince(user.id, since),
    },
    ...(charged ? [groupSubject(charged, identity)] : []),
  ];
  return { policy: { who, ...combine(who, sources), subjects }, ...(charged ? { group: charged } : {}) };
}

/** A service token's policy: its group's, each limit for the token as one member. */
export function serviceTokenPolicy(
  token: ServiceTokenRecord,
  group: GroupRecord | undefined,
  identity: IdentityStore,
): CallerPolicy {
  const who = `service token "${token.name}"`;
  const memberPolicy = group?.memberPolicy ?? {};
  return {
    who,
    ...combine(who, [
      {
        policy: memberPolicy,
        rule: `group "${token.group}"`,
        fix: `claude-gateway groups update ${token.group} --models …`,
      },
    ]),
    subjects: [
      {
        id: `token:${token.id}`,
        who: `Service token "${token.name}"`,
        owner: { kind: 'token', id: token.id, name: token.name },
        raise: `claude-gateway groups update ${token.group} --daily-budget/--monthly-budget/--rpm/--tpm`,
        ...memberLimits([memberPolicy]),
        spendSince: (since: number) => identity.serviceTokenSpendSince(token.id, since),
      },
      ...(group ? [groupSubject(group, identity)] : []),
    ],
  };
}

/** Throws the refusal naming the rule when any allowlist of the caller's policy keeps the model out. */
export function checkModelAllowed(
  policy: CallerPolicy,
  requested: string | ResolvedModel,
  catalog?: Catalog,
): void {
  for (const rule of policy.modelRules) {
    if (modelAllowedBy(rule.allowed, requested, catalog)) continue;
    throw GatewayError.fromCode('POLICY_MODEL_NOT_ALLOWED', {
      model: typeof requested === 'string' ? requested : requested.requested,
      who: policy.who,
      rule: rule.rule,
      allowed: rule.allowed.join(', '),
      fix: rule.fix,
    });
  }
}
