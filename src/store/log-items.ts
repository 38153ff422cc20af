import type { AttemptRecord, RequestRow } from './types.js';

/** One queued write of the activity log. */
export type LogItem = { kind: 'request'; record: RequestRow } | { kind: 'attempt'; record: AttemptRecord };

/** Bytes a row adds besides its bodies (ids, names, numbers), for batch sizing. */
const ROW_OVERHEAD_BYTES = 512;

/**
 * The approximate size of a queued row, so batches with big bodies stay small.
 *
 * @example
 * logItemSize({ kind: 'request', record: { ...record, requestBody: 'x'.repeat(1000) } }) // 1512
 */
export function logItemSize(item: LogItem): number {
  if (item.kind === 'attempt') return ROW_OVERHEAD_BYTES;
  return (
    ROW_OVERHEAD_BYTES + (item.record.requestBody?.length ?? 0) + (item.record.responseBody?.length ?? 0)
  );
}

/**
 * Splits a batch into requests and attempts, keeping the last of each id
 * (request id; request id and attempt number), so one upsert statement never
 * meets the same row twice.
 *
 * @example
 * splitLogItems([{ kind: 'request', record: a }, { kind: 'request', record: aAgain }]).requests // [aAgain]
 */
export function splitLogItems(items: readonly LogItem[]): {
  requests: RequestRow[];
  attempts: AttemptRecord[];
} {
  const requests = new Map<string, RequestRow>();
  const attempts = new Map<string, AttemptRecord>();
  for (const item of items) {
    if (item.kind === 'request') {
      requests.delete(item.record.id);
      requests.set(item.record.id, item.record);
    } else {
      const key = `${item.record.requestId}\u0000${item.record.attempt}`;
      attempts.delete(key);
      attempts.set(key, item.record);
    }
  }
  return { requests: [...requests.values()], attempts: [...attempts.values()] };
}
