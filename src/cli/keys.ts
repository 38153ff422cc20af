import { parseArgs } from 'node:util';
import { systemClock } from '../clock.js';
import type { GatewayConfig } from '../config/schema.js';
import { DEFAULT_ROTATION_GRACE_MS, parseGrace } from '../store/key-times.js';
import { StoreError } from '../store/store-error.js';
import {
  type ApiKeyChanges,
  type ApiKeyRecord,
  type NewApiKey,
  RESIDENCIES,
  type Store,
} from '../store/types.js';
import { CliError, type CommandContext } from './command.js';
import { nameArgument } from './policy-flags.js';
import {
  amount,
  expiryOf,
  isNone,
  list,
  openConfiguredStore,
  residencyOf,
  takesEffect,
  unknownModelNotes,
  when,
} from './setting-flags.js';
import { formatTable } from './table.js';

export const KEYS_HELP = `Usage: claude-gateway keys <create|list|update|rotate|revoke> [options]

Manages gateway keys in the store of the configuration (store.url), so it works with
the gateway stopped. Running gateways on a Postgres store pick changes up at once; on
SQLite, within 30 seconds (their key cache). Once a key exists, the gateway requires
one from every caller.

  keys create NAME [options]       create a key and print its secret (shown once);
                                   --name NAME works too
      --models a,b       models the key may use (names, aliases, ids or globs like claude-haiku-*)
      --residency G      only targets inside a geography: ${RESIDENCIES.join(', ')}
                         (eu: European Union only; europe: also the UK and Switzerland)
      --budget USD       monthly budget in US dollars
      --rpm N            requests per minute
      --tpm N            tokens per minute
      --expires T        refuse the key from then on: 30d, 12h (from now), 2027-01-31
                         (00:00 UTC that day) or 2027-01-31T18:00:00Z
      --user U           give the key to a user (id, name or e-mail): their policy and
                         their groups' hold for it too, and its spend counts as theirs
  keys list [--all] [--json]       the keys (never their secrets), with expiry and last use;
                                   --all includes revoked keys
  keys update <id|name|prefix> [options]
                                   change a key in place: --name, --models, --residency,
                                   --budget, --rpm, --tpm, --expires, --user as for create;
                                   "none" removes one (--budget none, --expires none,
                                   --user none)
  keys rotate <id|name|prefix> [--grace 24h]
                                   give the key a new secret (shown once); the old one keeps
                                   working for the grace period (default 24h; 0 ends it now).
                                   Same key id, limits, budget and log.
  keys revoke <id|name|prefix>     revoke a key

Options for every subcommand:
  --config FILE    configuration file (default ./claude-gateway.yaml when present)
  -h, --help       show this help`;

/** A key as it may be shown: never the hash (the secret is not stored at all). */
function shownKey(record: ApiKeyRecord): Omit<ApiKeyRecord, 'hash'> {
  const { hash: _hash, ...rest } = record;
  return rest;
}

function gatewayUrl(config: GatewayConfig): string {
  const host =
    config.server.host === '0.0.0.0' || config.server.host === '::' ? '127.0.0.1' : config.server.host;
  const scheme = config.server.tls ? 'https' : 'http';
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${config.server.port}`;
}

function describePolicy(key: ApiKeyRecord): string {
  const parts = [
    key.allowedModels?.length ? `models ${key.allowedModels.join(', ')}` : 'any model',
    key.residency ? `residency ${key.residency}` : undefined,
    key.monthlyBudgetUsd !== undefined ? `budget $${key.monthlyBudgetUsd}/month` : undefined,
    key.requestsPerMinute !== undefined ? `${key.requestsPerMinute} requests/min` : undefined,
    key.tokensPerMinute !== undefined ? `${key.tokensPerMinute} tokens/min` : undefined,
    key.expiresAt !== undefined ? `expires ${when(key.expiresAt)}` : undefined,
  ];
  return parts.filter(Boolean).join('; ');
}

/** The settings `keys create` and `keys update` take, one flag each. */
const KEY_SETTING_OPTIONS = {
  name: { type: 'string' },
  models: { type: 'string' },
  residency: { type: 'string' },
  budget: { type: 'string' },
  rpm: { type: 'string' },
  tpm: { type: 'string' },
  expires: { type: 'string' },
  user: { type: 'string' },
  config: { type: 'string' },
} as const;

/** The id of the user `--user` names (id, name, e-mail or subject); one that is missing or disabled is refused. */
async function userIdFor(store: Store, reference: string): Promise<{ id: string; name: string }> {
  const user = await store.identity.findUser(reference.trim()).catch((error: unknown) => {
    if (error instanceof StoreError) throw new CliError(error.message, 1);
    throw error;
  });
  if (!user) {
    throw new CliError(
      `no user matches "${reference}" (by id, name, e-mail or subject); see \`claude-gateway users list\``,
      1,
    );
  }
  if (user.disabledAt !== undefined) {
    throw new CliError(
      `user ${user.name} is disabled: a key for them would be refused. Enable them first (claude-gateway users update ${user.name} --enable)`,
      1,
    );
  }
  return { id: user.id, name: user.name };
}

async function create(argv: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: KEY_SETTING_OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const now = (context.clock ?? systemClock)();
  const name = nameArgument(positionals, values.name, 'keys create');
  if (!name) throw new CliError('keys create needs a name, e.g. keys create ci (or --name ci)');
  const input: NewApiKey = { name };
  const allowedModels = list(values.models);
  if (allowedModels) input.allowedModels = allowedModels;
  const residency = residencyOf(values.residency);
  if (residency) input.residency = residency;
  const budget = amount(values.budget, '--budget', false);
  if (budget !== undefined) input.monthlyBudgetUsd = budget;
  const rpm = amount(values.rpm, '--rpm', true);
  if (rpm !== undefined) input.requestsPerMinute = rpm;
  const tpm = amount(values.tpm, '--tpm', true);
  if (tpm !== undefined) input.tokensPerMinute = tpm;
  const expiresAt = expiryOf(values.expires, now);
  if (expiresAt !== undefined) input.expiresAt = expiresAt;
  const { config, store: opened } = await openConfiguredStore(values.config, context);
  try {
    const owner = values.user !== undefined ? await userIdFor(opened, values.user) : undefined;
    if (owner) input.userId = owner.id;
    // Revoked keys count: once a key has existed, keys stay required (revoking the last one closes the gateway).
    const first = (await opened.listKeys({ includeRevoked: true })).length === 0;
    let created: Awaited<ReturnType<Store['createKey']>>;
    try {
      created = await opened.createKey(input, { now });
    } catch (error) {
      if (error instanceof StoreError) throw new CliError(error.message, 1);
      throw error;
    }
    const { record, secret } = created;
    const url = gatewayUrl(config);
    context.out(
      `Created key "${record.name}" (${record.id}, prefix ${record.prefix})${owner ? ` for user ${owner.name}` : ''}: ${describePolicy(record)}.`,
    );
    if (owner) {
      context.out(
        `The policies of ${owner.name} and of their groups hold for it too, and its spend counts as theirs.`,
      );
    }
    for (const note of unknownModelNotes(record.allowedModels ?? [])) context.error(note);
    context.out('');
    context.out('Secret (shown once: only its hash is stored):');
    context.out(`  ${secret}`);
    context.out('');
    context.out('Use it:');
    context.out(`  Claude Code:             ANTHROPIC_BASE_URL=${url} ANTHROPIC_AUTH_TOKEN=${secret}`);
    context.out(
      `  Claude Code on Bedrock or Vertex (gateway mode): ANTHROPIC_CUSTOM_HEADERS='x-api-key: ${secret}'`,
    );
    context.out(`  Anthropic SDK (TypeScript): new Anthropic({ baseURL: '${url}', apiKey: '${secret}' })`);
    context.out(`  Anthropic SDK (Python):  anthropic.Anthropic(base_url="${url}", api_key="${secret}")`);
    context.out(`  curl:                    curl ${url}/v1/messages -H 'x-api-key: ${secret}' …`);
    context.out(`  AWS SDK (Bedrock):       endpoint ${url}, AWS_ACCESS_KEY_ID=${secret} (any secret key)`);
    context.out('');
    context.out(`A running gateway accepts the key ${takesEffect(opened)}.`);
    if (first) {
      context.out(
        'This is the first key: from now on the gateway requires a key from every caller (and may listen beyond loopback).',
      );
    }
    return 0;
  } finally {
    await opened.close();
  }
}

async function listKeys(argv: string[], context: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      all: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      config: { type: 'string' },
    },
    strict: true,
  });
  const { store: opened } = await openConfiguredStore(values.config, context);
  try {
    const keys = await opened.listKeys({ includeRevoked: values.all });
    if (values.json) {
      for (const key of keys) context.out(JSON.stringify(shownKey(key)));
      return 0;
    }
    if (keys.length === 0) {
      context.out(
        values.all
          ? 'No keys yet: the gateway accepts any local caller. Create one with `claude-gateway keys create NAME`.'
          : 'No active keys. Create one with `claude-gateway keys create NAME` (--all lists revoked keys).',
      );
      return 0;
    }
    const day = (time: number) => new Date(time).toISOString().slice(0, 10);
    const now = (context.clock ?? systemClock)();
    const rows = keys.map((key) => [
      key.id,
      key.name,
      key.prefix,
      day(key.createdAt),
      key.allowedModels?.join(', ') ?? 'any',
      key.residency ?? '-',
      key.monthlyBudgetUsd !== undefined ? `$${key.monthlyBudgetUsd}` : '-',
      key.requestsPerMinute !== undefined ? String(key.requestsPerMinute) : '-',
      key.tokensPerMinute !== undefined ? String(key.tokensPerMinute) : '-',
      key.expiresAt !== undefined ? when(key.expiresAt) : 'never',
      key.lastUsedAt !== undefined ? when(key.lastUsedAt) : 'never',
      key.revokedAt !== undefined
        ? `revoked ${day(key.revokedAt)}`
        : key.expiresAt !== undefined && key.expiresAt <= now
          ? 'expired'
          : 'active',
    ]);
    const headers = [
      'ID',
      'NAME',
      'PREFIX',
      'CREATED',
      'MODELS',
      'RESIDENCY',
      'BUDGET/MONTH',
      'RPM',
      'TPM',
      'EXPIRES',
      'LAST USED',
      'STATUS',
    ];
    for (const line of formatTable(headers, rows)) context.out(line);
    return 0;
  } finally {
    await opened.close();
  }
}

async function revoke(argv: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { config: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [reference, ...extra] = positionals;
  if (!reference) throw new CliError('keys revoke needs the key: its id, name or prefix (see `keys list`)');
  if (extra.length > 0) throw new CliError(`keys revoke takes one key; got ${positionals.length}`);
  const { store: opened } = await openConfiguredStore(values.config, context);
  try {
    let revoked: ApiKeyRecord | undefined;
    try {
      revoked = await opened.revokeKey(reference);
    } catch (error) {
      if (error instanceof StoreError) throw new CliError(error.message, 1);
      throw error;
    }
    if (!revoked) {
      throw new CliError(
        `no active key matches "${reference}" (by id, name or prefix); see \`keys list --all\``,
        1,
      );
    }
    context.out(`Revoked key "${revoked.name}" (${revoked.id}, prefix ${revoked.prefix}).`);
    context.out(`A running gateway refuses it ${takesEffect(opened)}.`);
    if ((await opened.listKeys()).length === 0) {
      context.out(
        'No active key is left: the gateway now refuses every caller (keys stay required once one has existed). ' +
          'Create one with `claude-gateway keys create NAME`.',
      );
    }
    return 0;
  } finally {
    await opened.close();
  }
}

/** The key a subcommand names, and no more: one positional. */
function oneKey(positionals: string[], subcommand: string): string {
  const [reference, ...extra] = positionals;
  if (!reference) {
    throw new CliError(`keys ${subcommand} needs the key: its id, name or prefix (see \`keys list\`)`);
  }
  if (extra.length > 0) throw new CliError(`keys ${subcommand} takes one key; got ${positionals.length}`);
  return reference;
}

/** Runs a store call, its StoreErrors as one-line CLI errors; a missing key as one too. */
async function onKey<Result>(reference: string, call: () => Promise<Result | undefined>): Promise<Result> {
  let result: Result | undefined;
  try {
    result = await call();
  } catch (error) {
    if (error instanceof StoreError) throw new CliError(error.message, 1);
    throw error;
  }
  if (result === undefined) {
    throw new CliError(
      `no active key matches "${reference}" (by id, name or prefix); see \`keys list --all\``,
      1,
    );
  }
  return result;
}

async function update(argv: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: KEY_SETTING_OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const reference = oneKey(positionals, 'update');
  const now = (context.clock ?? systemClock)();
  const changes: ApiKeyChanges = {};
  if (values.name !== undefined) {
    const name = values.name.trim();
    if (!name) throw new CliError('--name needs a name, e.g. --name ci-2');
    changes.name = name;
  }
  if (values.models !== undefined) changes.allowedModels = isNone(values.models) ? null : list(values.models);
  if (values.residency !== undefined) {
    changes.residency = isNone(values.residency) ? null : residencyOf(values.residency);
  }
  if (values.budget !== undefined) {
    changes.monthlyBudgetUsd = isNone(values.budget) ? null : amount(values.budget, '--budget', false);
  }
  if (values.rpm !== undefined) {
    changes.requestsPerMinute = isNone(values.rpm) ? null : amount(values.rpm, '--rpm', true);
  }
  if (values.tpm !== undefined) {
    changes.tokensPerMinute = isNone(values.tpm) ? null : amount(values.tpm, '--tpm', true);
  }
  if (values.expires !== undefined) {
    changes.expiresAt = isNone(values.expires) ? null : expiryOf(values.expires, now);
  }
  if (Object.keys(changes).length === 0 && values.user === undefined) {
    throw new CliError(
      'keys update needs something to change: --name, --models, --residency, --budget, --rpm, --tpm, --expires or --user',
    );
  }
  const { store: opened } = await openConfiguredStore(values.config, context);
  try {
    if (values.user !== undefined) {
      changes.userId = isNone(values.user) ? null : (await userIdFor(opened, values.user)).id;
    }
    const updated = await onKey(reference, () => opened.updateKey(reference, changes, { now }));
    context.out(`Updated key "${updated.name}" (${updated.id}): ${describePolicy(updated)}.`);
    for (const note of unknownModelNotes(changes.allowedModels ?? [])) context.error(note);
    context.out(`A running gateway applies it ${takesEffect(opened)}.`);
    return 0;
  } finally {
    await opened.close();
  }
}

async function rotate(argv: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { grace: { type: 'string' }, config: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const reference = oneKey(positionals, 'rotate');
  let graceMs = DEFAULT_ROTATION_GRACE_MS;
  if (values.grace !== undefined) {
    try {
      graceMs = parseGrace(values.grace);
    } catch (error) {
      if (error instanceof StoreError) throw new CliError(`--grace: ${error.message}`);
      throw error;
    }
  }
  const now = (context.clock ?? systemClock)();
  const { store: opened } = await openConfiguredStore(values.config, context);
  try {
    const rotated = await onKey(reference, () => opened.rotateKey(reference, { graceMs, now }));
    const { record, secret } = rotated;
    context.out(`Rotated key "${record.name}" (${record.id}): new prefix ${record.prefix}.`);
    context.out('');
    context.out('New secret (shown once: only its hash is stored):');
    context.out(`  ${secret}`);
    context.out('');
    context.out(
      graceMs === 0
        ? `The old secret is refused from now on (running gateways: ${takesEffect(opened)}).`
        : `The old secret keeps working until ${when(rotated.previousSecretValidUntil)}, then is refused. ` +
            'Put the new one in place before then.',
    );
    return 0;
  } finally {
    await opened.close();
  }
}

const SUBCOMMANDS = { create, list: listKeys, update, rotate, revoke } as const;

/** `claude-gateway keys create|list|update|rotate|revoke`: gateway keys, straight in the store. */
export async function runKeys(argv: string[], context: CommandContext): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (
    !subcommand ||
    subcommand === '--help' ||
    subcommand === '-h' ||
    rest.includes('--help') ||
    rest.includes('-h')
  ) {
    context.out(KEYS_HELP);
    return subcommand ? 0 : 2;
  }
  const run = SUBCOMMANDS[subcommand as keyof typeof SUBCOMMANDS];
  if (!run) {
    throw new CliError(
      `unknown subcommand "${subcommand}"; use create, list, update, rotate or revoke (see keys --help)`,
    );
  }
  return run(rest, context);
}
