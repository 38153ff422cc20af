import { BODY_COLUMNS, REQUEST_COLUMNS } from './columns.js';
import { number, type StoredRow } from './decode-rows.js';
import type { ActivityFilter, ActivityQuery, RequestSummary, UsageTotals } from './types.js';

/** SQL text with its parameters in order. */
export interface SqlText {
  text: string;
  parameters: unknown[];
}

/** How a backend writes the n-th (1-based) parameter: `?` in SQLite, `$n` in Postgres. */
export type Placeholder = (position: number) => string;

export const SQLITE_PLACEHOLDER: Placeholder = () => '?';
export const POSTGRES_PLACEHOLDER: Placeholder = (position) => `$${position}`;

/** What `summarize` groups by. */
export type SummaryGrouping = 'total' | 'key' | 'model' | 'platform';

export const DEFAULT_QUERY_LIMIT = 100;

/**
 * The WHERE clause for an activity filter (empty when nothing is filtered).
 *
 * @example
 * whereClause({ keyId: 'key_1', since: 0 }, SQLITE_PLACEHOLDER) // { text: 'WHERE time >= ? AND key_id = ?', parameters: [0, 'key_1'] }
 */
export function whereClause(filter: ActivityFilter, placeholder: Placeholder, firstPosition = 1): SqlText {
  const conditions: string[] = [];
  const parameters: unknown[] = [];
  const next = (value: unknown): string => {
    parameters.push(value);
    return placeholder(firstPosition + parameters.length - 1);
  };
  if (filter.since !== undefined) conditions.push(`time >= ${next(filter.since)}`);
  if (filter.until !== undefined) conditions.push(`time < ${next(filter.until)}`);
  if (filter.keyId !== undefined) conditions.push(`key_id = ${next(filter.keyId)}`);
  if (filter.user !== undefined) {
    conditions.push(
      `(user_id = ${next(filter.user)} OR user_name = ${next(filter.user)} OR user_email = ${next(filter.user)})`,
    );
  }
  if (filter.group !== undefined) conditions.push(`group_name = ${next(filter.group)}`);
  if (filter.sessionId !== undefined) conditions.push(`session_id = ${next(filter.sessionId)}`);
  if (filter.model !== undefined) {
    conditions.push(`(model = ${next(filter.model)} OR requested_model = ${next(filter.model)})`);
  }
  if (filter.platform !== undefined) conditions.push(`platform = ${next(filter.platform)}`);
  if (filter.status !== undefined) conditions.push(`status = ${next(filter.status)}`);
  if (filter.errorsOnly) conditions.push('status >= 400');
  return { text: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', parameters };
}

/**
 * The SELECT for `queryRequests`: newest first, bodies only when asked for.
 *
 * @example
 * selectRequests('requests', { limit: 10 }, SQLITE_PLACEHOLDER).text // 'SELECT id, time, … FROM requests  ORDER BY time DESC, id DESC LIMIT ?'
 */
export function selectRequests(table: string, query: ActivityQuery, placeholder: Placeholder): SqlText {
  const columns = REQUEST_COLUMNS.map((column) => column.name).filter(
    (name) => query.includeBodies || !BODY_COLUMNS.includes(name),
  );
  const where = whereClause(query, placeholder);
  const limit = Math.max(1, Math.floor(query.limit ?? DEFAULT_QUERY_LIMIT));
  return {
    text: `SELECT ${columns.join(', ')} FROM ${table} ${where.text} ORDER BY time DESC, id DESC LIMIT ${placeholder(where.parameters.length + 1)}`,
    parameters: [...where.parameters, limit],
  };
}

const GROUP_COLUMNS: Record<SummaryGrouping, { select: string; groupBy: string }> = {
  total: { select: '', groupBy: '' },
  key: { select: 'key_id, MAX(key_name) AS key_name, ', groupBy: 'GROUP BY key_id' },
  model: {
    select: 'COALESCE(model, requested_model) AS model, ',
    groupBy: 'GROUP BY COALESCE(model, requested_model)',
  },
  platform: { select: 'platform, ', groupBy: 'GROUP BY platform' },
};

/**
 * One grouping of `summarize`: counts and sums, highest cost first.
 *
 * @example
 * summarySql('requests', { since: 0 }, 'model', SQLITE_PLACEHOLDER).text // 'SELECT COALESCE(model, requested_model) AS model, COUNT(*) AS requests, …'
 */
export function summarySql(
  table: string,
  filter: ActivityFilter,
  grouping: SummaryGrouping,
  placeholder: Placeholder,
): SqlText {
  const where = whereClause(filter, placeholder);
  const group = GROUP_COLUMNS[grouping];
  const text = [
    `SELECT ${group.select}COUNT(*) AS requests,`,
    'SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors,',
    'SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,',
    'SUM(cache_read_tokens) AS cache_read_tokens, SUM(cache_write_tokens) AS cache_write_tokens,',
    'SUM(cost_usd) AS cost_usd, SUM(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END) AS unpriced_requests',
    `FROM ${table} ${where.text} ${group.groupBy}`,
    grouping === 'total' ? '' : 'ORDER BY COALESCE(SUM(cost_usd), 0) DESC, COUNT(*) DESC, 1',
  ].join(' ');
  return { text, parameters: where.parameters };
}

/** The totals of one summary row (sums of no rows are null in SQL; they read as 0). */
function decodeTotals(row: StoredRow | undefined): UsageTotals {
  return {
    requests: number(row?.requests) ?? 0,
    errors: number(row?.errors) ?? 0,
    inputTokens: number(row?.input_tokens) ?? 0,
    outputTokens: number(row?.output_tokens) ?? 0,
    cacheReadTokens: number(row?.cache_read_tokens) ?? 0,
    cacheWriteTokens: number(row?.cache_write_tokens) ?? 0,
    costUsd: number(row?.cost_usd) ?? 0,
    unpricedRequests: number(row?.unpriced_requests) ?? 0,
  };
}

/**
 * A summary from the rows of each grouping (as `summarySql` selects them).
 *
 * @example
 * assembleSummary({ since: 0 }, { total: [row], key: [], model: [], platform: [] }).total.requests
 */
export function assembleSummary(
  filter: ActivityFilter,
  rows: Record<SummaryGrouping, readonly StoredRow[]>,
): RequestSummary {
  return {
    ...(filter.since === undefined ? {} : { since: filter.since }),
    ...(filter.until === undefined ? {} : { until: filter.until }),
    total: decodeTotals(rows.total[0]),
    byKey: rows.key.map((row) => ({
      ...optionalText('keyId', row.key_id),
      ...optionalText('keyName', row.key_name),
      ...decodeTotals(row),
    })),
    byModel: rows.model.map((row) => ({ ...optionalText('model', row.model), ...decodeTotals(row) })),
    byPlatform: rows.platform.map((row) => ({
      ...optionalText('platform', row.platform),
      ...decodeTotals(row),
    })),
  };
}

function optionalText<Name extends string>(name: Name, value: unknown): Partial<Record<Name, string>> {
  if (value === null || value === undefined) return {};
  const field: Partial<Record<Name, string>> = {};
  field[name] = String(value);
  return field;
}

/**
 * An INSERT of `rowCount` rows that replaces rows with the same key.
 *
 * @example
 * upsertSql('attempts', ['request_id', 'attempt', 'time'], ['request_id', 'attempt'], 1, SQLITE_PLACEHOLDER)
 * // 'INSERT INTO attempts (request_id, attempt, time) VALUES (?, ?, ?) ON CONFLICT (request_id, attempt) DO UPDATE SET time = excluded.time'
 */
export function upsertSql(
  table: string,
  columns: readonly string[],
  conflict: readonly string[],
  rowCount: number,
  placeholder: Placeholder,
): string {
  const rows: string[] = [];
  for (let row = 0; row < rowCount; row += 1) {
    const values = columns.map((_, index) => placeholder(row * columns.length + index + 1));
    rows.push(`(${values.join(', ')})`);
  }
  const updates = columns
    .filter((column) => !conflict.includes(column))
    .map((column) => `${column} = excluded.${column}`);
  return (
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${rows.join(', ')} ` +
    `ON CONFLICT (${conflict.join(', ')}) DO UPDATE SET ${updates.join(', ')}`
  );
}
