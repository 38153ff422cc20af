import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AttemptReport } from '../engine/engine.js';
import type { RequestRecord, WriteStats } from '../store/types.js';
import type { ActivityEntry } from './activity.js';
import type { Dialect } from './dialect.js';

/** What the gauges read when Prometheus scrapes. */
export interface MetricSources {
  requestsInFlight: () => number;
  storeStats: () => WriteStats;
  /** Called once per finished request (the access log, when it is on). */
  onRequest?: (row: Readonly<RequestRecord>, dialect: Dialect, status: number) => void;
}

/**
 * Labels must stay few: a model the catalog does not know is `other` (clients
 * may send any string), a request without a key has `key=""`.
 */
function modelLabel(activity: ActivityEntry): string {
  return activity.row.model ?? (activity.row.requestedModel ? 'other' : '');
}

/**
 * Prometheus metrics for `GET /metrics`: requests, tokens and cost by model,
 * platform and key; latency and time to first byte; upstream attempts;
 * refusals by reason; in-flight requests; the activity log's queue and
 * dropped rows; and Node's process metrics.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private onRequest: MetricSources['onRequest'];
  private readonly requests = new Counter({
    name: 'claude_gateway_requests_total',
    help: 'Requests answered, by ingress dialect, HTTP status, model (catalog name, or other), platform that served and gateway key',
    labelNames: ['dialect', 'status', 'model', 'platform', 'key'],
    registers: [this.registry],
  });
  private readonly tokens = new Counter({
    name: 'claude_gateway_tokens_total',
    help: 'Tokens of answered requests, by type (input, output, cache_read, cache_write), model, platform and key',
    labelNames: ['type', 'model', 'platform', 'key'],
    registers: [this.registry],
  });
  private readonly attemptCounter = new Counter({
    name: 'claude_gateway_upstream_attempts_total',
    help: 'Upstream attempts, by platform, region and outcome',
    labelNames: ['platform', 'region', 'outcome'],
    registers: [this.registry],
  });
  private readonly refusals = new Counter({
    name: 'claude_gateway_refusals_total',
    help: 'Requests the gateway refused itself (no upstream attempt), by error type: authentication, permission (model, residency, budget), rate limit, invalid request…',
    labelNames: ['dialect', 'reason'],
    registers: [this.registry],
  });
  private readonly cost = new Counter({
    name: 'claude_gateway_cost_usd_total',
    help: 'Cost of answered requests in USD, from the catalog prices, by dialect, model, platform and key',
    labelNames: ['dialect', 'model', 'platform', 'key'],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'claude_gateway_request_duration_seconds',
    help: 'Time from request to the end of the answer',
    labelNames: ['dialect', 'platform'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });
  private readonly firstByte = new Histogram({
    name: 'claude_gateway_time_to_first_byte_seconds',
    help: 'Time from request to the first byte of the answer from the platform that served',
    labelNames: ['dialect', 'platform'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'claude_gateway_' });
  }

  /** Gauges read at scrape time: requests in flight, and the activity log's queue and losses. */
  observe(sources: MetricSources): void {
    this.onRequest = sources.onRequest;
    new Gauge({
      name: 'claude_gateway_requests_in_flight',
      help: 'Requests being served now (streams included)',
      registers: [this.registry],
      collect() {
        this.set(sources.requestsInFlight());
      },
    });
    new Gauge({
      name: 'claude_gateway_log_rows_queued',
      help: 'Activity log rows waiting to be written',
      registers: [this.registry],
      collect() {
        this.set(sources.storeStats().queued);
      },
    });
    new Gauge({
      name: 'claude_gateway_log_rows_dropped',
      help: 'Activity log rows given up on since start (kept in the crash journal when it is on)',
      registers: [this.registry],
      collect() {
        this.set(sources.storeStats().dropped);
      },
    });
  }

  requestDone(dialect: Dialect, status: number, activity: ActivityEntry): void {
    const row = activity.row;
    const model = modelLabel(activity);
    const platform = row.platform ?? '';
    const key = row.keyName ?? '';
    this.requests.inc({ dialect, status: String(status), model, platform, key });
    if (row.attemptCount === 0 && status >= 400 && status < 500) {
      this.refusals.inc({
        dialect,
        reason: (row.errorType ?? String(status)).split(' ')[0] ?? String(status),
      });
    }
    const cost = activity.cost();
    if (cost) this.cost.inc({ dialect, model, platform, key }, cost);
    for (const [type, count] of [
      ['input', row.inputTokens],
      ['output', row.outputTokens],
      ['cache_read', row.cacheReadTokens],
      ['cache_write', row.cacheWriteTokens],
    ] as const) {
      if (count > 0) this.tokens.inc({ type, model, platform, key }, count);
    }
    this.duration.observe({ dialect, platform }, activity.elapsedSeconds());
    if (row.ttfbMs !== undefined) this.firstByte.observe({ dialect, platform }, row.ttfbMs / 1000);
    this.onRequest?.(row, dialect, status);
  }

  attempts(reports: readonly AttemptReport[]): void {
    for (const report of reports) {
      this.attemptCounter.inc({
        platform: report.target.platform,
        region: report.target.region ?? '',
        outcome: report.outcome,
      });
    }
  }
}
