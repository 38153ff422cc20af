import { type Placeholder, type SqlText, whereClause } from './activity-sql.js';
import { number, type StoredRow } from './decode-rows.js';
import type { ActivityFilter } from './types.js';

/** What a usage report can group by: who, which credential, which model and platform, and when (UTC). */
export const REPORT_DIMENSIONS = ['user', 'group', 'key', 'model', 'platform', 'day', 'hour'] as const;

export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

/** Counts and sums of one bucket of a report (or of all of it). */
export interface ReportTotals {
  requests: number;
  /** Requests answered with a status of 400 or more (499 included). */
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Sum of the known costs, in USD. */
  costUsd: number;
  /** Some of the cost used a price the catalog marks unconfirmed. */
  costEstimated: boolean;
}

/**
 * One bucket: the value of each dimension asked for (`null` for requests
 * without one, such as keyless requests by `key`), then its totals. `user` and
 * `key` show the name (grouped by id); `day` is `2026-12-01`, `hour`
 * `2026-12-01T13:00Z`, both UTC.
 */
export type ReportRow = Partial<Record<ReportDimension, string | null>> & ReportTotals;

/** A usage report: its buckets (by the first dimension, then highest cost first) and their sum. */
export interface UsageReport {
  rows: ReportRow[];
  totals: ReportTotals;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * How each dimension is grouped (`id`) and shown (`label`, an aggregate
 * beside the id). Times are bucketed with integer division on the epoch
 * milliseconds, which both backends do alike; the text is made here.
 */
const DIMENSION_SQL: Record<ReportDimension, { id: string; label?: string }> = {
  user: { id: 'user_id', label: 'MAX(COALESCE(user_name, user_email))' },
  group: { id: 'group_name' },
  key: { id: 'key_id', label: 'MAX(key_name)' },
  model: { id: 'COALESCE(model, requested_model)' },
  platform: { id: 'platform' },
  day: { id: `(time / ${DAY_MS})` },
  hour: { id: `(time / ${HOUR_MS})` },
};

/**
 * The one query of a usage report: a row per bucket of the dimensions, with
 * counts, token sums, cost and whether any cost is an estimate.
 *
 * @example
 * reportSql('requests', ['day', 'model'], { since: 0 }, SQLITE_PLACEHOLDER).text
 * // 'SELECT (time / 86400000) AS d0_id, COALESCE(model, requested_model) AS d1_id, COUNT(*) AS requests, …'
 */
export function reportSql(
  table: string,
  by: readonly ReportDimension[],
  filter: ActivityFilter,
  placeholder: Placeholder,
): SqlText {
  const where = whereClause(filter, placeholder);
  const selected = by.flatMap((dimension, index) => {
    const { id, label } = DIMENSION_SQL[dimension];
    return [`${id} AS d${index}_id`, ...(label ? [`${label} AS d${index}_label`] : [])];
  });
  const text = [
    `SELECT ${selected.join(', ')}, COUNT(*) AS requests,`,
    'SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors,',
    'SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,',
    'SUM(cache_read_tokens) AS cache_read_tokens, SUM(cache_write_tokens) AS cache_write_tokens,',
    'SUM(cost_usd) AS cost_usd, SUM(CASE WHEN cost_estimated THEN 1 ELSE 0 END) AS estimated',
    `FROM ${table} ${where.text}`,
    `GROUP BY ${by.map((dimension) => DIMENSION_SQL[dimension].id).join(', ')}`,
  ].join(' ');
  return { text, parameters: where.parameters };
}

/** Dollars to the nano-dollar: sums of the same costs agree on both backends whatever order they were added in. */
function roundUsd(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

function dimensionValue(dimension: ReportDimension, row: StoredRow, index: number): string | null {
  const id = row[`d${index}_id`];
  if (id === null || id === undefined) return null;
  if (dimension === 'day' || dimension === 'hour') {
    const bucket = number(id);
    if (bucket === undefined) return null;
    const iso = new Date(bucket * (dimension === 'day' ? DAY_MS : HOUR_MS)).toISOString();
    return dimension === 'day' ? iso.slice(0, 10) : `${iso.slice(0, 13)}:00Z`;
  }
  const label = row[`d${index}_label`];
  return label === null || label === undefined ? String(id) : String(label);
}

function totalsOf(row: StoredRow): ReportTotals {
  return {
    requests: number(row.requests) ?? 0,
    errors: number(row.errors) ?? 0,
    inputTokens: number(row.input_tokens) ?? 0,
    outputTokens: number(row.output_tokens) ?? 0,
    cacheReadTokens: number(row.cache_read_tokens) ?? 0,
    cacheWriteTokens: number(row.cache_write_tokens) ?? 0,
    costUsd: roundUsd(number(row.cost_usd) ?? 0),
    costEstimated: (number(row.estimated) ?? 0) > 0,
  };
}

/** Ascending, `null` last; by code points, so both backends (whatever their collation) sort alike. */
function compareValues(a: string | null | undefined, b: string | null | undefined): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  return a < b ? -1 : 1;
}

/**
 * The report from the rows `reportSql` selected: buckets sorted by the first
 * dimension, then highest cost first (then most requests, then the second
 * dimension), and their totals.
 *
 * @example
 * assembleReport(['model'], rows).totals.requests // 42
 */
export function assembleReport(by: readonly ReportDimension[], rows: readonly StoredRow[]): UsageReport {
  const buckets: ReportRow[] = rows.map((row) => {
    const bucket: Partial<Record<ReportDimension, string | null>> = {};
    by.forEach((dimension, index) => {
      bucket[dimension] = dimensionValue(dimension, row, index);
    });
    return { ...bucket, ...totalsOf(row) };
  });
  const [first, second] = by;
  buckets.sort(
    (a, b) =>
      (first ? compareValues(a[first], b[first]) : 0) ||
      b.costUsd - a.costUsd ||
      b.requests - a.requests ||
      (second ? compareValues(a[second], b[second]) : 0),
  );
  const totals: ReportTotals = {
    requests: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0,
    costEstimated: false,
  };
  for (const bucket of buckets) {
    totals.requests += bucket.requests;
    totals.errors += bucket.errors;
    totals.inputTokens += bucket.inputTokens;
    totals.outputTokens += bucket.outputTokens;
    totals.cacheReadTokens += bucket.cacheReadTokens;
    totals.cacheWriteTokens += bucket.cacheWriteTokens;
    totals.costUsd += bucket.costUsd;
    totals.costEstimated ||= bucket.costEstimated;
  }
  totals.costUsd = roundUsd(totals.costUsd);
  return { rows: buckets, totals };
}
