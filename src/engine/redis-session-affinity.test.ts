import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisSessionAffinity, redisSessionKey } from './redis-session-affinity.js';

const url = process.env['CLAUDE_GATEWAY_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('RedisSessionAffinity (CI starts Redis on 127.0.0.1:6379)', () => {
  const first = new RedisSessionAffinity(url, 60);
  const second = new RedisSessionAffinity(url, 60);
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('shares a session target between two replicas', async () => {
    const session = `test-${randomUUID()}`;
    expect(await second.lookup(session)).toBeUndefined();
    await first.record(session, 'vertex/global');
    expect(await second.lookup(session)).toBe('vertex/global');
    await second.record(session, 'bedrock/us@us-east-1');
    expect(await first.lookup(session)).toBe('bedrock/us@us-east-1');
  });

  it('keys a session with a huge id by its hash, not by the id', async () => {
    const session = `test-${randomUUID()}-${'z'.repeat(1024 * 1024)}`;
    await first.record(session, 'vertex/global');
    expect(await second.lookup(session)).toBe('vertex/global');
    const key = redisSessionKey(session);
    expect(key.length).toBeLessThan(200);
    const raw = new Redis(url, { lazyConnect: false });
    try {
      expect(await raw.get(key)).toBe('vertex/global');
      expect(await raw.exists(`claude-gateway:session:${session}`)).toBe(0);
    } finally {
      await raw.del(key);
      raw.disconnect();
    }
  });

  it('serves without stickiness when Redis is unreachable', async () => {
    const down = new RedisSessionAffinity('redis://127.0.0.1:1', 60);
    expect(await down.lookup('anything')).toBeUndefined();
    await down.record('anything', 'anthropic');
    await down.close();
  });
});
