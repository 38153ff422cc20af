import { Redis } from 'ioredis';

/** Where a Redis user's warnings go: the gateway's logger, or stderr. */
export type RedisLogger = (level: 'warn', message: string, fields?: Record<string, unknown>) => void;

export interface RedisLinkOptions {
  /** The longest one command may take (default 100 ms). */
  commandTimeoutMs?: number;
  /** The longest a connection attempt may take (default 1000 ms). */
  connectTimeoutMs?: number;
  /** The longest pause between reconnection attempts (default 5000 ms). */
  reconnectMaxDelayMs?: number;
  /** At most one "unreachable" warning per this long (default 60 s); flaps between are counted. */
  warnEveryMs?: number;
  /** How often a live connection whose command timed out is pinged to tell it answers again (default 1 s). */
  probeMs?: number;
  logger?: RedisLogger;
  /** The warnings' words: what the user loses while Redis is away, and gets back. */
  messages: {
    down: (facts: { url: string; atStart: boolean; reason: string; flaps: number }) => string;
    up: (facts: { url: string; seconds: number }) => string;
  };
  /** Called when Redis answers again after an outage. */
  onUp?: () => void;
  /** Called for each failed command and each failed connection attempt (a metric counts them). */
  onError?: (reason: string) => void;
}

const writeToStderr: RedisLogger = (level, message) => {
  process.stderr.write(`claude-gateway: ${level}: ${message}\n`);
};

/** A Redis URL with its password replaced, safe for logs. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

/** An error's short reason (`ECONNREFUSED`, a message). */
export function reasonOf(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string')
    return error.code;
  return error instanceof Error ? error.message : String(error);
}

/**
 * A connection to Redis that is never on a request's critical path: every
 * command has a short timeout, nothing queues while it is down, it reconnects
 * in the background for as long as the gateway runs, and it says once when
 * Redis goes away and once when it is back (at most one warning per
 * `warnEveryMs`). Its users send commands only while `up`, and report a
 * failed command with `down(reason)`; meanwhile they decide on their own.
 *
 * @example
 * const link = new RedisLink('redis://cache:6379', { messages: { down: …, up: … } });
 * await link.start(); // warns (and goes on) when Redis cannot be reached
 * if (link.up) await link.redis.get('key');
 */
export class RedisLink {
  readonly redis: Redis;
  readonly url: string;
  /** Commands go to Redis only while this holds. */
  up = false;
  private closed = false;
  private everUp = false;
  private lastReason = 'not connected yet';
  private downSince: number | undefined;
  /** Whether the current outage was reported (then its end is too). */
  private downReported = false;
  private lastWarning = Number.NEGATIVE_INFINITY;
  private unreportedOutages = 0;
  private probe: NodeJS.Timeout | undefined;
  private readonly connectTimeoutMs: number;
  private readonly warnEveryMs: number;
  private readonly probeMs: number;
  private readonly logger: RedisLogger;

  constructor(
    url: string,
    private readonly options: RedisLinkOptions,
  ) {
    this.url = redactRedisUrl(url);
    this.connectTimeoutMs = options.connectTimeoutMs ?? 1000;
    this.warnEveryMs = options.warnEveryMs ?? 60_000;
    this.probeMs = options.probeMs ?? 1000;
    this.logger = options.logger ?? writeToStderr;
    const reconnectMaxDelayMs = options.reconnectMaxDelayMs ?? 5000;
    this.redis = new Redis(url, {
      lazyConnect: false,
      // A command while disconnected fails at once instead of waiting in a queue for the reconnection.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 100,
      connectTimeout: this.connectTimeoutMs,
      // Reconnect in the background for as long as the gateway runs.
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), reconnectMaxDelayMs),
    });
    this.redis.on('error', (error: unknown) => {
      this.lastReason = reasonOf(error);
      if (!this.closed) options.onError?.(this.lastReason);
    });
    this.redis.on('ready', () => this.markUp());
    this.redis.on('close', () => {
      // A connection lost while in use counts as an error even before a reconnection attempt fails.
      if (this.up && !this.closed) options.onError?.(this.lastReason);
      this.markDown(this.lastReason);
    });
  }

  /**
   * Waits (up to the connect timeout) for the first connection, and warns when
   * there is none: the gateway starts anyway, its users deciding on their own
   * until Redis answers.
   */
  async start(): Promise<void> {
    if (this.up || this.closed) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.redis.off('ready', done);
        this.redis.off('error', done);
        resolve();
      };
      // A refused connection says so at once; an address that does not answer takes the connect timeout.
      const timer = setTimeout(done, this.connectTimeoutMs + 250);
      timer.unref();
      this.redis.on('ready', done);
      this.redis.on('error', done);
    });
    if (!this.up) this.markDown(this.lastReason);
  }

  /** A command failed (or timed out): Redis is out until it answers again. */
  down(reason: string): void {
    if (this.closed) return;
    this.options.onError?.(reason);
    this.markDown(reason);
  }

  /** Redis is out (a failed command, or the connection closed) until it answers again. */
  private markDown(reason: string): void {
    if (this.closed) return;
    this.lastReason = reason;
    if (this.downSince !== undefined) return;
    this.up = false;
    this.downSince = Date.now();
    // A command that timed out on a live connection gets no 'ready' when Redis answers again: ping it.
    this.startProbe();
    if (this.downSince - this.lastWarning < this.warnEveryMs) {
      this.unreportedOutages += 1;
      this.downReported = false;
      return;
    }
    this.lastWarning = this.downSince;
    this.downReported = true;
    const flaps = this.unreportedOutages;
    this.unreportedOutages = 0;
    this.logger('warn', this.options.messages.down({ url: this.url, atStart: !this.everUp, reason, flaps }), {
      redis: this.url,
      reason,
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopProbe();
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => {});
    this.redis.disconnect();
  }

  private markUp(): void {
    if (this.closed || this.up) return;
    this.up = true;
    this.everUp = true;
    this.stopProbe();
    const since = this.downSince;
    this.downSince = undefined;
    if (since !== undefined && this.downReported) {
      this.downReported = false;
      const seconds = Math.round((Date.now() - since) / 1000);
      this.logger('warn', this.options.messages.up({ url: this.url, seconds }), { redis: this.url });
      this.options.onUp?.();
    }
  }

  private startProbe(): void {
    if (this.probe) return;
    this.probe = setInterval(() => {
      if (this.redis.status !== 'ready') return; // the reconnection's 'ready' will tell
      this.redis.ping().then(
        () => this.markUp(),
        (error: unknown) => {
          this.lastReason = reasonOf(error);
        },
      );
    }, this.probeMs);
    this.probe.unref();
  }

  private stopProbe(): void {
    if (this.probe) clearInterval(this.probe);
    this.probe = undefined;
  }
}
