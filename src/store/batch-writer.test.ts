import { afterEach, describe, expect, it, vi } from 'vitest';
import { BatchWriter } from './batch-writer.js';
import type { StoreLogEntry } from './types.js';

/** A promise that the test resolves by hand. */
function gate() {
  const { promise: opened, resolve: open } = Promise.withResolvers<void>();
  return { opened, open };
}

/** A flag that says whether a promise has settled, checked after pending callbacks run. */
function track(promise: Promise<unknown>) {
  const state = { settled: false };
  promise.then(() => {
    state.settled = true;
  });
  return state;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('BatchWriter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes queued items once the interval has passed, in one batch', async () => {
    vi.useFakeTimers();
    const batches: number[][] = [];
    const writer = new BatchWriter<number>({
      write: async (items) => void batches.push(items),
      flushIntervalMs: 100,
    });
    writer.push(1);
    writer.push(2);
    writer.push(3);
    await vi.advanceTimersByTimeAsync(99);
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(writer.stats()).toEqual({ queued: 0, written: 3, dropped: 0, failedWrites: 0 });
  });

  it('writes at once when a batch is full by count or by bytes', async () => {
    const batches: string[][] = [];
    const writer = new BatchWriter<string>({
      write: async (items) => void batches.push(items),
      maxBatchSize: 3,
      maxBatchBytes: 10,
      sizeOf: (item) => item.length,
      flushIntervalMs: 60_000,
    });
    writer.push('a');
    writer.push('b');
    expect(batches).toEqual([]);
    writer.push('c');
    expect(batches).toEqual([['a', 'b', 'c']]);
    await writer.flush();
    writer.push('12345');
    expect(batches).toHaveLength(1);
    writer.push('123456');
    expect(batches).toEqual([['a', 'b', 'c'], ['12345']]);
    await writer.flush();
    expect(batches).toEqual([['a', 'b', 'c'], ['12345'], ['123456']]);
  });

  it('gathers what arrives during a write into the next batch', async () => {
    const batches: number[][] = [];
    const first = gate();
    const writer = new BatchWriter<number>({
      write: async (items) => {
        batches.push(items);
        if (batches.length === 1) await first.opened;
      },
      maxBatchSize: 1,
    });
    writer.push(0);
    for (let item = 1; item <= 4; item += 1) writer.push(item);
    expect(batches).toEqual([[0]]);
    first.open();
    await writer.flush();
    expect(batches).toEqual([[0], [1], [2], [3], [4]]);
  });

  it('resolves flush only once the items pushed before it are written', async () => {
    const write = gate();
    const writer = new BatchWriter<number>({ write: () => write.opened });
    writer.push(1);
    const flushed = track(writer.flush());
    await tick();
    expect(flushed.settled).toBe(false);
    write.open();
    await tick();
    expect(flushed.settled).toBe(true);
    expect(writer.stats().written).toBe(1);
    await expect(writer.flush()).resolves.toBeUndefined();
  });

  it('logs a failed write and retries it once', async () => {
    const logs: StoreLogEntry[] = [];
    const batches: number[][] = [];
    let calls = 0;
    const writer = new BatchWriter<number>({
      write: async (items) => {
        calls += 1;
        if (calls === 1) throw new Error('database is locked');
        batches.push(items);
      },
      retryDelayMs: 0,
      logger: (entry) => logs.push(entry),
    });
    writer.push(1);
    writer.push(2);
    await writer.flush();
    expect(batches).toEqual([[1, 2]]);
    expect(writer.stats()).toEqual({ queued: 0, written: 2, dropped: 0, failedWrites: 1 });
    expect(logs).toHaveLength(1);
    expect(logs[0]?.level).toBe('warn');
    expect(String(logs[0]?.error)).toContain('database is locked');
  });

  it('drops only the row that keeps failing, counts it and says so', async () => {
    const logs: StoreLogEntry[] = [];
    const written: number[] = [];
    const writer = new BatchWriter<number>({
      write: async (items) => {
        if (items.includes(3)) throw new Error('bad row');
        written.push(...items);
      },
      retryDelayMs: 0,
      logger: (entry) => logs.push(entry),
    });
    for (let item = 1; item <= 5; item += 1) writer.push(item);
    await writer.flush();
    expect(written).toEqual([1, 2, 4, 5]);
    expect(writer.stats()).toMatchObject({ written: 4, dropped: 1 });
    expect(logs.filter((entry) => entry.level === 'error')).toEqual([
      expect.objectContaining({ dropped: 1, error: expect.any(Error) }),
    ]);
  });

  it('gives up on a batch when the store keeps failing, without trying every row, and flush still resolves', async () => {
    const logs: StoreLogEntry[] = [];
    let calls = 0;
    const writer = new BatchWriter<number>({
      write: async () => {
        calls += 1;
        throw new Error('connection refused');
      },
      retryDelayMs: 0,
      logger: (entry) => logs.push(entry),
    });
    for (let item = 0; item < 100; item += 1) writer.push(item);
    await writer.flush();
    expect(calls).toBe(5);
    expect(writer.stats()).toMatchObject({ written: 0, dropped: 100, failedWrites: 5 });
    const dropped = logs.reduce((sum, entry) => sum + (entry.dropped ?? 0), 0);
    expect(dropped).toBe(100);
  });

  it('refuses rows beyond the queue limit and counts them', async () => {
    const write = gate();
    const logs: StoreLogEntry[] = [];
    const writer = new BatchWriter<number>({
      write: () => write.opened,
      maxBatchSize: 1,
      maxQueuedItems: 2,
      logger: (entry) => logs.push(entry),
    });
    for (let item = 0; item < 6; item += 1) writer.push(item);
    expect(writer.stats()).toMatchObject({ queued: 2, dropped: 3 });
    expect(logs).toHaveLength(1);
    write.open();
    await writer.flush();
    expect(writer.stats()).toMatchObject({ queued: 0, written: 3, dropped: 3 });
  });

  it('close writes what arrives while closing, then refuses and counts later rows', async () => {
    const written: number[] = [];
    const writer = new BatchWriter<number>({
      write: async (items) => {
        written.push(...items);
        if (items.includes(1)) writer.push(2);
      },
    });
    writer.push(1);
    await writer.close();
    expect(written).toEqual([1, 2]);
    expect(() => writer.push(3)).not.toThrow();
    expect(writer.stats()).toMatchObject({ written: 2, dropped: 1 });
  });

  it('never throws into the caller, even when its callbacks do', async () => {
    const writer = new BatchWriter<number>({
      write: async () => {},
      sizeOf: () => {
        throw new Error('size');
      },
      logger: () => {
        throw new Error('logger');
      },
    });
    expect(() => writer.push(1)).not.toThrow();
    await writer.close();
    expect(() => writer.push(2)).not.toThrow();
    expect(writer.stats()).toMatchObject({ written: 1, dropped: 1 });
  });
});

describe('BatchWriter with a store that cannot be reached', () => {
  const unreachable = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  const isUnavailable = (error: unknown) => (error as { code?: string }).code === 'ECONNREFUSED';

  it('drops nothing: the rows wait, in order, and are written when the store answers again', async () => {
    let down = true;
    const written: number[] = [];
    const logs: StoreLogEntry[] = [];
    const writer = new BatchWriter<number>({
      write: async (items) => {
        if (down) throw unreachable();
        if (items.includes(13)) throw new Error('a row the store refuses');
        written.push(...items);
      },
      isUnavailable,
      flushIntervalMs: 1,
      retryDelayMs: 1,
      maxRetryDelayMs: 5,
      maxBatchSize: 4,
      logger: (entry) => logs.push(entry),
    });
    for (let row = 0; row < 10; row++) writer.push(row);
    const flushed = writer.flush();
    const state = track(flushed);
    for (let wait = 0; wait < 20; wait++) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(state.settled).toBe(false);
    expect(written).toEqual([]);
    expect(writer.stats()).toMatchObject({ queued: 10, written: 0, dropped: 0 });
    writer.push(10);
    writer.push(13);
    writer.push(11);
    down = false;
    await flushed;
    await writer.flush();
    // A row the store refuses (not an outage) is still isolated and dropped, on its own.
    expect(written).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(writer.stats()).toMatchObject({ queued: 0, written: 12, dropped: 1 });
    expect(logs.filter((entry) => entry.message.includes('cannot be reached'))).toHaveLength(1);
    expect(logs.filter((entry) => entry.message.includes('answers again after'))).toHaveLength(1);
  });

  it('gives the held rows up at close (a journal keeps them), without waiting for the store', async () => {
    const logs: StoreLogEntry[] = [];
    const writer = new BatchWriter<number>({
      write: async () => {
        throw unreachable();
      },
      isUnavailable,
      flushIntervalMs: 1,
      retryDelayMs: 60_000,
      logger: (entry) => logs.push(entry),
    });
    writer.push(1);
    writer.push(2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writer.close();
    expect(writer.stats()).toMatchObject({ queued: 0, written: 0, dropped: 2 });
    expect(logs.at(-1)?.message).toContain('gateway is stopping');
  });
});
