/**
 * Key policy decided on what a request resolves to, and who may call at all.
 */

import { describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import type { ApiKeyRecord } from '../store/types.js';
import { CallerAuth, modelAllowed } from './callers.js';
import type { Exchange } from './exchange.js';

const key = (allowedModels: string[]): ApiKeyRecord => ({
  id: 'k',
  name: 'k',
  prefix: 'cgw_test',
  hash: '0',
  createdAt: 0,
  allowedModels,
});

describe('modelAllowed', () => {
  it('matches a glob against the catalog names of the resolved model, not the text of an ARN', () => {
    const haiku = key(['*haiku*']);
    for (const model of [
      'arn:aws:bedrock:haiku:1:foundation-model/claude-opus-4-5',
      'arn:aws-haiku:bedrock:us-east-1:1:foundation-model/claude-opus-4-5',
      'arn:aws:bedrock:haiku:1:inference-profile/us.anthropic.claude-opus-4-5-20251101-v1:0',
      'claude-opus-4-5',
    ]) {
      expect(modelAllowed(haiku, model), model).toBe(false);
    }
    for (const model of [
      'claude-haiku-4-5',
      'haiku',
      'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      'arn:aws:bedrock:us-east-1:1:foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0',
      'claude-haiku-4-5@20251001',
    ]) {
      expect(modelAllowed(haiku, model), model).toBe(true);
    }
  });

  it('matches a glob against the id an unknown model would be sent as (ARN and scope stripped)', () => {
    const haiku = key(['*haiku*']);
    expect(modelAllowed(haiku, 'claude-haiku-9')).toBe(true);
    expect(modelAllowed(haiku, 'us.anthropic.claude-haiku-9-v1')).toBe(true);
    expect(modelAllowed(haiku, 'arn:aws:bedrock:haiku:1:foundation-model/claude-made-up-9')).toBe(false);
    expect(modelAllowed(haiku, 'arn:aws-haiku:bedrock::1:foundation-model/claude-made-up-9')).toBe(false);
    expect(modelAllowed(key(['claude-*']), 'arn:aws:bedrock:us-east-1:1:foundation-model/my-model')).toBe(
      false,
    );
  });

  it('matches an exact name by the model it resolves to', () => {
    const onlyHaiku = key(['claude-haiku-4-5']);
    expect(modelAllowed(onlyHaiku, 'global.anthropic.claude-haiku-4-5-20251001-v1:0')).toBe(true);
    expect(modelAllowed(onlyHaiku, 'claude-opus-4-5')).toBe(false);
    expect(
      modelAllowed(onlyHaiku, 'arn:aws:bedrock:claude-haiku-4-5:1:foundation-model/claude-opus-4-5'),
    ).toBe(false);
    const custom = key(['my-model']);
    expect(modelAllowed(custom, 'my-model')).toBe(true);
    expect(modelAllowed(custom, 'arn:aws:bedrock:us-east-1:1:foundation-model/my-model')).toBe(true);
    expect(modelAllowed(custom, 'my-model-2')).toBe(false);
    expect(modelAllowed(key([]), 'anything')).toBe(true);
  });
});

describe('CallerAuth: who must present a key', () => {
  const noCredential = { header: () => undefined } as unknown as Exchange;

  it('keeps requiring a key once one existed, even after the last one is revoked', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      const callers = new CallerAuth(store, { host: '127.0.0.1' });
      expect(await callers.identify(noCredential)).toEqual({});
      await store.createKey({ name: 'only' });
      await store.revokeKey('only');
      callers.invalidate();
      expect(await callers.keysRequired()).toBe(true);
      const error = await callers.identify(noCredential).catch((thrown: unknown) => thrown);
      expect(error).toMatchObject({ code: 'MISSING_API_KEY', status: 401 });
      expect((error as Error).message).toContain('claude-gateway keys create');
      // A fresh process on the same store is closed from the start.
      expect(await new CallerAuth(store).keysRequired()).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('refuses everyone while open beyond loopback, whenever that state arises', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      const exposed = new CallerAuth(store, { host: '0.0.0.0' });
      const error = await exposed.identify(noCredential).catch((thrown: unknown) => thrown);
      expect(error).toMatchObject({ code: 'OPEN_BEYOND_LOOPBACK', status: 403 });
      expect((error as Error).message).toContain('0.0.0.0');
      expect((error as Error).message).toContain('claude-gateway keys create');
      expect(await new CallerAuth(store, { host: '::1' }).identify(noCredential)).toEqual({});
    } finally {
      await store.close();
    }
  });
});
