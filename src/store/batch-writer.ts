import type { StoreLogger, WriteStats } from './types.js';

/** How a batch writer groups and writes items. */
export interface BatchWriterOptions<Item> {
  /** Writes one batch (in one transaction). A rejection is logged and retried once. */
  write: (items: Item[]) => Promise<void>;
  /** Write at once when this many items are queued. Default 500. */
  maxBatchSize?: number;
  /** Write at once when the queued items reach this many bytes (by `sizeOf`). Default 8 MiB. */
  maxBatchBytes?: number;
  /** Write queued items this long after the first one arrived. Default 100 ms. */
  flushIntervalMs?: number;
  /** The approximate size of an item in bytes. Default 1. */
  sizeOf?: (item: Item) => number;
  /** Refuse (and count as dropped) items beyond this many queued. Default 100 000. */
  maxQueuedItems?: number;
  /** Refuse (and count as dropped) items beyond this many queued bytes. Default 512 MiB. */
  maxQueuedBytes?: number;
  /** Wait before the retry of a failed write. Default 250 ms. */
  retryDelayMs?: number;
  /**
   * Whether a failed write means the store cannot be reached (a refused or
   * lost connection, a server shutting down) rather than a row it refuses.
   * Then nothing is dropped: the rows stay queued, in order, and the write is
   * retried with a growing pause (up to `maxRetryDelayMs`) until the store
   * answers, the queue limits permitting. Default: never.
   */
  isUnavailable?: (error: unknown) => boolean;
  /** The longest pause between retries while the store is unreachable. Default 5000 ms. */
  maxRetryDelayMs?: number;
  logger?: StoreLogger;
}

/** The batching settings a store passes through to its writer. */
export type BatchTuning = Pick<
  BatchWriterOptions<unknown>,
  | 'maxBatchSize'
  | 'maxBatchBytes'
  | 'flushIntervalMs'
  | 'maxQueuedItems'
  | 'maxQueuedBytes'
  | 'retryDelayMs'
  | 'maxRetryDelayMs'
>;

interface QueueEntry<Item> {
  item: Item;
  size: number;
}

interface FlushWaiter {
  target: number;
  resolve: () => void;
}

/** After a batch fails twice, rows are written one by one to find the bad ones; this many failures in a row with no success mean the store itself is failing. */
const ISOLATION_PROBES = 3;

/**
 * Queues items and writes them in batches, off the caller's path: a batch is
 * written when `maxBatchSize` items or `maxBatchBytes` are queued, or
 * `flushIntervalMs` after the first item, and while one batch is being written
 * the next accumulates (so batches grow with the load). Writes never overlap.
 *
 * `push` never throws. A failed write is logged and retried once; if it fails
 * again, rows are tried one by one so a single bad row cannot take its batch
 * with it, and rows that still fail are counted in `stats().dropped` and
 * logged. A store that cannot be reached (`isUnavailable`) costs no row: the
 * rows wait in the queue and are written when it answers again (one warning
 * when it stops answering, one when it is back); only `close()` gives up on
 * them then. `flush()` resolves when every item pushed before it is written or
 * counted as dropped.
 *
 * @example
 * const writer = new BatchWriter({ write: async (rows) => insertAll(rows) });
 * writer.push(row); // returns at once
 * await writer.flush(); // row is written
 */
export class BatchWriter<Item> {
  readonly #write: (items: Item[]) => Promise<void>;
  readonly #maxBatchSize: number;
  readonly #maxBatchBytes: number;
  readonly #flushIntervalMs: number;
  readonly #sizeOf: (item: Item) => number;
  readonly #maxQueuedItems: number;
  readonly #maxQueuedBytes: number;
  readonly #retryDelayMs: number;
  readonly #maxRetryDelayMs: number;
  readonly #isUnavailable: (error: unknown) => boolean;
  readonly #logger: StoreLogger;

  #queue: QueueEntry<Item>[] = [];
  #queuedBytes = 0;
  /** Items accepted into the queue, ever. */
  #accepted = 0;
  /** Accepted items written or dropped, ever (in queue order). */
  #settled = 0;
  #written = 0;
  #dropped = 0;
  #failedWrites = 0;
  #overflowing = false;
  #closed = false;
  /** Set by `close()`: rows held for an unreachable store are given up on. */
  #closing = false;
  /** Since when the store has not been reachable (undefined: it is). */
  #unavailableSince: number | undefined;
  #nextRetryMs: number;
  #wake: (() => void) | undefined;
  #lastError: unknown;
  #timer: NodeJS.Timeout | undefined;
  #draining: Promise<void> | undefined;
  #waiters: FlushWaiter[] = [];

  constructor(options: BatchWriterOptions<Item>) {
    this.#write = options.write;
    this.#maxBatchSize = Math.max(1, options.maxBatchSize ?? 500);
    this.#maxBatchBytes = options.maxBatchBytes ?? 8 * 1024 * 1024;
    this.#flushIntervalMs = options.flushIntervalMs ?? 100;
    this.#sizeOf = options.sizeOf ?? (() => 1);
    this.#maxQueuedItems = options.maxQueuedItems ?? 100_000;
    this.#maxQueuedBytes = options.maxQueuedBytes ?? 512 * 1024 * 1024;
    this.#retryDelayMs = options.retryDelayMs ?? 250;
    this.#maxRetryDelayMs = Math.max(this.#retryDelayMs, options.maxRetryDelayMs ?? 5000);
    this.#nextRetryMs = this.#retryDelayMs;
    this.#isUnavailable = options.isUnavailable ?? (() => false);
    this.#logger = options.logger ?? (() => {});
  }

  /** Queues an item; never throws. Items refused (full queue, closed writer) are counted and logged. */
  push(item: Item): void {
    if (this.#closed) {
      this.#refuse(1, 'the store is closed');
      return;
    }
    const size = this.#safeSize(item);
    if (this.#queue.length >= this.#maxQueuedItems || this.#queuedBytes + size > this.#maxQueuedBytes) {
      if (!this.#overflowing) {
        this.#overflowing = true;
        this.#refuse(1, `the write queue is full (${this.#queue.length} rows waiting)`);
      } else {
        this.#dropped += 1;
      }
      return;
    }
    this.#overflowing = false;
    this.#queue.push({ item, size });
    this.#queuedBytes += size;
    this.#accepted += 1;
    if (!this.#draining) this.#schedule();
  }

  /** Resolves when every item pushed so far is written or counted as dropped. Never rejects. */
  flush(): Promise<void> {
    const target = this.#accepted;
    if (this.#settled >= target) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.#waiters.push({ target, resolve }));
    this.#startDraining();
    return done;
  }

  /**
   * Flushes (also what arrives while flushing), then refuses further items.
   * Rows held for a store that cannot be reached get one more try, then are
   * dropped (and logged): a journal keeps them for the next start.
   */
  async close(): Promise<void> {
    this.#closing = true;
    this.#wake?.();
    while (this.#settled < this.#accepted) await this.flush();
    this.#closed = true;
  }

  stats(): WriteStats {
    return {
      queued: this.#queue.length,
      written: this.#written,
      dropped: this.#dropped,
      failedWrites: this.#failedWrites,
    };
  }

  /** Writes now when a batch is full, else once the interval has passed. */
  #schedule(): void {
    if (this.#queue.length >= this.#maxBatchSize || this.#queuedBytes >= this.#maxBatchBytes) {
      this.#startDraining();
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#startDraining();
      }, this.#flushIntervalMs);
    }
  }

  #startDraining(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#draining || this.#queue.length === 0) return;
    this.#draining = this.#drain();
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#takeBatch();
        let held: QueueEntry<Item>[] = [];
        try {
          held = await this.#writeBatch(batch);
        } catch (error) {
          held = [];
          this.#dropped += batch.length;
          this.#log('error', 'the activity writer failed unexpectedly', error, batch.length);
        }
        // Held rows are the batch's last ones (rows are written in order): they go back to the front.
        this.#settled += batch.length - held.length;
        if (held.length > 0) this.#requeue(held);
        this.#resolveWaiters();
        if (held.length > 0) await this.#pauseBeforeRetry();
      }
    } finally {
      this.#draining = undefined;
    }
  }

  #requeue(entries: QueueEntry<Item>[]): void {
    this.#queue.unshift(...entries);
    for (const entry of entries) this.#queuedBytes += entry.size;
  }

  /** Waits before the next try at an unreachable store, longer each time; `close()` cuts it short. */
  async #pauseBeforeRetry(): Promise<void> {
    if (this.#closing) return;
    const wait = this.#nextRetryMs;
    this.#nextRetryMs = Math.min(this.#nextRetryMs * 2, this.#maxRetryDelayMs);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, wait);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
    });
  }

  #takeBatch(): QueueEntry<Item>[] {
    let count = 0;
    let bytes = 0;
    for (const entry of this.#queue) {
      if (count >= this.#maxBatchSize || (count > 0 && bytes + entry.size > this.#maxBatchBytes)) break;
      count += 1;
      bytes += entry.size;
    }
    const taken = this.#queue.splice(0, count);
    this.#queuedBytes -= bytes;
    return taken;
  }

  /** Writes a batch; returns the rows held back because the store cannot be reached (none otherwise). */
  async #writeBatch(batch: QueueEntry<Item>[]): Promise<QueueEntry<Item>[]> {
    const items = batch.map((entry) => entry.item);
    if (await this.#tryWrite(items)) return [];
    if (this.#unreachable()) return this.#hold(batch);
    this.#log('warn', `writing ${batch.length} activity rows failed; retrying once`, this.#lastError);
    await delay(this.#retryDelayMs);
    if (await this.#tryWrite(items)) return [];
    if (this.#unreachable()) return this.#hold(batch);
    if (batch.length === 1) {
      this.#giveUp(1, 'writing an activity row failed twice; the row is dropped');
      return [];
    }
    return this.#isolate(batch);
  }

  /** Writes rows one by one so only the rows that fail on their own are dropped. */
  async #isolate(batch: QueueEntry<Item>[]): Promise<QueueEntry<Item>[]> {
    let failedInRow = 0;
    let anySucceeded = false;
    for (const [index, entry] of batch.entries()) {
      if (await this.#tryWrite([entry.item])) {
        anySucceeded = true;
        failedInRow = 0;
        continue;
      }
      if (this.#unreachable()) return this.#hold(batch.slice(index));
      failedInRow += 1;
      if (!anySucceeded && failedInRow >= ISOLATION_PROBES) {
        const rest = batch.length - index;
        this.#giveUp(rest, `writing activity rows keeps failing; ${rest} rows are dropped`);
        return [];
      }
      this.#giveUp(1, 'an activity row failed to write on its own; it is dropped');
    }
    return [];
  }

  /** Whether the last failure says the store cannot be reached (rather than refusing a row). */
  #unreachable(): boolean {
    try {
      return this.#isUnavailable(this.#lastError);
    } catch {
      return false;
    }
  }

  /** Keeps rows for a store that cannot be reached (says so once), or drops them when closing. */
  #hold(rows: QueueEntry<Item>[]): QueueEntry<Item>[] {
    if (this.#closing) {
      this.#giveUp(
        rows.length,
        `the activity store cannot be reached and the gateway is stopping: ${rows.length} rows are not written (a journal, if on, keeps them for the next start)`,
      );
      return [];
    }
    if (this.#unavailableSince === undefined) {
      this.#unavailableSince = Date.now();
      this.#log(
        'warn',
        `the activity store cannot be reached; ${this.#queue.length + rows.length} activity rows wait in memory and are written when it answers again (new rows queue behind them)`,
        this.#lastError,
      );
    }
    return rows;
  }

  async #tryWrite(items: Item[]): Promise<boolean> {
    try {
      await this.#write(items);
      this.#written += items.length;
      if (this.#unavailableSince !== undefined) {
        const seconds = Math.round((Date.now() - this.#unavailableSince) / 1000);
        this.#unavailableSince = undefined;
        this.#log(
          'warn',
          `the activity store answers again after ${seconds} s; writing the activity rows that waited`,
        );
      }
      this.#nextRetryMs = this.#retryDelayMs;
      return true;
    } catch (error) {
      this.#failedWrites += 1;
      this.#lastError = error;
      return false;
    }
  }

  #giveUp(count: number, message: string): void {
    this.#dropped += count;
    this.#log('error', message, this.#lastError, count);
  }

  #refuse(count: number, reason: string): void {
    this.#dropped += count;
    this.#log('error', `an activity row was dropped: ${reason}`, undefined, count);
  }

  #resolveWaiters(): void {
    const waiting: FlushWaiter[] = [];
    for (const waiter of this.#waiters) {
      if (waiter.target <= this.#settled) waiter.resolve();
      else waiting.push(waiter);
    }
    this.#waiters = waiting;
  }

  #safeSize(item: Item): number {
    try {
      const size = this.#sizeOf(item);
      return Number.isFinite(size) && size > 0 ? size : 1;
    } catch {
      return 1;
    }
  }

  #log(level: 'warn' | 'error', message: string, error?: unknown, dropped?: number): void {
    try {
      this.#logger({ level, message, error, ...(dropped === undefined ? {} : { dropped }) });
    } catch {
      // a failing logger must not break the writer
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
