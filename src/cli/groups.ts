import { parseArgs } from 'node:util';
import { addMember, noSuchGroup, removeMember } from '../identity/membership.js';
import type { GroupChanges, GroupRecord, MemberPolicy } from '../store/identity-types.js';
import { CliError, type CommandContext } from './command.js';
import {
  describeMemberPolicy,
  onePositional,
  POLICY_HELP,
  POLICY_OPTIONS,
  policyFromFlags,
  storeCall,
  wantsHelp,
} from './policy-flags.js';
import {
  amount,
  countCell,
  dollarsCell,
  isNone,
  takesEffect,
  unknownModelNotes,
  withStore,
} from './setting-flags.js';
import { formatTable } from './table.js';

export const GROUPS_HELP = `Usage: claude-gateway groups <list|create|update|delete|add-member|remove-member> [options]

Manages groups in the store of the configuration (store.url), so it works with the
gateway stopped. A group carries a policy for each member (the flags below; budgets
and rates count per member) and budgets for all its members together. A user's
requests are charged to the first of their groups the gateway has. Groups named by the
identity provider need a group here only to carry a policy. Running gateways on
Postgres apply changes at once; on SQLite, within 30 seconds.

  groups list [--json]             the groups, their members' policy and group budgets
  groups create NAME [options]     create a group
      --description TEXT
${POLICY_HELP}
      --group-daily-budget USD    the whole group's spend per UTC day
      --group-monthly-budget USD  the whole group's spend per UTC month
  groups update NAME [options]     change a group: the options of create; "none" removes
                                   one (--models none, --group-daily-budget none)
  groups delete NAME               delete a group (refused while service tokens use it);
                                   its members keep the name but lose its policy
  groups add-member GROUP USER     add a user (id, name or e-mail) to a group
  groups remove-member GROUP USER  take a user out of a group

Options for every subcommand:
  --config FILE    configuration file (default ./claude-gateway.yaml when present)
  -h, --help       show this help`;

function groupBudgets(group: GroupRecord): string {
  const parts = [
    group.dailyBudgetUsd !== undefined ? `$${group.dailyBudgetUsd}/day` : undefined,
    group.monthlyBudgetUsd !== undefined ? `$${group.monthlyBudgetUsd}/month` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

function describeGroup(group: GroupRecord): string {
  return `"${group.name}": each member ${describeMemberPolicy(group.memberPolicy)}; group budget ${groupBudgets(group)}`;
}

const GROUP_OPTIONS = {
  description: { type: 'string' },
  ...POLICY_OPTIONS,
  'group-daily-budget': { type: 'string' },
  'group-monthly-budget': { type: 'string' },
  config: { type: 'string' },
} as const;

type GroupValues = { [Flag in keyof typeof GROUP_OPTIONS]?: string | undefined };

/** The group budgets the flags give; with `removable`, `none` removes one. */
function groupBudgetsFromFlags(
  values: GroupValues,
  removable: boolean,
): Pick<GroupChanges, 'dailyBudgetUsd' | 'monthlyBudgetUsd'> {
  const budgets: Pick<GroupChanges, 'dailyBudgetUsd' | 'monthlyBudgetUsd'> = {};
  for (const [flag, field] of [
    ['group-daily-budget', 'dailyBudgetUsd'],
    ['group-monthly-budget', 'monthlyBudgetUsd'],
  ] as const) {
    const value = values[flag];
    if (value === undefined) continue;
    budgets[field] = removable && isNone(value) ? null : amount(value, `--${flag}`, false);
  }
  return budgets;
}

async function create(argv: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: GROUP_OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const name = onePositional(positionals, 'groups create', 'a name, e.g. groups create eng --models sonnet');
  const memberPolicy = policyFromFlags(values) as MemberPolicy;
  const budgets = groupBudgetsFromFlags(values, false) as {
    dailyBudgetUsd?: number;
    monthlyBudgetUsd?: number;
  };
  return withStore(values.config, context, async (store, now) => {
    const group = await storeCall(() =>
      store.identity.createGroup(
        {
          name,
          ...(values.description !== undefined ? { description: values.description } : {}),
          memberPolicy,
          ...budgets,
        },
        now,
      ),
    );
    context.out(`Created group ${describeGroup(group)}.`);
    for (const note of unknownModelNotes(group.memberPolicy.allowedModels ?? [], 'the group'))
      context.error(note);
    context.out(`Add members with: claude-gateway groups add-member ${group.name} USER`);
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
    const [groups, users] = await storeCall(() =>
      Promise.all([store.identity.listGroups(), store.identity.listUsers()]),
    );
    const members = (name: string) =>
      users.filter((user) => user.groups.includes(name)).map((user) => user.name);
    if (values.json) {
      for (const group of groups) context.out(JSON.stringify({ ...group, members: members(group.name) }));
      return 0;
    }
    if (groups.length === 0) {
      context.out(
        'No groups yet. Create one with `claude-gateway groups create NAME --models sonnet,haiku`.',
      );
      return 0;
    }
    const rows = groups.map((group) => [
      group.name,
      String(members(group.name).length),
      group.memberPolicy.allowedModels?.join(', ') ?? 'any',
      group.memberPolicy.residency ?? '-',
      dollarsCell(group.memberPolicy.dailyBudgetUsd),
      dollarsCell(group.memberPolicy.monthlyBudgetUsd),
      countCell(group.memberPolicy.requestsPerMinute),
      countCell(group.memberPolicy.tokensPerMinute),
      dollarsCell(group.dailyBudgetUsd),
      dollarsCell(group.monthlyBudgetUsd),
    ]);
    const headers = [
      'NAME',
      'MEMBERS',
      'MODELS',
      'RESIDENCY',
      'MEMBER/DAY',
      'MEMBER/MONTH',
      'RPM',
      'TPM',
      'GROUP/DAY',
      'GROUP/MONTH',
    ];
    for (const line of formatTable(headers, rows)) context.out(line);
    return 0;
  });
}

async function update(argv: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: GROUP_OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const name = onePositional(positionals, 'groups update', 'the group name (see `groups list`)');
  const changes: GroupChanges = { ...groupBudgetsFromFlags(values, true) };
  if (values.description !== undefined)
    changes.description = isNone(values.description) ? null : values.description;
  const memberPolicy = policyFromFlags(values, true);
  if (Object.keys(memberPolicy).length > 0) changes.memberPolicy = memberPolicy;
  if (Object.keys(changes).length === 0) {
    throw new CliError(
      'groups update needs something to change: --description, --models, --residency, --daily-budget, --monthly-budget, --rpm, --tpm, --group-daily-budget or --group-monthly-budget',
    );
  }
  return withStore(values.config, context, async (store) => {
    const group = await storeCall(async () => {
      const updated = await store.identity.updateGroup(name, changes);
      if (!updated)
        throw noSuchGroup(
          name,
          (await store.identity.listGroups()).map((each) => each.name),
        );
      return updated;
    });
    context.out(`Updated group ${describeGroup(group)}.`);
    for (const note of unknownModelNotes(memberPolicy.allowedModels ?? [], 'the group')) context.error(note);
    context.out(`Running gateways apply it ${takesEffect(store, 'identity')}.`);
    return 0;
  });
}

async function remove(argv: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { config: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const name = onePositional(positionals, 'groups delete', 'the group name (see `groups list`)');
  return withStore(values.config, context, async (store) => {
    const tokens = (await storeCall(() => store.identity.listServiceTokens())).filter(
      (token) => token.group === name,
    );
    if (tokens.length > 0) {
      throw new CliError(
        `group "${name}" has active service tokens (${tokens.map((token) => token.name).join(', ')}); revoke them first (claude-gateway tokens revoke NAME)`,
        1,
      );
    }
    const group = await storeCall(async () => {
      const deleted = await store.identity.deleteGroup(name);
      if (!deleted)
        throw noSuchGroup(
          name,
          (await store.identity.listGroups()).map((each) => each.name),
        );
      return deleted;
    });
    context.out(
      `Deleted group "${group.name}": its members keep the name but no longer get its policy or budget.`,
    );
    return 0;
  });
}

function groupAndUser(positionals: string[], usage: string): [string, string] {
  const [group, user, ...extra] = positionals;
  if (!group || !user || extra.length > 0)
    throw new CliError(`${usage} takes a group and a user, e.g. ${usage} eng alice@example.com`);
  return [group, user];
}

async function addMemberCommand(argv: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { config: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [group, reference] = groupAndUser(positionals, 'groups add-member');
  return withStore(values.config, context, async (store, now) => {
    const { user, changed } = await storeCall(() => addMember(store.identity, group, reference, now));
    context.out(
      changed
        ? `Added ${user.name} to group "${group}"; their groups: ${user.groups.join(', ')}.`
        : `${user.name} is already in group "${group}".`,
    );
    if (changed && user.source === 'oidc') {
      context.error(
        `note: ${user.name} signs in through the identity provider: their groups become the IdP's again at their next sign-in.`,
      );
    }
    if (changed) context.out(`Running gateways apply it ${takesEffect(store, 'identity')}.`);
    return 0;
  });
}

async function removeMemberCommand(argv: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { config: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [group, reference] = groupAndUser(positionals, 'groups remove-member');
  return withStore(values.config, context, async (store, now) => {
    const user = await storeCall(() => removeMember(store.identity, group, reference, now));
    context.out(
      `Took ${user.name} out of group "${group}"; their groups: ${user.groups.join(', ') || 'none'}.`,
    );
    context.out(`Running gateways apply it ${takesEffect(store, 'identity')}.`);
    return 0;
  });
}

const SUBCOMMANDS = {
  list,
  create,
  update,
  delete: remove,
  'add-member': addMemberCommand,
  'remove-member': removeMemberCommand,
} as const;

/** `claude-gateway groups list|create|update|delete|add-member|remove-member`: groups, straight in the store. */
export async function runGroups(argv: string[], context: CommandContext): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (wantsHelp(argv)) {
    context.out(GROUPS_HELP);
    return subcommand ? 0 : 2;
  }
  const run = SUBCOMMANDS[subcommand as keyof typeof SUBCOMMANDS];
  if (!run) {
    throw new CliError(
      `unknown subcommand "${subcommand}"; use list, create, update, delete, add-member or remove-member (see groups --help)`,
    );
  }
  return run(rest, context);
}
