import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, eventually, freePort, startRedisServer } from '../test-support/child-servers.js';
import { RedisSessionAffinity, redisSessionKey, type SessionStoreLogger } from './redis-session-affinity.js';

const url = process.env['CLAUDE_GATEWAY_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('RedisSessionAffinity (CI starts Redis on 127.0.0.1:6379)', () => {
  const first = new RedisSessionAffinity(url, 60);
  const second = new RedisSessionAffinity(url, 60);
  beforeAll(async () => {
    await first.start();
    await second.start();
  });
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
    const down = new RedisSessionAffinity('redis://127.0.0.1:1', { timeToLiveSeconds: 60, logger: () => {} });
    expect(await down.lookup('anything')).toBeUndefined();
    await down.record('anything', 'anthropic');
    await down.close();
  });
});

/** Only to detect a stall (the 12 s of an offline queue), never a measurement. */
const HANG_MS = 2_000;

async function quickly<T>(work: Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work;
  expect(performance.now() - started).toBeLessThan(HANG_MS);
  return result;
}

describe('RedisSessionAffinity when Redis goes away (a private redis-server it stops)', () => {
  const servers: ChildServer[] = [];
  const affinities: RedisSessionAffinity[] = [];
  afterAll(async () => {
    for (const affinity of affinities) await affinity.close();
    for (const server of servers) await server.dispose();
  });

  function logged(): { lines: { level: string; message: string }[]; logger: SessionStoreLogger } {
    const lines: { level: string; message: string }[] = [];
    return { lines, logger: (level, message) => lines.push({ level, message }) };
  }

  it('keeps each session in its own table, warns once down and once back, and reconnects by itself', async () => {
    const server = await startRedisServer();
    servers.push(server);
    const { lines, logger } = logged();
    const affinity = new RedisSessionAffinity(`redis://127.0.0.1:${server.port}`, {
      timeToLiveSeconds: 60,
      reconnectMaxDelayMs: 100,
      logger,
    });
    affinities.push(affinity);
    await affinity.start();
    expect(affinity.shared).toBe(true);
    expect(lines).toEqual([]);
    const before = `before-${randomUUID()}`;
    await affinity.record(before, 'vertex/global');

    await server.stop();
    const during = `during-${randomUUID()}`;
    for (let turn = 0; turn < 5; turn++) {
      // The session recorded while Redis was up is still known, from this process's table.
      expect(await quickly(Promise.resolve(affinity.lookup(before)))).toBe('vertex/global');
      await quickly(Promise.resolve(affinity.record(during, 'bedrock/us')));
      expect(await quickly(Promise.resolve(affinity.lookup(during)))).toBe('bedrock/us');
    }
    expect(affinity.shared).toBe(false);
    const down = lines.filter((line) => line.message.includes('unreachable'));
    expect(down).toHaveLength(1);
    expect(down[0]?.level).toBe('warn');
    expect(down[0]?.message).toContain(`127.0.0.1:${server.port}`);

    await server.start();
    await eventually(() => affinity.shared, 20_000, 'the reconnection');
    expect(lines.filter((line) => line.message.includes('answers again'))).toHaveLength(1);
    expect(lines).toHaveLength(2);
    // Shared again: another replica sees what this one records now.
    const other = new RedisSessionAffinity(`redis://127.0.0.1:${server.port}`, { logger });
    affinities.push(other);
    await other.start();
    const after = `after-${randomUUID()}`;
    await affinity.record(after, 'anthropic');
    expect(await other.lookup(after)).toBe('anthropic');
  });

  it('warns at start when Redis cannot be reached, and starts anyway', async () => {
    const port = await freePort();
    const { lines, logger } = logged();
    const affinity = new RedisSessionAffinity(`redis://:hunter2@127.0.0.1:${port}`, { logger });
    affinities.push(affinity);
    await quickly(affinity.start());
    expect(lines).toHaveLength(1);
    expect(lines[0]?.message).toMatch(/unreachable at start \(ECONNREFUSED\)/);
    expect(lines[0]?.message).not.toContain('hunter2');
    await quickly(Promise.resolve(affinity.record('s', 'anthropic')));
    expect(await quickly(Promise.resolve(affinity.lookup('s')))).toBe('anthropic');
    expect(lines).toHaveLength(1);
  });
});
