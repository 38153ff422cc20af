import type { MemberPolicy, PolicyChanges } from '../store/identity-types.js';
import { StoreError } from '../store/store-error.js';
import { RESIDENCIES } from '../store/types.js';
import { CliError } from './command.js';
import { amount, isNone, list, residencyOf } from './setting-flags.js';

/** The member-policy flags of `users create|update` and `groups create|update`. */
export const POLICY_OPTIONS = {
  models: { type: 'string' },
  residency: { type: 'string' },
  'daily-budget': { type: 'string' },
  'monthly-budget': { type: 'string' },
  rpm: { type: 'string' },
  tpm: { type: 'string' },
} as const;

/** The help lines of those flags, indented for a subcommand's options. */
export const POLICY_HELP = `      --models a,b          models allowed (names, aliases, ids or globs like claude-haiku-*)
      --residency G         only targets inside a geography: ${RESIDENCIES.join(', ')}
      --daily-budget USD    spend per UTC day, US dollars
      --monthly-budget USD  spend per UTC month, US dollars
      --rpm N               requests per minute
      --tpm N               tokens per minute`;

type PolicyValues = { [Flag in keyof typeof POLICY_OPTIONS]?: string | undefined };

/**
 * The policy the flags give; with `removable` (updates), `none` removes a
 * rule (`--models none`). Flags left out are left out.
 *
 * @example
 * policyFromFlags({ 'daily-budget': '5', models: 'sonnet' }) // { allowedModels: ['sonnet'], dailyBudgetUsd: 5 }
 */
export function policyFromFlags(values: PolicyValues, removable = false): PolicyChanges {
  const policy: PolicyChanges = {};
  const removed = (value: string | undefined) => removable && isNone(value);
  if (values.models !== undefined) policy.allowedModels = removed(values.models) ? null : list(values.models);
  if (values.residency !== undefined) {
    policy.residency = removed(values.residency) ? null : residencyOf(values.residency);
  }
  const numbers = [
    ['daily-budget', 'dailyBudgetUsd', false],
    ['monthly-budget', 'monthlyBudgetUsd', false],
    ['rpm', 'requestsPerMinute', true],
    ['tpm', 'tokensPerMinute', true],
  ] as const;
  for (const [flag, field, whole] of numbers) {
    const value = values[flag];
    if (value === undefined) continue;
    policy[field] = removed(value) ? null : amount(value, `--${flag}`, whole);
  }
  return policy;
}

/** A policy in one line: `models sonnet, haiku; $5/day; 60 requests/min`. */
export function describeMemberPolicy(policy: MemberPolicy): string {
  const parts = [
    policy.allowedModels?.length ? `models ${policy.allowedModels.join(', ')}` : 'any model',
    policy.residency ? `residency ${policy.residency}` : undefined,
    policy.dailyBudgetUsd !== undefined ? `$${policy.dailyBudgetUsd}/day` : undefined,
    policy.monthlyBudgetUsd !== undefined ? `$${policy.monthlyBudgetUsd}/month` : undefined,
    policy.requestsPerMinute !== undefined ? `${policy.requestsPerMinute} requests/min` : undefined,
    policy.tokensPerMinute !== undefined ? `${policy.tokensPerMinute} tokens/min` : undefined,
  ];
  return parts.filter(Boolean).join('; ');
}

/** A list flag of names (`--groups eng,ops`); `none` (with `removable`) is the empty list. */
export function namesFlag(value: string | undefined, flag: string, removable = false): string[] | undefined {
  if (value === undefined) return undefined;
  if (removable && isNone(value)) return [];
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) throw new CliError(`${flag} needs at least one name, e.g. ${flag} eng,ops`);
  return names;
}

/** Runs a store call, its input mistakes as one-line CLI errors (exit 1). */
export async function storeCall<Result>(call: () => Promise<Result>): Promise<Result> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof StoreError) throw new CliError(error.message, 1);
    throw error;
  }
}

/** The one positional a subcommand takes (a user, a group, a token). */
export function onePositional(positionals: string[], usage: string, what: string): string {
  const [first, ...extra] = positionals;
  if (!first) throw new CliError(`${usage} needs ${what}`);
  if (extra.length > 0)
    throw new CliError(`${usage} takes one ${what.replace(/^(the|a|an) /, '')}; got ${positionals.length}`);
  return first;
}

/**
 * The name a `create` subcommand is given: positional (`keys create ci`), as
 * `users create` and `groups create` take it, or with `--name` (kept working);
 * both at once must agree. Undefined when neither is given.
 */
export function nameArgument(
  positionals: string[],
  flag: string | undefined,
  usage: string,
): string | undefined {
  const positional = positionals.length > 0 ? onePositional(positionals, usage, 'a name').trim() : undefined;
  const named = flag?.trim();
  if (positional !== undefined && named !== undefined && positional !== named)
    throw new CliError(`${usage} got two names, "${positional}" and --name "${named}": give one`);
  return positional || named || undefined;
}

/** `--help`/`-h` anywhere, or no subcommand: the help (exit 0, or 2 when nothing was asked). */
export function wantsHelp(argv: string[]): boolean {
  return argv.length === 0 || argv.includes('--help') || argv.includes('-h');
}
