import { Redis } from 'ioredis';
import { type SessionAffinity, sessionKey } from './session-affinity.js';

const PREFIX = 'claude-gateway:session:';

/** The Redis key of a session: long ids are hashed, so a client's id never sets the key's size. */
export function redisSessionKey(session: string): string {
  return PREFIX + sessionKey(session);
}

/**
 * Session stickiness shared by several gateway replicas through Redis: the
 * session's last target under a key that expires with the session.
 */
export class RedisSessionAffinity implements SessionAffinity {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly timeToLiveSeconds = 6 * 60 * 60,
  ) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    // A lost connection is reported on each call; keep the process alive and quiet meanwhile.
    this.redis.on('error', () => {});
  }

  async lookup(session: string): Promise<string | undefined> {
    try {
      return (await this.redis.get(redisSessionKey(session))) ?? undefined;
    } catch {
      // Stickiness is an optimisation: without Redis the request is still served.
      return undefined;
    }
  }

  async record(session: string, target: string): Promise<void> {
    try {
      await this.redis.set(redisSessionKey(session), target, 'EX', this.timeToLiveSeconds);
    } catch {
      // see lookup
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
