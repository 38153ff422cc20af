import { describe, expect, it } from 'vitest';
import { MAX_SESSION_KEY_BYTES, MemorySessionAffinity, sessionKey } from './session-affinity.js';

describe('session keys', () => {
  it('keeps short ids and hashes long ones to a fixed size', () => {
    expect(sessionKey('user_5f0c_account_1_session_abc')).toBe('user_5f0c_account_1_session_abc');
    const long = 'x'.repeat(1024 * 1024);
    expect(sessionKey(long)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(sessionKey(long)).toBe(sessionKey(`${'x'.repeat(1024 * 1024 - 1)}x`));
    expect(sessionKey(`${long}y`)).not.toBe(sessionKey(long));
    // Counted in UTF-8 bytes: 43 three-byte characters are 129 bytes.
    expect(sessionKey('€'.repeat(42))).toBe('€'.repeat(42));
    expect(sessionKey('€'.repeat(43))).toMatch(/^sha256:/);
    expect(Buffer.byteLength(sessionKey('€'.repeat(43)))).toBeLessThanOrEqual(MAX_SESSION_KEY_BYTES);
  });

  it('hashes an id that looks like a hashed key, so no client can name another session', () => {
    const long = 'y'.repeat(500);
    expect(sessionKey(sessionKey(long))).not.toBe(sessionKey(long));
  });
});

describe('MemorySessionAffinity', () => {
  it('holds little memory for sessions with huge ids, and still finds them', () => {
    const affinity = new MemorySessionAffinity();
    const ids = Array.from({ length: 200 }, (_, index) => `${index}:${'u'.repeat(1024 * 1024)}`);
    for (const id of ids) affinity.record(id, 'bedrock/us@us-east-1');
    expect(affinity.size).toBe(200);
    // 200 ids of 1 MB each: the table keeps 200 short keys, not 200 MB.
    expect(affinity.bytes).toBeLessThan(200 * 512);
    expect(affinity.lookup(ids[7] as string)).toBe('bedrock/us@us-east-1');
  });

  it('evicts the least recently used when over its entry or byte bound', () => {
    const byCount = new MemorySessionAffinity(2);
    byCount.record('a', 'anthropic');
    byCount.record('b', 'vertex/global');
    byCount.record('a', 'anthropic');
    byCount.record('c', 'bedrock/us');
    expect(byCount.lookup('b')).toBeUndefined();
    expect(byCount.lookup('a')).toBe('anthropic');
    expect(byCount.lookup('c')).toBe('bedrock/us');

    const byBytes = new MemorySessionAffinity(1_000_000, 60_000, Date.now, 1_000);
    for (let index = 0; index < 100; index++) byBytes.record(`session-${index}`, 'vertex/global');
    expect(byBytes.bytes).toBeLessThanOrEqual(1_000);
    expect(byBytes.lookup('session-99')).toBe('vertex/global');
    expect(byBytes.lookup('session-0')).toBeUndefined();
  });

  it('forgets a session after its time to live', () => {
    let now = 0;
    const affinity = new MemorySessionAffinity(10, 1_000, () => now);
    affinity.record('s', 'anthropic');
    now = 999;
    expect(affinity.lookup('s')).toBe('anthropic');
    now = 1_000;
    expect(affinity.lookup('s')).toBeUndefined();
    expect(affinity.size).toBe(0);
    expect(affinity.bytes).toBe(0);
  });
});
