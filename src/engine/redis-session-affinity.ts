import { Redis } from 'ioredis';
import { MemorySessionAffinity, type SessionAffinity, sessionKey } from './session-affinity.js';

const PREFIX = 'claude-gateway:session:';

/** The Redis key of a session: long ids are hashed, so a client's id never sets the key's size. */
export function redisSessionKey(session: string): string {
  return PREFIX + sessionKey(session);
}

/** Where the shared session table reports that Redis went away or came back (never per request). */
export type SessionStoreLogger = (
  level: 'warn' | 'info',
  message: string,
  fields?: Record<string, unknown>,
) => void;

export interface RedisSessionAffinityOptions {
  /** How long a session is remembered after its last turn. Default 6 hours. */
  timeToLiveSeconds?: number;
  /** The longest a GET or SET may take before the request goes on without Redis. Default 100 ms. */
  commandTimeoutMs?: number;
  /** The longest a connection attempt may take (also how long the start waits). Default 1000 ms. */
  connectTimeoutMs?: number;
  /** The longest pause between reconnection attempts while Redis is down. Default 5000 ms. */
  reconnectMaxDelayMs?: number;
  /** At most one "unreachable" warning this often; flaps in between are counted, not logged. Default 60 s. */
  warnEveryMs?: number;
  /** How often, while a connected Redis does not answer, it is pinged to tell when it answers again. Default 1000 ms. */
  probeMs?: number;
  logger?: SessionStoreLogger;
}

const writeToStderr: SessionStoreLogger = (level, message) => {
  process.stderr.write(`claude-gateway: ${level}: ${message}\n`);
};

/** A Redis URL with its password replaced, safe for logs. */
function redactRedisUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

function reasonOf(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string')
    return error.code;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Session stickiness shared by several gateway replicas through Redis: the
 * session's last target under a key that expires with the session.
 *
 * Redis is an optimisation, never on the critical path: every command has a
 * short timeout (`commandTimeoutMs`), nothing queues while the connection is
 * down, and each session is also kept in this process's own table. While
 * Redis is unreachable that table answers (stickiness per replica meanwhile),
 * the connection is retried in the background, and one warning says it went
 * down and one that it came back (at most one warning per `warnEveryMs`).
 *
 * @example
 * const sessions = new RedisSessionAffinity('redis://cache:6379', { logger });
 * await sessions.start(); // warns (and goes on) when Redis cannot be reached
 */
export class RedisSessionAffinity implements SessionAffinity {
  private readonly redis: Redis;
  private readonly local: MemorySessionAffinity;
  private readonly url: string;
  private readonly timeToLiveSeconds: number;
  private readonly warnEveryMs: number;
  private readonly probeMs: number;
  private readonly connectTimeoutMs: number;
  private readonly logger: SessionStoreLogger;
  /** Commands go to Redis only while this holds. */
  private up = false;
  private closed = false;
  private everUp = false;
  private lastReason = 'not connected yet';
  private downSince: number | undefined;
  /** Whether the current outage was reported (then its end is too). */
  private downReported = false;
  private lastWarning = Number.NEGATIVE_INFINITY;
  private unreportedOutages = 0;
  private probe: NodeJS.Timeout | undefined;

  constructor(url: string, options: RedisSessionAffinityOptions | number = {}) {
    const settings = typeof options === 'number' ? { timeToLiveSeconds: options } : options;
    this.url = redactRedisUrl(url);
    this.timeToLiveSeconds = settings.timeToLiveSeconds ?? 6 * 60 * 60;
    this.warnEveryMs = settings.warnEveryMs ?? 60_000;
    this.probeMs = settings.probeMs ?? 1000;
    this.connectTimeoutMs = settings.connectTimeoutMs ?? 1000;
    this.logger = settings.logger ?? writeToStderr;
    this.local = new MemorySessionAffinity(100_000, this.timeToLiveSeconds * 1000);
    const reconnectMaxDelayMs = settings.reconnectMaxDelayMs ?? 5000;
    this.redis = new Redis(url, {
      lazyConnect: false,
      // A command while disconnected fails at once instead of waiting in a queue for the reconnection.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: settings.commandTimeoutMs ?? 100,
      connectTimeout: this.connectTimeoutMs,
      // Reconnect in the background for as long as the gateway runs.
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), reconnectMaxDelayMs),
    });
    this.redis.on('error', (error: unknown) => {
      this.lastReason = reasonOf(error);
    });
    this.redis.on('ready', () => this.markUp());
    this.redis.on('close', () => this.markDown(this.lastReason));
  }

  /**
   * Waits (up to the connect timeout) for the first connection, and warns when
   * there is none: the gateway starts anyway, each replica keeping its own
   * sessions until Redis answers.
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

  /** Whether Redis currently serves the sessions (else this process's own table does). */
  get shared(): boolean {
    return this.up;
  }

  async lookup(session: string): Promise<string | undefined> {
    const local = this.local.lookup(session);
    if (!this.up) return local;
    try {
      // Redis knows where another replica moved the session; this process's table covers a Redis
      // that lost its keys (restarted) while this process went on.
      return (await this.redis.get(redisSessionKey(session))) ?? local;
    } catch (error) {
      this.markDown(reasonOf(error));
      return local;
    }
  }

  async record(session: string, target: string): Promise<void> {
    this.local.record(session, target);
    if (!this.up) return;
    try {
      await this.redis.set(redisSessionKey(session), target, 'EX', this.timeToLiveSeconds);
    } catch (error) {
      this.markDown(reasonOf(error));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopProbe();
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => {});
    this.redis.disconnect();
  }

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
    const flaps =
      this.unreportedOutages > 0
        ? ` (it was also unreachable ${this.unreportedOutages} more times since the last warning)`
        : '';
    this.unreportedOutages = 0;
    this.logger(
      'warn',
      `Redis at ${this.url} is unreachable${this.everUp ? '' : ' at start'} (${reason}): session stickiness is kept per replica until it answers; reconnecting in the background${flaps}`,
      { redis: this.url, reason },
    );
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
      this.logger(
        'warn',
        `Redis at ${this.url} answers again after ${Math.round((Date.now() - since) / 1000)} s: session stickiness is shared again`,
        { redis: this.url },
      );
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
