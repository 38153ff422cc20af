import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AttemptReport } from '../engine/engine.js';
import type { RequestFacts, WriteStats } from '../store/types.js';
import type { GatewayError } from '../wire/errors/gateway-error.js';
import type { ActivityEntry } from './activity.js';
import { attemptFailureReason } from './attempt-reason.js';
import type { Dialect } from './dialect.js';
import { refusedLimit } from './limits.js';
import { gatewayOverhead } from './overhead.js';

/** What the gauges read when Prometheus scrapes. */
export interface MetricSources {
  requestsInFlight: () => number;
  storeStats: () => WriteStats;
  /** Called once per finished request (the access log, when it is on). */
  onRequest?: (row: Readonly<RequestFacts>, dialect: Dialect, status: number) => void;
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
  private readonly retries = new Counter({
    name: 'claude_gateway_retries_total',
    help: 'Upstream attempts that did not serve and were followed by another: kind "retry" (the same target again) or "failover" (the next target), by platform and reason (rate_limited, overloaded, server_error, timeout, connection, denied, credentials, model_unavailable, rejected_beta, other)',
    labelNames: ['kind', 'platform', 'reason'],
    registers: [this.registry],
  });
  private readonly limitRefusals = new Counter({
    name: 'claude_gateway_limit_refusals_total',
    help: 'Requests refused by a gateway key limit, by limit (budget, requests_per_minute, tokens_per_minute, allowed_models, residency) and key; also counted in refusals_total',
    labelNames: ['limit', 'key'],
    registers: [this.registry],
  });
  private readonly redisErrors = new Counter({
    name: 'claude_gateway_redis_errors_total',
    help: 'Redis commands that failed or timed out, and connection attempts that failed, by use (sessions, limits); each use decides on its own while Redis is away',
    labelNames: ['use'],
    registers: [this.registry],
  });
  private readonly otlpExports = new Counter({
    name: 'claude_gateway_otlp_exports_total',
    help: "Claude Code's own OpenTelemetry exports received at /v1/{traces,metrics,logs} (telemetry.forwardClaudeCode), by signal and the status answered (the receiver's, or the gateway's refusal)",
    labelNames: ['signal', 'status'],
    registers: [this.registry],
  });
  private readonly overhead = new Histogram({
    name: 'claude_gateway_overhead_seconds',
    help:
      'Time a served request spent in the gateway, not upstream. until="last_byte": the whole duration (arrival to the last byte to the client) ' +
      "less the upstream time from the first attempt's start to the last byte of the serving attempt's answer; " +
      'until="first_byte": the time to the first byte to the client less the time from the first attempt\'s start to the serving attempt\'s first response byte. ' +
      'Retries, backoff and failovers count as upstream time (see retries_total); millisecond resolution',
    labelNames: ['dialect', 'until'],
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
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
    // Read from the store's running totals at scrape time; a counter only ever moves up by the difference.
    let seen = { write: 0, read: 0 };
    new Counter({
      name: 'claude_gateway_store_errors_total',
      help: 'Calls to the activity log and key store that failed (Postgres unreachable, or a statement refused), by operation: write (a batch of log rows, retried) or read (keys, budgets, the admin API, readiness checks)',
      labelNames: ['operation'],
      registers: [this.registry],
      collect() {
        const stats = sources.storeStats();
        const now = { write: stats.failedWrites, read: stats.failedReads ?? 0 };
        for (const operation of ['write', 'read'] as const) {
          const added = now[operation] - seen[operation];
          // Zero keeps the series visible from the first scrape.
          this.inc({ operation }, Math.max(0, added));
        }
        seen = now;
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
      const limit = activity.error && limitOfRefusal(activity.error);
      if (limit) this.limitRefusals.inc({ limit, key });
    }
    const overhead = gatewayOverhead(row, activity.attemptReports, Date.now());
    if (overhead.lastByte !== undefined)
      this.overhead.observe({ dialect, until: 'last_byte' }, overhead.lastByte);
    if (overhead.firstByte !== undefined)
      this.overhead.observe({ dialect, until: 'first_byte' }, overhead.firstByte);
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
      if (report.outcome === 'retried' || report.outcome === 'failed-over') {
        this.retries.inc({
          kind: report.outcome === 'retried' ? 'retry' : 'failover',
          platform: report.target.platform,
          reason: attemptFailureReason(report),
        });
      }
    }
  }

  /** One OTLP export from a client was answered with this status. */
  otlpExport(signal: string, status: number): void {
    this.otlpExports.inc({ signal, status: String(status) });
  }

  /** A Redis command or connection attempt failed (`use`: what it serves: sessions, limits). */
  redisError(use: 'sessions' | 'limits'): void {
    this.redisErrors.inc({ use });
  }

  /** Shows a Redis use's error series (at 0) from the start, so a dashboard can tell "none" from "not used". */
  usesRedis(use: 'sessions' | 'limits'): void {
    this.redisErrors.inc({ use }, 0);
  }
}

/** The key limit a refusal was for, by the error's code (rpm and tpm share theirs: see refusedLimit). */
function limitOfRefusal(error: GatewayError): string | undefined {
  if (error.code === 'MODEL_NOT_ALLOWED') return 'allowed_models';
  if (error.code === 'GEOGRAPHY_CONFLICT') return 'residency';
  return refusedLimit(error);
}
