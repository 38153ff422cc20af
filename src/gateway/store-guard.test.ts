import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord, Store } from '../store/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { guardKeyReads } from './store-guard.js';

const key = { id: 'key_1', name: 'ci', prefix: 'cgw_abc' } as ApiKeyRecord;

function fakeStore(state: { mode: 'up' | 'refused' | 'hung' }): Store {
  const answer = <T>(value: T): Promise<T> => {
    if (state.mode === 'refused') {
      return Promise.reject(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25432'), { code: 'ECONNREFUSED' }),
      );
    }
    if (state.mode === 'hung') return new Promise<T>(() => {});
    return Promise.resolve(value);
  };
  return {
    kind: 'postgres',
    findKeyBySecret: (secret: string) => answer(secret === 'cgw_known' ? key : undefined),
    listKeys: () => answer([key]),
    spendSince: () => answer(1.5),
    stats: () => ({ queued: 0, written: 0, dropped: 0, failedWrites: 0 }),
  } as unknown as Store;
}

describe('guardKeyReads', () => {
  it('answers key lookups from their last result while the store fails, 503 without details otherwise', async () => {
    const state = { mode: 'up' as 'up' | 'refused' | 'hung' };
    const warnings: string[] = [];
    const store = guardKeyReads(fakeStore(state), {
      timeoutMs: 50,
      logger: { warn: (_fields: unknown, message?: string) => void warnings.push(String(message)) } as never,
    });
    expect(await store.findKeyBySecret('cgw_known')).toBe(key);
    expect(await store.findKeyBySecret('cgw_stranger')).toBeUndefined();
    expect(await store.listKeys({ includeRevoked: true })).toEqual([key]);

    for (const mode of ['refused', 'hung'] as const) {
      state.mode = mode;
      expect(await store.findKeyBySecret('cgw_known')).toBe(key);
      expect(await store.findKeyBySecret('cgw_stranger')).toBeUndefined();
      expect(await store.listKeys({ includeRevoked: true })).toEqual([key]);
      for (const refused of [store.findKeyBySecret('cgw_never_seen'), store.spendSince('key_1', 0)]) {
        const error = await refused.then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(GatewayError);
        expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', status: 503 });
        expect((error as Error).message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
      }
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('ECONNREFUSED');

    state.mode = 'up';
    expect(await store.spendSince('key_1', 0)).toBe(1.5);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toContain('answers key and budget reads again');
    // Everything else is the store's own.
    expect(store.kind).toBe('postgres');
    expect(store.stats().dropped).toBe(0);
  });
});
