import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DAY, T0 } from './__fixtures__/records.js';
import { startRetention } from './retention.js';
import type { StoreLogEntry } from './types.js';

describe('startRetention', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('prunes rows older than 30 days at start and every hour by default', async () => {
    const cutoffs: number[] = [];
    let now = T0;
    const stop = startRetention(
      {
        prune: async (olderThanMs) => {
          cutoffs.push(olderThanMs);
          return 3;
        },
      },
      { now: () => now },
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(cutoffs).toEqual([T0 - 30 * DAY]);
    now = T0 + 60 * 60 * 1000;
    await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
    expect(cutoffs).toEqual([T0 - 30 * DAY, now - 30 * DAY]);
    stop();
    await vi.advanceTimersByTimeAsync(10 * 60 * 60 * 1000);
    expect(cutoffs).toHaveLength(2);
  });

  it('takes the retention and interval it is given, and reports what it removed', async () => {
    const removed: number[] = [];
    const cutoffs: number[] = [];
    const stop = startRetention(
      {
        prune: async (olderThanMs) => {
          cutoffs.push(olderThanMs);
          return 7;
        },
      },
      { retentionDays: 7, intervalMs: 1000, now: () => T0, onPrune: (count) => removed.push(count) },
    );
    await vi.advanceTimersByTimeAsync(2000);
    stop();
    expect(cutoffs).toEqual([T0 - 7 * DAY, T0 - 7 * DAY, T0 - 7 * DAY]);
    expect(removed).toEqual([7, 7, 7]);
  });

  it('logs a failed prune and tries again next time, never throwing', async () => {
    const logs: StoreLogEntry[] = [];
    let calls = 0;
    const stop = startRetention(
      {
        prune: async () => {
          calls += 1;
          if (calls === 1) throw new Error('database is locked');
          return 0;
        },
      },
      { intervalMs: 1000, logger: (entry) => logs.push(entry) },
    );
    await vi.advanceTimersByTimeAsync(1000);
    stop();
    expect(calls).toBe(2);
    expect(logs).toEqual([expect.objectContaining({ level: 'warn', error: expect.any(Error) })]);
  });

  it('does not start a prune while the last one is still running', async () => {
    let running = 0;
    let most = 0;
    let calls = 0;
    const stop = startRetention(
      {
        prune: async () => {
          calls += 1;
          running += 1;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 2500));
          running -= 1;
          return 0;
        },
      },
      { intervalMs: 1000 },
    );
    // runs start at 0 and 3000 (1000 and 2000 are skipped: the first is still running)
    await vi.advanceTimersByTimeAsync(5999);
    stop();
    expect(most).toBe(1);
    expect(calls).toBe(2);
  });

  it('refuses a retention or interval that is not positive', () => {
    const store = { prune: async () => 0 };
    expect(() => startRetention(store, { retentionDays: 0 })).toThrow(RangeError);
    expect(() => startRetention(store, { intervalMs: -1 })).toThrow(RangeError);
  });
});
