import { writeStoreLogToStderr } from './store-logger.js';
import type { Store, StoreLogger } from './types.js';

export interface RetentionOptions {
  /** Keep this many days of activity. Default 30 (the platforms recommend a 30-day rolling log). */
  retentionDays?: number;
  /** Prune this often. Default one hour. */
  intervalMs?: number;
  /** Called after each prune with the rows removed. */
  onPrune?: (removed: number) => void;
  logger?: StoreLogger;
  /** The clock, for tests. */
  now?: () => number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Prunes the activity log in the background: once at start, then every
 * `intervalMs`, removing rows older than `retentionDays`. Failures are logged,
 * never thrown; runs never overlap; the timer does not keep the process alive.
 * Returns a function that stops it.
 *
 * @example
 * const stopRetention = startRetention(store, { retentionDays: 30 });
 * // on shutdown:
 * stopRetention();
 */
export function startRetention(store: Pick<Store, 'prune'>, options: RetentionOptions = {}): () => void {
  const retentionDays = options.retentionDays ?? 30;
  const intervalMs = options.intervalMs ?? 60 * 60 * 1000;
  const now = options.now ?? Date.now;
  const logger = options.logger ?? writeStoreLogToStderr;
  if (!(retentionDays > 0) || !(intervalMs > 0)) {
    throw new RangeError(
      `retentionDays and intervalMs must be positive numbers; got ${retentionDays} days every ${intervalMs} ms`,
    );
  }
  let running = false;
  let stopped = false;
  const run = async () => {
    if (running || stopped) return;
    running = true;
    try {
      const removed = await store.prune(now() - retentionDays * DAY_MS);
      options.onPrune?.(removed);
    } catch (error) {
      logger({
        level: 'warn',
        message: 'pruning the activity log failed; trying again next interval',
        error,
      });
    } finally {
      running = false;
    }
  };
  const first = setTimeout(run, 0);
  const timer = setInterval(run, intervalMs);
  first.unref();
  timer.unref();
  return () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
  };
}
