import { parseArgs } from 'node:util';
import { checkNewGroups, noSuchUser } from '../identity/membership.js';
import type { UserChanges, UserRecord } from '../store/identity-types.js';
import { CliError, type CommandContext } from './command.js';
import {
  describeMemberPolicy,
  namesFlag,
  onePositional,
  POLICY_HELP,
  POLICY_OPTIONS,
  policyFromFlags,
  storeCall,
  wantsHelp,
} from './policy-flags.js';
import {
  countCell,
  dollarsCell,
  isNone,
  takesEffect,
  unknownModelNotes,
  when,
  withStore,
} from './setting-flags.js';
import { formatTable } from './table.js';

export const USERS_HELP = `Usage: claude-gateway users <list|create|update|disable> [options]

Manages the gateway's users in the store of the configuration (store.url), so it works
with the gateway stopped. Users signed in through the identity provider appear on their
first sign-in; administrators can create others (and give them keys: keys create --user).
A user's policy is intersected with their groups': the narrowest allowlist and residency
hold, and each of their limits is the smallest set for them or any of their groups.
Running gateways on Postgres apply changes at once; on SQLite, within 30 seconds.

  users list [--json]              the users, their groups, policy and status
  users create NAME [options]      create a user
      --email E             their e-mail (someone who signs in through the identity
                            provider is another user, kept by issuer and subject)
      --groups a,b          their groups, in order: requests are charged to the first the
                            gateway has (groups must exist: groups create)
${POLICY_HELP}
  users update <id|name|email> [options]
                                   change a user: --name, --email, --groups and the policy
                                   flags as for create; "none" removes one (--daily-budget none,
                                   --groups none); --disable / --enable
  users disable <id|name|email>    refuse the user's keys and sign-ins, and end their sessions

Options for every subcommand:
  --config FILE    configuration file (default ./claude-gateway.yaml when present)
  -h, --help       show this help`;

function status(user: UserRecord): string {
  return user.disabledAt !== undefined ? `disabled ${when(user.disabledAt).slice(0, 10)}` : 'active';
}

function describeUser(user: UserRecord): string {
  const groups = user.groups.length > 0 ? `groups ${user.groups.join(', ')}` : 'no groups';
  return `${user.name} (${user.id}): ${groups}; own policy: ${describeMemberPolicy(user.policy)}; ${status(user)}`;
}

const USER_OPTIONS = {
  name: { type: 'string' },
  email: { type: 'string' },
  groups: { type: 'string' },
  ...POLICY_OPTIONS,
  config: { type: 'string' },
} as const;

async function create(argv: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: USER_OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const name = positionals.length > 0 ? onePositional(positionals, 'users create', 'a name') : values.name;
  if (!name?.trim())
    throw new CliError('users create needs a name, e.g. users create alice --email alice@example.com');
  const groups = namesFlag(values.groups, '--groups');
  const policy = policyFromFlags(values);
  return withStore(values.config, context, async (store, now) => {
    const user = await storeCall(async () => {
      await checkNewGroups(store.identity, groups);
      return store.identity.createUser(
        {
          name: name.trim(),
          ...(values.email !== undefined ? { email: values.email } : {}),
          ...(groups ? { groups } : {}),
          ...(Object.keys(policy).length > 0 ? { policy: policy as UserRecord['policy'] } : {}),
        },
        now,
      );
    });
    context.out(`Created user ${describeUser(user)}.`);
    for (const note of unknownModelNotes(user.policy.allowedModels ?? [], 'the policy')) context.error(note);
    context.out(`Give them a key with: claude-gateway keys create ${user.name}-laptop --user ${user.name}`);
    return 0;
  });
}

async function list(argv: string[], context: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean', default: false }, config: { type: 'string' } },
    strict: true,
  });
  return withStore(values.config, context, async (store) => {
    const users = await storeCall(() => store.identity.listUsers());
    if (values.json) {
      for (const user of users) context.out(JSON.stringify(user));
      return 0;
    }
    if (users.length === 0) {
      context.out(
        'No users yet. They appear at their first sign-in, or create one with `claude-gateway users create NAME`.',
      );
      return 0;
    }
    const rows = users.map((user) => [
      user.id,
      user.name,
      user.email ?? '-',
      user.source,
      user.groups.join(', ') || '-',
      user.policy.allowedModels?.join(', ') ?? 'any',
      user.policy.residency ?? '-',
      dollarsCell(user.policy.dailyBudgetUsd),
      dollarsCell(user.policy.monthlyBudgetUsd),
      countCell(user.policy.requestsPerMinute),
      countCell(user.policy.tokensPerMinute),
      user.lastLoginAt !== undefined ? when(user.lastLoginAt) : 'never',
      status(user),
    ]);
    const headers = [
      'ID',
      'NAME',
      'EMAIL',
      'SOURCE',
      'GROUPS',
      'MODELS',
      'RESIDENCY',
      'BUDGET/DAY',
      'BUDGET/MONTH',
      'RPM',
      'TPM',
      'LAST SIGN-IN',
      'STATUS',
    ];
    for (const line of formatTable(headers, rows)) context.out(line);
    return 0;
  });
}

async function update(argv: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      ...USER_OPTIONS,
      disable: { type: 'boolean' },
      enable: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  const reference = onePositional(
    positionals,
    'users update',
    'the user: their id, name or e-mail (see `users list`)',
  );
  if (values.disable && values.enable) throw new CliError('give --disable or --enable, not both');
  const changes: UserChanges = {};
  if (values.name !== undefined) changes.name = values.name;
  if (values.email !== undefined) changes.email = isNone(values.email) ? null : values.email;
  const groups = namesFlag(values.groups, '--groups', true);
  if (groups) changes.groups = groups;
  const policy = policyFromFlags(values, true);
  if (Object.keys(policy).length > 0) changes.policy = policy;
  if (values.disable) changes.disabled = true;
  if (values.enable) changes.disabled = false;
  if (Object.keys(changes).length === 0) {
    throw new CliError(
      'users update needs something to change: --name, --email, --groups, --models, --residency, --daily-budget, --monthly-budget, --rpm, --tpm, --disable or --enable',
    );
  }
  return withStore(values.config, context, async (store, now) => {
    const user = await storeCall(async () => {
      const current = await store.identity.findUser(reference);
      if (!current) throw noSuchUser(reference);
      await checkNewGroups(store.identity, changes.groups, current.groups);
      return store.identity.updateUser(current.id, changes, now);
    });
    if (!user) throw new CliError(noSuchUser(reference).message, 1);
    context.out(`Updated user ${describeUser(user)}.`);
    for (const note of unknownModelNotes(policy.allowedModels ?? [], 'the policy')) context.error(note);
    if (user.source === 'oidc' && changes.groups) {
      context.error(
        `note: ${user.name} signs in through the identity provider: their groups become the IdP's again at their next sign-in.`,
      );
    }
    context.out(`Running gateways apply it ${takesEffect(store, 'identity')}.`);
    return 0;
  });
}

async function disable(argv: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { config: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const reference = onePositional(
    positionals,
    'users disable',
    'the user: their id, name or e-mail (see `users list`)',
  );
  return withStore(values.config, context, async (store, now) => {
    const user = await storeCall(() => store.identity.updateUser(reference, { disabled: true }, now));
    if (!user) throw new CliError(noSuchUser(reference).message, 1);
    context.out(
      `Disabled user ${user.name} (${user.id}): their keys and sign-ins are refused, their sessions ended.`,
    );
    context.out(
      `Running gateways refuse them ${takesEffect(store, 'identity')}. Undo with: claude-gateway users update ${user.name} --enable`,
    );
    return 0;
  });
}

const SUBCOMMANDS = { list, create, update, disable } as const;

/** `claude-gateway users list|create|update|disable`: users, straight in the store. */
export async function runUsers(argv: string[], context: CommandContext): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (wantsHelp(argv)) {
    context.out(USERS_HELP);
    return subcommand ? 0 : 2;
  }
  const run = SUBCOMMANDS[subcommand as keyof typeof SUBCOMMANDS];
  if (!run) {
    throw new CliError(
      `unknown subcommand "${subcommand}"; use list, create, update or disable (see users --help)`,
    );
  }
  return run(rest, context);
}
