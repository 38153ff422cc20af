import { pino } from 'pino';

/**
 * Where the gateway's log lines go: the lines of one turn of the event loop
 * written together, with one synchronous write, when the turn ends
 * (`setImmediate`), by pino's synchronous destination (a `SonicBoom`: it
 * handles partial writes, EAGAIN and a closed pipe). An asynchronous `SonicBoom` sent each access-log
 * line alone through the thread pool when the gateway was not busy: a thread
 * hand-off and a wake-up of the event loop per request, 0.1 ms of CPU and
 * 0.2 ms of latency for a small request (`bench/ab.ts`). Lines still
 * waiting when the process exits are written by the `exit` handler.
 *
 * @example
 * const logger = pino({}, stderrDestination());
 */
export class TurnBatchedDestination {
  readonly #sink: ReturnType<typeof pino.destination>;
  #pending = '';
  #scheduled = false;
  readonly #flushOnExit = () => this.flushSync();

  constructor(fd: number) {
    this.#sink = pino.destination({ dest: fd, sync: true });
    // The sink reports a failed write as an event: a log that cannot be written must not crash the gateway.
    this.#sink.on('error', () => {});
    process.on('exit', this.#flushOnExit);
  }

  write(line: string): boolean {
    this.#pending += line;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flushSync());
    }
    return true;
  }

  /** Writes what is waiting now (pino calls it on `logger.flush()`). */
  flush(callback?: (error?: Error) => void): void {
    this.flushSync();
    callback?.();
  }

  flushSync(): void {
    this.#scheduled = false;
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

let stderr: TurnBatchedDestination | undefined;

/** The one destination for stderr, shared by every logger of the process (one `exit` handler). */
export function stderrDestination(): TurnBatchedDestination {
  stderr ??= new TurnBatchedDestination(2);
  return stderr;
}
