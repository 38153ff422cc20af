import { pino } from 'pino';

/** How long a log line may wait to be written with others, and how many bytes of lines make a write at once. */
export interface LogBatching {
  maxDelayMs: number;
  maxBytes: number;
}

const DEFAULT_BATCHING: LogBatching = { maxDelayMs: 50, maxBytes: 16 * 1024 };

/**
 * Where the gateway's log lines go: gathered, and written together with one
 * synchronous write by pino's synchronous destination (a `SonicBoom`: it
 * handles partial writes, EAGAIN and a closed pipe) at most 50 ms after the
 * first of them, or at the end of the event loop's turn once 16 KB wait.
 * Lines still waiting when the process exits are written by the `exit`
 * handler (a SIGKILL loses at most those 50 ms of lines; every request is in
 * the activity log all the same).
 *
 * Why: pino's asynchronous `SonicBoom` sent each access-log line alone
 * through the thread pool when the gateway was not busy, a thread hand-off
 * and a wake-up of the event loop per request (0.1 ms of CPU and 0.2 ms of
 * latency for a small request, `bench/ab.ts`); a synchronous write per line
 * still cost a syscall per request (18 us in a profile of sequential 0.1 KB
 * requests).
 *
 * @example
 * const logger = pino({}, stderrDestination());
 */
export class BatchedLogDestination {
  readonly #sink: ReturnType<typeof pino.destination>;
  readonly #batching: LogBatching;
  #pending = '';
  #timer: NodeJS.Timeout | undefined;
  #immediate = false;
  readonly #flushOnExit = () => this.flushSync();

  constructor(fd: number, batching: Partial<LogBatching> = {}) {
    this.#batching = { ...DEFAULT_BATCHING, ...batching };
    this.#sink = pino.destination({ dest: fd, sync: true });
    // The sink reports a failed write as an event: a log that cannot be written must not crash the gateway.
    this.#sink.on('error', () => {});
    process.on('exit', this.#flushOnExit);
  }

  write(line: string): boolean {
    this.#pending += line;
    if (this.#pending.length >= this.#batching.maxBytes) {
      if (!this.#immediate) {
        this.#immediate = true;
        setImmediate(() => this.flushSync());
      }
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.flushSync(), this.#batching.maxDelayMs);
      this.#timer.unref();
    }
    return true;
  }

  /** Writes what is waiting now (pino calls it on `logger.flush()`). */
  flush(callback?: (error?: Error) => void): void {
    this.flushSync();
    callback?.();
  }

  flushSync(): void {
    this.#immediate = false;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#pending === '') return;
    const lines = this.#pending;
    this.#pending = '';
    try {
      this.#sink.write(lines);
    } catch {
      // As above: a broken stderr costs the lines, never the request.
    }
  }
}

let stderr: BatchedLogDestination | undefined;

/** The one destination for stderr, shared by every logger of the process (one `exit` handler). */
export function stderrDestination(): BatchedLogDestination {
  stderr ??= new BatchedLogDestination(2);
  return stderr;
}
