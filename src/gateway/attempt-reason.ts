import type { AttemptReport } from '../engine/engine.js';
import { isModelUnavailable } from '../engine/failover.js';

/**
 * Why an upstream attempt was retried or failed over, in a few stable words
 * for a metric label: `rate_limited` (429), `overloaded` (529, overloaded_error),
 * `server_error` (other 5xx), `timeout`, `connection` (refused, reset, DNS),
 * `denied` (401/403), `credentials` (the gateway's own cloud credentials),
 * `model_unavailable` (the target does not serve the model), `rejected_beta`
 * (the platform refused a beta; retried without it), or `other`.
 */
export function attemptFailureReason(report: Pick<AttemptReport, 'error' | 'outcome'>): string {
  const error = report.error;
  if (!error) return 'other';
  if (error.code === 'PLATFORM_CREDENTIALS_UNAVAILABLE') return 'credentials';
  if (error.code === 'UPSTREAM_TIMEOUT' || error.status === 408) return 'timeout';
  if (error.code === 'UPSTREAM_UNREACHABLE') return 'connection';
  if (error.status === 429) return 'rate_limited';
  if (error.status === 529 || error.type === 'overloaded_error') return 'overloaded';
  if (error.status === 401 || error.status === 403) return 'denied';
  if (isModelUnavailable(error)) return 'model_unavailable';
  // The engine retries a non-retryable error on the same target only after learning a beta it refused.
  if (report.outcome === 'retried' && !error.retryable) return 'rejected_beta';
  if (error.status >= 500) return 'server_error';
  return 'other';
}
