/** How the engine retries one target before failing over to the next. */
export interface RetryOptions {
  /** Attempts per target, the first included. */
  attemptsPerTarget?: number;
  /** First backoff; doubles each retry. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A `retry-after` longer than this fails over instead of waiting. */
  maxRetryAfterMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = {
  attemptsPerTarget: 2,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 20_000,
};

/**
 * The wait before retry number `retry` (1-based) on the same target:
 * jittered exponential backoff, or the upstream's `retry-after` when it is
 * longer. Returns undefined when the upstream asks for a wait longer than the
 * cap: better to fail over than to hold the client.
 *
 * @example
 * backoffDelay(1, undefined, DEFAULT_RETRY, () => 1) // 250
 * backoffDelay(1, 60, DEFAULT_RETRY)                 // undefined (fail over)
 */
export function backoffDelay(
  retry: number,
  retryAfterSeconds: number | undefined,
  options: Required<RetryOptions>,
  random: () => number = Math.random,
): number | undefined {
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  const jittered = exponential * (0.5 + random() / 2);
  if (retryAfterSeconds === undefined) return Math.round(jittered);
  const asked = retryAfterSeconds * 1000;
  if (asked > options.maxRetryAfterMs) return undefined;
  return Math.round(Math.max(asked, jittered));
}

/** Waits, unless the signal aborts first. */
export function sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (milliseconds <= 0 || signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, milliseconds);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
