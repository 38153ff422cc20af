import type { AttemptReport } from '../engine/engine.js';
import type { RequestFacts } from '../store/types.js';

/** The gateway's own time in one request, in seconds; absent where it cannot be told apart from the upstream's. */
export interface GatewayOverhead {
  /** To the answer's last byte. */
  lastByte?: number;
  /** To the answer's first byte. */
  firstByte?: number;
}

/**
 * The time a served request spent in the gateway rather than upstream:
 * - to the last byte: the request's whole duration (arrival to the last byte
 *   written to the client) less the upstream time, from the start of the first
 *   upstream attempt to the last byte of the answer from the attempt that served;
 * - to the first byte: the time to the first byte written to the client less
 *   the time from the start of the first attempt to the serving attempt's first
 *   response byte.
 * So it is what comes before the first attempt (parsing, keys, limits, plan)
 * plus what comes after the upstream's answer (encoding, writing, the log);
 * retries, backoff and failovers are upstream time (they have their own metric).
 * Refused and failed requests have none. Milliseconds, as the clock gives them.
 *
 * @example
 * gatewayOverhead(row, attempts, Date.now()); // { lastByte: 0.002, firstByte: 0.001 }
 */
export function gatewayOverhead(
  row: Readonly<RequestFacts>,
  attempts: readonly AttemptReport[],
  now: number,
): GatewayOverhead {
  const first = attempts[0];
  const served = attempts.find((attempt) => attempt.outcome === 'success');
  if (!first || !served || served.ttfbMs === undefined || row.status >= 400 || row.clientDisconnected)
    return {};
  const upstreamStart = first.startedAt;
  const overhead: GatewayOverhead = {};
  if (row.ttfbMs !== undefined) {
    const upstreamToFirstByte = served.startedAt + served.ttfbMs - upstreamStart;
    overhead.firstByte = Math.max(0, row.ttfbMs - upstreamToFirstByte) / 1000;
  }
  // A stream's row is finished when its last upstream chunk arrives, before that chunk is written;
  // a whole answer's attempt ends when its body has been read.
  const upstreamEnd = row.stream
    ? row.durationMs === undefined
      ? undefined
      : row.time + row.durationMs
    : served.durationMs === undefined
      ? undefined
      : served.startedAt + served.durationMs;
  if (upstreamEnd !== undefined) {
    overhead.lastByte = Math.max(0, now - row.time - (upstreamEnd - upstreamStart)) / 1000;
  }
  return overhead;
}
