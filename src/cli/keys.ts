import { parseArgs } from 'node:util';
import { closestModelName } from '../catalog/closest-name.js';
import { resolveModel } from '../catalog/resolve.js';
import type { GatewayConfig } from '../config/schema.js';
import { StoreError } from '../store/store-error.js';
import {
  type ApiKeyRecord,
  type NewApiKey,
  RESIDENCIES,
  type Residency,
  type Store,
} from '../store/types.js';
import { loadCliConfig } from './cli-config.js';
import { openCliStore } from './cli-store.js';
import { CliError, type CommandContext } from './command.js';
import { formatTable } from './table.js';

export const KEYS_HELP = `Usage: claude-gateway keys <create|list|revoke> [options]

Manages gateway keys in the store of the configuration (store.url), so it works with
the gateway stopped; a running gateway picks changes up within 30 seconds. Once a key
exists, the gateway requires one from every caller.

  keys create --name N [options]   create a key and print its secret (shown once)
      --models a,b       models the key may use (names, aliases, ids or globs like claude-haiku-*)
      --residency G      only targets inside a geography: ${RESIDENCIES.join(', ')}
                         (eu: European Union only; europe: also the UK and Switzerland)
      --budget USD       monthly budget in US dollars
      --rpm N            requests per minute
      --tpm N            tokens per minute
  keys list [--all] [--json]       the keys (never their secrets); --all includes revoked keys
  keys revoke <id|name|prefix>     revoke a key

Options for every subcommand:
  --config FILE    configuration file (default ./claude-gateway.yaml when present)
  -h, --help       show this help`;

/** A key as it may be shown: never the hash (the secret is not stored at all). */
function shownKey(record: ApiKeyRecord): Omit<ApiKeyRecord, 'hash'> {
  const { hash: _hash, ...rest } = record;
  return rest;
}

const CACHE_NOTE = 'within 30 seconds (its key cache)';

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0)
    throw new CliError('--models needs at least one model name, e.g. --models sonnet,haiku');
  return items;
}

/**
 * A note for each allowed name that is neither a glob nor a name the catalog
 * knows: it still works (for models newer than the catalog) but only as that
 * exact string, so a slip would silently allow nothing.
 */
function unknownModelNotes(allowed: readonly string[]): string[] {
  return allowed
    .filter((name) => !/[*?]/.test(name) && !resolveModel(name).model)
    .map((name) => {
      const near = closestModelName(name);
      return (
        `note: "${name}" is not in the model catalog; the key allows it only by that exact name` +
        (near ? `. Did you mean "${near}"?` : ' (fine for a model newer than the catalog).')
      );
    });
}

function amount(value: string | undefined, flag: string, whole: boolean): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  const valid =
    value.trim() !== '' && Number.isFinite(number) && number > 0 && (!whole || Number.isInteger(number));
  if (!valid) {
    throw new CliError(`${flag} must be a ${whole ? 'whole number' : 'number'} above 0; got "${value}"`);
  }
  return number;
}

function residencyOf(value: string | undefined): Residency | undefined {
  if (value === undefined) return undefined;
  if (!(RESIDENCIES as readonly string[]).includes(value)) {
    throw new CliError(`--residency must be one of ${RESIDENCIES.join(', ')}; got "${value}"`);
  }
  return value as Residency;
}

function gatewayUrl(config: GatewayConfig): string {
  const host =
    config.server.host === '0.0.0.0' || config.server.host === '::' ? '127.0.0.1' : config.server.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.server.port}`;
}

function describePolicy(key: ApiKeyRecord): string {
  const parts = [
    key.allowedModels?.length ? `models ${key.allowedModels.join(', ')}` : 'any model',
    key.residency ? `residency ${key.residency}` : undefined,
    key.monthlyBudgetUsd !== undefined ? `budget $${key.monthlyBudgetUsd}/month` : undefined,
    key.requestsPerMinute !== undefined ? `${key.requestsPerMinute} requests/min` : undefined,
    key.tokensPerMinute !== undefined ? `${key.tokensPerMinute} tokens/min` : undefined,
  ];
  return parts.filter(Boolean).join('; ');
}

/** The configuration and its store (`store.url`), created when it does not exist yet. */
async function openKeyStore(
  path: string | undefined,
  context: CommandContext,
): Promise<{ config: GatewayConfig; store: Store }> {
  const { config } = loadCliConfig(path, context.env);
  return { config, store: await openCliStore(config.store.url, { mustExist: false }) };
}

async function create(argv: string[], context: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      name: { type: 'string' },
      models: { type: 'string' },
      residency: { type: 'string' },
      budget: { type: 'string' },
      rpm: { type: 'string' },
      tpm: { type: 'string' },
      config: { type: 'string' },
    },
    strict: true,
  });
  const name = values.name?.trim();
  if (!name) throw new CliError('keys create needs --name, e.g. keys create --name ci');
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
  const { config, store: opened } = await openKeyStore(values.config, context);
  try {
    // Revoked keys count: once a key has existed, keys stay required (revoking the last one closes the gateway).
    const first = (await opened.listKeys({ includeRevoked: true })).length === 0;
    let created: Awaited<ReturnType<Store['createKey']>>;
    try {
      created = await opened.createKey(input);
    } catch (error) {
      if (error instanceof StoreError) throw new CliError(error.message, 1);
      throw error;
    }
    const { record, secret } = created;
    const url = gatewayUrl(config);
    context.out(
      `Created key "${record.name}" (${record.id}, prefix ${record.prefix}): ${describePolicy(record)}.`,
    );
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
    context.out(`A running gateway accepts the key ${CACHE_NOTE}.`);
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
  const { store: opened } = await openKeyStore(values.config, context);
  try {
    const keys = await opened.listKeys({ includeRevoked: values.all });
    if (values.json) {
      for (const key of keys) context.out(JSON.stringify(shownKey(key)));
      return 0;
    }
    if (keys.length === 0) {
      context.out(
        values.all
          ? 'No keys yet: the gateway accepts any local caller. Create one with `claude-gateway keys create --name NAME`.'
          : 'No active keys. Create one with `claude-gateway keys create --name NAME` (--all lists revoked keys).',
      );
      return 0;
    }
    const day = (time: number) => new Date(time).toISOString().slice(0, 10);
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
      key.revokedAt !== undefined ? `revoked ${day(key.revokedAt)}` : 'active',
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
  const { store: opened } = await openKeyStore(values.config, context);
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
    context.out(`A running gateway refuses it ${CACHE_NOTE}.`);
    if ((await opened.listKeys()).length === 0) {
      context.out(
        'No active key is left: the gateway now refuses every caller (keys stay required once one has existed). ' +
          'Create one with `claude-gateway keys create --name NAME`.',
      );
    }
    return 0;
  } finally {
    await opened.close();
  }
}

const SUBCOMMANDS = { create, list: listKeys, revoke } as const;

/** `claude-gateway keys create|list|revoke`: gateway keys, straight in the store. */
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
    throw new CliError(`unknown subcommand "${subcommand}"; use create, list or revoke (see keys --help)`);
  }
  return run(rest, context);
}
