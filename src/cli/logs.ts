import { parseArgs } from 'node:util';
import { parseSince } from '../gateway/admin.js';
import { keyForFilter } from '../store/key-reference.js';
import { StoreError } from '../store/store-error.js';
import type { ActivityFilter, ApiKeyRecord, RequestRecord, Store } from '../store/types.js';
import { loadCliConfig } from './cli-config.js';
import { openCliStore } from './cli-store.js';
import { CliError, type CommandContext } from './command.js';
import { costText } from './cost-text.js';
import { formatTable } from './table.js';

export const LOGS_HELP = `Usage: claude-gateway logs [options]

Reads the gateway's activity log (store.url of the configuration) and prints the
newest requests as a table, with a summary line: requests, errors, tokens, cost.

Options:
  --since T        only requests since T: 30m, 1h, 7d, or an ISO date (2026-01-31T09:00Z)
  --key K          only this gateway key (its id, name or prefix)
  --user U         only this user (id, name or e-mail)
  --group G        only this group
  --session S      only this session (x-claude-code-session-id or metadata.user_id)
  --limit N        at most N requests (default 100)
  --json           one JSON object per request instead of the table (summary on stderr)
  --config FILE    configuration file (default ./claude-gateway.yaml when present)
  -h, --help       show this help`;

const DEFAULT_LIMIT = 100;

function since(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const wrong = new CliError(`--since must be like 30m, 1h, 7d or an ISO date; got "${value}"`);
  if (/^\d+$/.test(value.trim())) throw wrong;
  try {
    return parseSince(value);
  } catch {
    throw wrong;
  }
}

function limitOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) {
    throw new CliError(`--limit must be a whole number from 1 to 100000; got "${value}"`);
  }
  return limit;
}

async function keyIdOf(store: Store, reference: string): Promise<string> {
  let found: ApiKeyRecord | undefined;
  try {
    found = keyForFilter(await store.listKeys({ includeRevoked: true }), reference);
  } catch (error) {
    if (error instanceof StoreError) throw new CliError(error.message, 1);
    throw error;
  }
  if (!found) {
    throw new CliError(
      `no gateway key matches "${reference}"; give an id, name or prefix from \`claude-gateway keys list --all\``,
      1,
    );
  }
  return found.id;
}

function targetOf(record: RequestRecord): string {
  if (!record.platform) return '-';
  if (record.platform === 'bedrock') {
    if (record.scope) return `bedrock/${record.scope}@${record.region ?? ''}`;
    return `bedrock/${record.region ?? ''}`;
  }
  if (record.platform === 'vertex') return `vertex/${record.region ?? 'global'}`;
  return record.platform;
}

function row(record: RequestRecord): string[] {
  return [
    new Date(record.time).toISOString().replace('T', ' ').slice(0, 19),
    record.keyName ?? record.keyId ?? '-',
    record.userName ?? record.userEmail ?? record.userId ?? '-',
    record.group ?? '-',
    record.dialect,
    record.model ?? record.requestedModel ?? '-',
    targetOf(record),
    record.errorType ? `${record.status} ${record.errorType}` : String(record.status),
    `${record.inputTokens} / ${record.outputTokens}`,
    costText(record.costUsd, record.costEstimated),
    record.durationMs === undefined ? '-' : String(record.durationMs),
  ];
}

/** `claude-gateway logs`: the activity log as a table or JSON lines, with a summary. */
export async function runLogs(argv: string[], context: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      since: { type: 'string' },
      key: { type: 'string' },
      user: { type: 'string' },
      group: { type: 'string' },
      session: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    context.out(LOGS_HELP);
    return 0;
  }
  const from = since(values.since);
  const limit = limitOf(values.limit);
  const { config } = loadCliConfig(values.config, context.env);
  const store = await openCliStore(config.store.url, { mustExist: true });
  try {
    const filter: ActivityFilter = {
      ...(from !== undefined ? { since: from } : {}),
      ...(values.key ? { keyId: await keyIdOf(store, values.key) } : {}),
      ...(values.user ? { user: values.user } : {}),
      ...(values.group ? { group: values.group } : {}),
      ...(values.session ? { sessionId: values.session } : {}),
    };
    const records = await store.queryRequests({ ...filter, limit });
    const summary = await store.summarize(filter);
    const total = summary.total;
    const shown = records.length < total.requests ? ` (showing the newest ${records.length})` : '';
    const unpriced = total.unpricedRequests > 0 ? `, ${total.unpricedRequests} without a known price` : '';
    const line =
      `${total.requests} request${total.requests === 1 ? '' : 's'}${shown}, ${total.errors} error${total.errors === 1 ? '' : 's'}, ` +
      `${total.inputTokens} input / ${total.outputTokens} output tokens, ${costText(total.costUsd)}${unpriced}`;
    if (values.json) {
      for (const record of records) context.out(JSON.stringify(record));
      context.error(line);
      return 0;
    }
    if (records.length === 0) {
      context.out('No requests match.');
    } else {
      const headers = [
        'TIME (UTC)',
        'KEY',
        'USER',
        'GROUP',
        'DIALECT',
        'MODEL',
        'TARGET',
        'STATUS',
        'TOKENS IN / OUT',
        'COST',
        'MS',
      ];
      for (const text of formatTable(headers, records.map(row))) context.out(text);
    }
    context.out(line);
    return 0;
  } finally {
    await store.close();
  }
}
