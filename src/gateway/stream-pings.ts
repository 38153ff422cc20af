/** The ping event as the Anthropic API writes it, byte for byte. */
export const SSE_PING = 'event: ping\ndata: {"type": "ping"}\n\n';

/**
 * Keeps a silent SSE answer alive: when nothing was written for `intervalMs`,
 * writes a ping, and again after each further `intervalMs` of silence. The
 * answer's own writes are whole events, so a ping always lands between two
 * events, never inside one. `stop` ends it (the stream ended or was cut).
 *
 * @example
 * const pings = new StreamPings(15_000, (chunk) => exchange.write(chunk));
 * pings.start(); … exchange.write(events); pings.wrote(); … pings.stop();
 */
export class StreamPings {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly write: (chunk: string) => Promise<void> | undefined,
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setTimeout(() => this.ping(), this.intervalMs);
  }

  /** Something was written: the silence starts again. */
  wrote(): void {
    this.timer?.refresh();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private ping(): void {
    if (!this.timer) return;
    const pending = this.write(SSE_PING);
    // A client that reads slowly: the next silence is counted from when it took the ping.
    if (pending) void pending.then(() => this.timer?.refresh());
    else this.timer.refresh();
  }
}
