import { Counter, Histogram, Registry } from 'prom-client';
import type { AttemptReport } from '../engine/engine.js';
import type { ActivityEntry } from './activity.js';
import type { Dialect } from './dialect.js';

/** Prometheus metrics for `GET /metrics`. */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'claude_gateway_requests_total',
    help: 'Requests answered, by ingress dialect and HTTP status',
    labelNames: ['dialect', 'status'],
    registers: [this.registry],
  });
  private readonly attemptCounter = new Counter({
    name: 'claude_gateway_upstream_attempts_total',
    help: 'Upstream attempts, by platform and outcome',
    labelNames: ['platform', 'outcome'],
    registers: [this.registry],
  });
  private readonly cost = new Counter({
    name: 'claude_gateway_cost_usd_total',
    help: 'Cost of answered requests in USD, from the catalog prices',
    labelNames: ['dialect'],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'claude_gateway_request_duration_seconds',
    help: 'Time from request to the end of the answer',
    labelNames: ['dialect'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });

  requestDone(dialect: Dialect, status: number, activity: ActivityEntry): void {
    this.requests.inc({ dialect, status: String(status) });
    const cost = activity.cost();
    if (cost) this.cost.inc({ dialect }, cost);
    this.duration.observe({ dialect }, activity.elapsedSeconds());
  }

  attempts(reports: readonly AttemptReport[]): void {
    for (const report of reports)
      this.attemptCounter.inc({ platform: report.target.platform, outcome: report.outcome });
  }
}
