import { parseArgs } from 'node:util';
import { systemClock } from '../clock.js';
import type { ServiceTokenRecord } from '../store/identity-types.js';
import { CliError, type CommandContext } from './command.js';
import { nameArgument, onePositional, storeCall, wantsHelp } from './policy-flags.js';
import { expiryOf, takesEffect, when, withStore } from './setting-flags.js';
import { formatTable } from './table.js';

export const TOKENS_HELP = `Usage: claude-gateway tokens <list|create|revoke> [options]

Manages service tokens (for CI and applications) in the store of the configuration
(store.url), so it works with the gateway stopped. A service token is held to one
group's policy, each of its limits as for one member, and its spend counts toward the
group's budget. It always has an expiry. Callers send it like a key (x-api-key or
Authorization: Bearer). Running gateways on Postgres apply changes at once; on
SQLite, within 30 seconds.

  tokens list [--all] [--json]     the tokens (never their secrets); --all includes revoked ones
  tokens create NAME --group G --expires T [--description TEXT]
                                   create a token and print its secret (shown once);
                                   --expires: 90d, 12h (from now), 2027-01-31 or an ISO time;
                                   --name NAME works too
  tokens revoke <id|name|prefix>   revoke a token

Options for every subcommand:
  --config FILE    configuration file (default ./claude-gateway.yaml when present)
  -h, --help       show this help`;

function shown(token: ServiceTokenRecord): Omit<ServiceTokenRecord, 'hash'> {
  const { hash: _hash, ...rest } = token;
  return rest;
}

async function create(argv: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      name: { type: 'string' },
      group: { type: 'string' },
      expires: { type: 'string' },
      description: { type: 'string' },
      config: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const now = (context.clock ?? systemClock)();
  const name = nameArgument(positionals, values.name, 'tokens create');
  if (!name)
    throw new CliError(
      'tokens create needs a name, e.g. tokens create ci --group eng --expires 90d (or --name ci)',
    );
  if (!values.group?.trim())
    throw new CliError('tokens create needs --group: the group whose policy holds for the token');
  const expiresAt = expiryOf(values.expires, now);
  if (expiresAt === undefined)
    throw new CliError('tokens create needs --expires: a service token always ends (e.g. --expires 90d)');
  return withStore(values.config, context, async (store) => {
    const { record, secret } = await storeCall(() =>
      store.identity.createServiceToken(
        {
          name,
          group: values.group?.trim() ?? '',
          expiresAt,
          ...(values.description !== undefined ? { description: values.description } : {}),
        },
        now,
      ),
    );
    context.out(
      `Created service token "${record.name}" (${record.id}, prefix ${record.prefix}) for group "${record.group}", expiring ${when(record.expiresAt)}.`,
    );
    context.out('');
    context.out('Secret (shown once: only its hash is stored):');
    context.out(`  ${secret}`);
    context.out('');
    context.out(
      "Send it like a gateway key: x-api-key, or Authorization: Bearer (Claude Code's ANTHROPIC_AUTH_TOKEN).",
    );
    context.out(`A running gateway accepts it ${takesEffect(store, 'identity')}.`);
    return 0;
  });
}

async function list(argv: string[], context: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      all: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      config: { type: 'string' },
    },
    strict: true,
  });
  return withStore(values.config, context, async (store) => {
    const tokens = await storeCall(() => store.identity.listServiceTokens({ includeRevoked: values.all }));
    if (values.json) {
      for (const token of tokens) context.out(JSON.stringify(shown(token)));
      return 0;
    }
    if (tokens.length === 0) {
      context.out(
        'No active service tokens. Create one with `claude-gateway tokens create NAME --group G --expires 90d`' +
          (values.all ? '.' : ' (--all lists revoked ones).'),
      );
      return 0;
    }
    const now = (context.clock ?? systemClock)();
    const rows = tokens.map((token) => [
      token.id,
      token.name,
      token.prefix,
      token.group,
      when(token.createdAt).slice(0, 10),
      when(token.expiresAt),
      token.lastUsedAt !== undefined ? when(token.lastUsedAt) : 'never',
      token.revokedAt !== undefined
        ? `revoked ${when(token.revokedAt).slice(0, 10)}`
        : token.expiresAt <= now
          ? 'expired'
          : 'active',
    ]);
    const headers = ['ID', 'NAME', 'PREFIX', 'GROUP', 'CREATED', 'EXPIRES', 'LAST USED', 'STATUS'];
    for (const line of formatTable(headers, rows)) context.out(line);
    return 0;
  });
}

async function revoke(argv: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { config: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const reference = onePositional(
    positionals,
    'tokens revoke',
    'the token: its id, name or prefix (see `tokens list`)',
  );
  return withStore(values.config, context, async (store, now) => {
    const token = await storeCall(() => store.identity.revokeServiceToken(reference, now));
    if (!token) {
      throw new CliError(
        `no active service token matches "${reference}" (by id, name or prefix); see \`tokens list --all\``,
        1,
      );
    }
    context.out(`Revoked service token "${token.name}" (${token.id}, prefix ${token.prefix}).`);
    context.out(`A running gateway refuses it ${takesEffect(store, 'identity')}.`);
    return 0;
  });
}

const SUBCOMMANDS = { list, create, revoke } as const;

/** `claude-gateway tokens list|create|revoke`: service tokens, straight in the store. */
export async function runTokens(argv: string[], context: CommandContext): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (wantsHelp(argv)) {
    context.out(TOKENS_HELP);
    return subcommand ? 0 : 2;
  }
  const run = SUBCOMMANDS[subcommand as keyof typeof SUBCOMMANDS];
  if (!run)
    throw new CliError(`unknown subcommand "${subcommand}"; use list, create or revoke (see tokens --help)`);
  return run(rest, context);
}
