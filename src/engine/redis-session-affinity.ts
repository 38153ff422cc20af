import { RedisLink, reasonOf } from '../net/redis-link.js';
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
  /** Called for each failed Redis command and connection attempt (the gateway counts them in a metric). */
  onError?: (reason: string) => void;
}

/**
 * Session stickiness shared by several gateway replicas through Redis: the
 * session's last target under a key that expires with the session.
 *
 * Redis is an optimisation, never on the critical path (see RedisLink): each
 * session is also kept in this process's own table, which answers while Redis
 * is unreachable (stickiness per replica meanwhile).
 *
 * @example
 * const sessions = new RedisSessionAffinity('redis://cache:6379', { logger });
 * await sessions.start(); // warns (and goes on) when Redis cannot be reached
 */
export class RedisSessionAffinity implements SessionAffinity {
  private readonly link: RedisLink;
  private readonly local: MemorySessionAffinity;
  private readonly timeToLiveSeconds: number;

  constructor(url: string, options: RedisSessionAffinityOptions | number = {}) {
    const settings = typeof options === 'number' ? { timeToLiveSeconds: options } : options;
    this.timeToLiveSeconds = settings.timeToLiveSeconds ?? 6 * 60 * 60;
    this.local = new MemorySessionAffinity(100_000, this.timeToLiveSeconds * 1000);
    this.link = new RedisLink(url, {
      ...settings,
      messages: {
        down: ({ url: where, atStart, reason, flaps }) =>
          `Redis at ${where} is unreachable${atStart ? ' at start' : ''} (${reason}): session stickiness is kept per replica until it answers; reconnecting in the background` +
          (flaps > 0 ? ` (it was also unreachable ${flaps} more times since the last warning)` : ''),
        up: ({ url: where, seconds }) =>
          `Redis at ${where} answers again after ${seconds} s: session stickiness is shared again`,
      },
    });
  }

  /** Waits (up to the connect timeout) for the first connection; warns and goes on without one. */
  start(): Promise<void> {
    return this.link.start();
  }

  /** Whether Redis currently serves the sessions (else this process's own table does). */
  get shared(): boolean {
    return this.link.up;
  }

  async lookup(session: string): Promise<string | undefined> {
    const local = this.local.lookup(session);
    if (!this.link.up) return local;
    try {
      // Redis knows where another replica moved the session; this process's table covers a Redis
      // that lost its keys (restarted) while this process went on.
      return (await this.link.redis.get(redisSessionKey(session))) ?? local;
    } catch (error) {
      this.link.down(reasonOf(error));
      return local;
    }
  }

  async record(session: string, target: string): Promise<void> {
    this.local.record(session, target);
    if (!this.link.up) return;
    try {
      await this.link.redis.set(redisSessionKey(session), target, 'EX', this.timeToLiveSeconds);
    } catch (error) {
      this.link.down(reasonOf(error));
    }
  }

  close(): Promise<void> {
    return this.link.close();
  }
}
