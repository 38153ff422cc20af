import { parseArgs } from 'node:util';
import { type ReportAnswer, runReport } from '../gateway/admin-report.js';
import { ReportParameterError, type ReportRequest, reportRequest } from '../gateway/report-parameters.js';
import type { ReportDimension, ReportRow, ReportTotals } from '../store/report-sql.js';
import { StoreError } from '../store/store-error.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { loadCliConfig } from './cli-config.js';
import { openCliStore } from './cli-store.js';
import { CliError, type CommandContext } from './command.js';
import { costText } from './cost-text.js';
import { formatTable } from './table.js';

export const REPORT_HELP = `Usage: claude-gateway report --by DIMENSION[,DIMENSION] [options]

Spend, tokens, requests and errors from the gateway's activity log (store.url of
the configuration), per user, group, key, model, platform, day or hour, with a
totals line. Reads the store directly: the gateway may be stopped.

Options:
  --by D[,D]       one or two of user, group, key, model, platform, day, hour
                   (day and hour in UTC), e.g. --by user or --by day,model
  --since T        from T: 30m, 12h, 30d, or an ISO date (2026-12-01); default 30d
  --until T        up to T (same forms); default now
  --key K          only this gateway key (its id, name or prefix)
  --user U         only this user (id, name or e-mail)
  --group G        only this group
  --model M        only this model (catalog name or the name the client sent)
  --platform P     only this platform (bedrock, vertex, anthropic, …)
  --csv            comma-separated values with a header line (totals on stderr)
  --json           the same JSON as GET /admin/report
  --config FILE    configuration file (default ./claude-gateway.yaml when present)
  -h, --help       show this help`;

const HEADINGS: Record<ReportDimension, string> = {
  user: 'USER',
  group: 'GROUP',
  key: 'KEY',
  model: 'MODEL',
  platform: 'PLATFORM',
  day: 'DAY (UTC)',
  hour: 'HOUR (UTC)',
};

const NUMBER_FIELDS = [
  'requests',
  'errors',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'costUsd',
  'costEstimated',
] as const satisfies readonly (keyof ReportTotals)[];

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The totals line, as `logs` prints its summary. */
function totalsLine(answer: ReportAnswer): string {
  const { totals } = answer;
  const window = `${answer.since.slice(0, 16)}Z to ${answer.until.slice(0, 16)}Z`;
  return (
    `${plural(totals.requests, 'request')}, ${plural(totals.errors, 'error')}, ` +
    `${totals.inputTokens} input / ${totals.outputTokens} output tokens ` +
    `(${totals.cacheReadTokens} cache read, ${totals.cacheWriteTokens} cache write), ` +
    `${costText(totals.costUsd, totals.costEstimated)}, ${window}`
  );
}

function tableRow(by: readonly ReportDimension[], row: ReportRow): string[] {
  return [
    ...by.map((dimension) => row[dimension] ?? '-'),
    String(row.requests),
    String(row.errors),
    String(row.inputTokens),
    String(row.outputTokens),
    String(row.cacheReadTokens),
    String(row.cacheWriteTokens),
    costText(row.costUsd, row.costEstimated),
  ];
}

/** A CSV field: quoted when it holds a comma, quote or line break. */
function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLines(answer: ReportAnswer): string[] {
  const fields = [...answer.by, ...NUMBER_FIELDS];
  return [
    fields.join(','),
    ...answer.rows.map((row) => fields.map((field) => csvField(row[field as keyof ReportRow])).join(',')),
  ];
}

/** The request from the options, its errors named as the options are typed (`--by`). */
function requestOf(values: Record<string, string | boolean | undefined>): ReportRequest {
  const parameters: Record<string, string> = {};
  for (const name of ['by', 'since', 'until', 'key', 'user', 'group', 'model', 'platform']) {
    const value = values[name];
    if (typeof value === 'string') parameters[name] = value;
  }
  try {
    return reportRequest(parameters, Date.now(), '--');
  } catch (error) {
    if (error instanceof ReportParameterError) throw new CliError(error.message);
    throw error;
  }
}

/** `claude-gateway report`: usage per bucket as a table, CSV or JSON, with totals. */
export async function runReportCommand(argv: string[], context: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      by: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      key: { type: 'string' },
      user: { type: 'string' },
      group: { type: 'string' },
      model: { type: 'string' },
      platform: { type: 'string' },
      csv: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    context.out(REPORT_HELP);
    return 0;
  }
  if (values.csv && values.json) throw new CliError('give --csv or --json, not both');
  const request = requestOf(values);
  const { config } = loadCliConfig(values.config, context.env);
  const store = await openCliStore(config.store.url, { mustExist: true });
  let answer: ReportAnswer;
  try {
    answer = await runReport(store, request);
  } catch (error) {
    if (error instanceof GatewayError && error.status === 404) {
      throw new CliError(
        `no gateway key matches "${request.keyReference}"; give an id, name or prefix from \`claude-gateway keys list --all\``,
        1,
      );
    }
    if (error instanceof StoreError) throw new CliError(error.message, 1);
    throw error;
  } finally {
    await store.close();
  }
  if (values.json) {
    context.out(JSON.stringify(answer));
    return 0;
  }
  if (values.csv) {
    for (const line of csvLines(answer)) context.out(line);
    context.error(totalsLine(answer));
    return 0;
  }
  if (answer.rows.length === 0) {
    context.out('No requests match.');
  } else {
    const headers = [
      ...answer.by.map((dimension) => HEADINGS[dimension]),
      'REQUESTS',
      'ERRORS',
      'INPUT',
      'OUTPUT',
      'CACHE READ',
      'CACHE WRITE',
      'COST',
    ];
    for (const line of formatTable(
      headers,
      answer.rows.map((row) => tableRow(answer.by, row)),
    )) {
      context.out(line);
    }
  }
  context.out(totalsLine(answer));
  return 0;
}
