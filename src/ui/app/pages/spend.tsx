import { useMemo } from 'preact/hooks';
import { query } from '../api.js';
import { Failure, Loading, PageTitle, Stat, Stats } from '../components/bits.js';
import { Chart, type ChartSeries } from '../components/chart.js';
import { count, usd } from '../format.js';
import { navigate, page, type Route } from '../router.js';
import type { Report, ReportDimension, ReportRow, RequestSummary, UsageTotals } from '../types.js';
import { useApi } from '../use-api.js';

const RANGES = [
  { value: '24h', label: 'Last 24 hours', bucket: 'hour' as const },
  { value: '7d', label: 'Last 7 days', bucket: 'day' as const },
  { value: '30d', label: 'Last 30 days', bucket: 'day' as const },
  { value: '90d', label: 'Last 90 days', bucket: 'day' as const },
];
const DIMENSIONS: { value: ReportDimension; label: string }[] = [
  { value: 'model', label: 'Model' },
  { value: 'key', label: 'Key' },
  { value: 'user', label: 'User' },
  { value: 'group', label: 'Group' },
  { value: 'platform', label: 'Platform' },
];
const MEASURES = {
  cost: { label: 'Cost (USD)', of: (row: ReportRow) => row.costUsd, format: (value: number) => usd(value) },
  tokens: {
    label: 'Tokens',
    of: (row: ReportRow) => row.inputTokens + row.outputTokens + row.cacheReadTokens + row.cacheWriteTokens,
    format: count,
  },
  requests: { label: 'Requests', of: (row: ReportRow) => row.requests, format: count },
};
type Measure = keyof typeof MEASURES;
/** Series drawn one by one; the rest are summed into "others". */
const MOST_SERIES = 8;

/** A report bucket (`2026-12-01`, `2026-12-01T13`, `2026-12-01T13:00` or a full ISO time, UTC) in seconds since the epoch. */
function bucketSeconds(bucket: string): number {
  let text = bucket;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}$/.test(text)) text += ':00';
  if (text.includes('T') && !/(Z|[+-]\d{2}:?\d{2})$/.test(text)) text += 'Z';
  return Date.parse(text) / 1000;
}

/** Every bucket from the report's start to its end, so days without traffic draw as zero. */
function buckets(report: Report, bucket: 'day' | 'hour'): number[] {
  const step = bucket === 'day' ? 86_400 : 3_600;
  const start = Math.floor(Date.parse(report.since) / 1000 / step) * step;
  const end = Date.parse(report.until) / 1000;
  const times: number[] = [];
  for (let time = start; time < end && times.length < 2_000; time += step) times.push(time);
  for (const row of report.rows) {
    const time = bucketSeconds(String(row[bucket] ?? ''));
    if (!Number.isNaN(time) && !times.includes(time)) times.push(time);
  }
  return times.sort((a, b) => a - b);
}

const label = (value: unknown) =>
  value === null || value === undefined || value === '' ? '(none)' : String(value);

interface Shaped {
  times: number[];
  bySeries: ChartSeries[];
  tokens: ChartSeries[];
  table: (Omit<ReportRow, ReportDimension> & { name: string })[];
}

/** The report's rows as chart series (one per dimension value) and a table per value. */
function shape(report: Report, bucket: 'day' | 'hour', dimension: ReportDimension, measure: Measure): Shaped {
  const times = buckets(report, bucket);
  const index = new Map(times.map((time, position) => [time, position]));
  const totals = new Map<string, Omit<ReportRow, ReportDimension> & { name: string }>();
  for (const row of report.rows) {
    const name = label(row[dimension]);
    const total = totals.get(name) ?? {
      name,
      requests: 0,
      errors: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 0,
    };
    total.requests += row.requests;
    total.errors += row.errors;
    total.inputTokens += row.inputTokens;
    total.outputTokens += row.outputTokens;
    total.cacheReadTokens += row.cacheReadTokens;
    total.cacheWriteTokens += row.cacheWriteTokens;
    total.costUsd += row.costUsd;
    if (row.costEstimated) total.costEstimated = true;
    totals.set(name, total);
  }
  const of = MEASURES[measure].of;
  const table = [...totals.values()].sort(
    (a, b) => of(b as ReportRow) - of(a as ReportRow) || b.requests - a.requests,
  );
  const drawn = table.slice(0, MOST_SERIES).map((row) => row.name);
  const seriesNames = table.length > MOST_SERIES ? [...drawn, 'others'] : drawn;
  const values = seriesNames.map(() => times.map(() => 0));
  const tokenValues = [0, 1, 2, 3].map(() => times.map(() => 0));
  for (const row of report.rows) {
    const position = index.get(bucketSeconds(String(row[bucket] ?? '')));
    if (position === undefined) continue;
    const name = label(row[dimension]);
    const series = drawn.includes(name) ? drawn.indexOf(name) : seriesNames.length - 1;
    (values[series] as number[])[position] = ((values[series] as number[])[position] ?? 0) + of(row);
    const tokens = [row.inputTokens, row.outputTokens, row.cacheReadTokens, row.cacheWriteTokens];
    tokens.forEach((value, kind) => {
      (tokenValues[kind] as number[])[position] = ((tokenValues[kind] as number[])[position] ?? 0) + value;
    });
  }
  return {
    times,
    bySeries: seriesNames.map((name, position) => ({ label: name, values: values[position] as number[] })),
    tokens: ['input', 'output', 'cache read', 'cache write'].map((name, kind) => ({
      label: name,
      values: tokenValues[kind] as number[],
    })),
    table,
  };
}

function Totals({
  totals,
  estimated,
}: {
  totals: Omit<UsageTotals, 'unpricedRequests'>;
  estimated?: boolean;
}) {
  return (
    <Stats>
      <Stat label="Spend" value={usd(totals.costUsd, estimated)} />
      <Stat label="Requests" value={count(totals.requests)} />
      <Stat label="Errors" value={count(totals.errors)} />
      <Stat label="Input tokens" value={count(totals.inputTokens)} />
      <Stat label="Output tokens" value={count(totals.outputTokens)} />
      <Stat label="Cache read" value={count(totals.cacheReadTokens)} />
      <Stat label="Cache write" value={count(totals.cacheWriteTokens)} />
    </Stats>
  );
}

function UsageTable({
  caption,
  rows,
}: {
  caption: string;
  rows: (UsageTotals & { name: string; costEstimated?: boolean })[];
}) {
  return (
    <div class="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col" class="number">
              Cost
            </th>
            <th scope="col" class="number">
              Requests
            </th>
            <th scope="col" class="number">
              Errors
            </th>
            <th scope="col" class="number">
              Input
            </th>
            <th scope="col" class="number">
              Output
            </th>
            <th scope="col" class="number">
              Cache read
            </th>
            <th scope="col" class="number">
              Cache write
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name}>
              <th scope="row">{row.name}</th>
              <td class="number">{usd(row.costUsd, row.costEstimated)}</td>
              <td class="number">{count(row.requests)}</td>
              <td class="number">{count(row.errors)}</td>
              <td class="number">{count(row.inputTokens)}</td>
              <td class="number">{count(row.outputTokens)}</td>
              <td class="number">{count(row.cacheReadTokens)}</td>
              <td class="number">{count(row.cacheWriteTokens)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Without the report API (an older gateway): today's totals by key, model and platform, no charts. */
function SummaryFallback({ since }: { since: string }) {
  const { data, error } = useApi<RequestSummary>(`/admin/summary${query({ since })}`);
  if (error) return <Failure message={error} />;
  if (!data) return <Loading what="the summary" />;
  return (
    <>
      <p class="notice">This gateway has no report API (/admin/report): totals only, no charts over time.</p>
      <Totals totals={data.total} />
      <UsageTable caption="By model" rows={data.byModel.map((row) => ({ ...row, name: label(row.model) }))} />
      <UsageTable
        caption="By key"
        rows={data.byKey.map((row) => ({ ...row, name: label(row.keyName ?? row.keyId) }))}
      />
      <UsageTable
        caption="By platform"
        rows={data.byPlatform.map((row) => ({ ...row, name: label(row.platform) }))}
      />
    </>
  );
}

/** Spend and tokens over time, by model, key, user, group or platform. */
export function SpendPage({ route }: { route: Route }) {
  const range =
    RANGES.find((item) => item.value === route.query.get('since')) ?? (RANGES[2] as (typeof RANGES)[number]);
  const dimension =
    DIMENSIONS.find((item) => item.value === route.query.get('by'))?.value ?? ('model' as ReportDimension);
  const measure: Measure =
    (Object.keys(MEASURES) as Measure[]).find((name) => name === route.query.get('measure')) ?? 'cost';
  const { data, error } = useApi<Report>(
    `/admin/report${query({ by: `${range.bucket},${dimension}`, since: range.value })}`,
  );
  const shaped = useMemo(
    () => (data ? shape(data, range.bucket, dimension, measure) : undefined),
    [data, range.bucket, dimension, measure],
  );
  const set = (field: string, value: string) =>
    navigate(page('spend') + query({ since: range.value, by: dimension, measure, [field]: value }), {
      replace: true,
    });
  const notConfigured = error !== undefined && /no GET \/admin\/report/.test(error);
  const dimensionLabel = DIMENSIONS.find((item) => item.value === dimension)?.label ?? dimension;
  return (
    <section>
      <PageTitle>Spend</PageTitle>
      <form class="filters" onSubmit={(event) => event.preventDefault()}>
        <span class="field">
          <label for="spend-range">Range</label>
          <select
            id="spend-range"
            value={range.value}
            onChange={(event) => set('since', (event.target as HTMLSelectElement).value)}
          >
            {RANGES.map((item) => (
              <option key={item.value} value={item.value}>
                {item.label}
              </option>
            ))}
          </select>
        </span>
        <span class="field">
          <label for="spend-by">By</label>
          <select
            id="spend-by"
            value={dimension}
            onChange={(event) => set('by', (event.target as HTMLSelectElement).value)}
          >
            {DIMENSIONS.map((item) => (
              <option key={item.value} value={item.value}>
                {item.label}
              </option>
            ))}
          </select>
        </span>
        <span class="field">
          <label for="spend-measure">Measure</label>
          <select
            id="spend-measure"
            value={measure}
            onChange={(event) => set('measure', (event.target as HTMLSelectElement).value)}
          >
            {(Object.keys(MEASURES) as Measure[]).map((name) => (
              <option key={name} value={name}>
                {MEASURES[name].label}
              </option>
            ))}
          </select>
        </span>
      </form>
      {notConfigured ? <SummaryFallback since={range.value} /> : <Failure message={error} />}
      {!data && !error ? <Loading what="the report" /> : null}
      {data && shaped ? (
        <>
          <Totals totals={data.totals} estimated={data.totals.costEstimated} />
          <h2>
            {MEASURES[measure].label} per {range.bucket} by {dimensionLabel.toLowerCase()}
          </h2>
          <Chart
            title={`${MEASURES[measure].label} per ${range.bucket} by ${dimensionLabel}`}
            times={shaped.times}
            series={shaped.bySeries}
            format={MEASURES[measure].format}
            bars
          />
          <h2>Tokens per {range.bucket}</h2>
          <Chart
            title={`Tokens per ${range.bucket}`}
            times={shaped.times}
            series={shaped.tokens}
            format={count}
          />
          <UsageTable
            caption={`By ${dimensionLabel.toLowerCase()}`}
            rows={shaped.table.map((row) => ({ ...row, unpricedRequests: 0 }))}
          />
        </>
      ) : null}
    </section>
  );
}
