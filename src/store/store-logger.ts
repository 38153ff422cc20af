import type { StoreLogEntry } from './types.js';

/**
 * The logger a store uses when none is given: one line on stderr per event.
 *
 * @example
 * writeStoreLogToStderr({ level: 'error', message: 'an activity row was dropped', dropped: 1 })
 * // stderr: claude-gateway store error: an activity row was dropped (1 dropped)
 */
export function writeStoreLogToStderr(entry: StoreLogEntry): void {
  const cause =
    entry.error instanceof Error ? `: ${entry.error.message}` : entry.error ? `: ${String(entry.error)}` : '';
  const dropped = entry.dropped ? ` (${entry.dropped} dropped)` : '';
  process.stderr.write(`claude-gateway store ${entry.level}: ${entry.message}${cause}${dropped}\n`);
}
