import { describe, expect, it } from 'vitest';
import { pickKeyByReference } from './key-reference.js';
import { displayPrefix, generateKeyId, generateSecret, hashSecret } from './key-secrets.js';
import { buildNewKey } from './new-key.js';
import type { ApiKeyRecord } from './types.js';

describe('key secrets', () => {
  it('makes cgw_ secrets from 32 random bytes, all different', () => {
    const secrets = new Set(Array.from({ length: 100 }, generateSecret));
    expect(secrets.size).toBe(100);
    for (const secret of secrets) {
      expect(secret).toMatch(/^cgw_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(secret.slice(4), 'base64url')).toHaveLength(32);
    }
  });

  it('hashes with sha256 hex and shows the first 8 characters', () => {
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(displayPrefix('cgw_q3Vx9abcdef')).toBe('cgw_q3Vx');
    expect(generateKeyId()).toMatch(/^key_[0-9a-f]{16}$/);
  });
});

describe('buildNewKey', () => {
  it('keeps the hash and prefix of a fresh secret, and only the fields given', () => {
    const { record, secret } = buildNewKey({ name: ' ci ', residency: 'eu', monthlyBudgetUsd: 50 }, 1234);
    expect(record).toStrictEqual({
      id: expect.stringMatching(/^key_/),
      name: 'ci',
      prefix: secret.slice(0, 8),
      hash: hashSecret(secret),
      createdAt: 1234,
      residency: 'eu',
      monthlyBudgetUsd: 50,
    });
    expect(JSON.stringify(record)).not.toContain(secret);
  });

  it('refuses input that cannot be a key, saying what is wrong', () => {
    expect(() => buildNewKey({ name: '' })).toThrow(/non-empty name/);
    expect(() => buildNewKey({ name: 'x', residency: 'mars' as 'eu' })).toThrow(
      /residency must be one of us, eu/,
    );
    expect(() => buildNewKey({ name: 'x', monthlyBudgetUsd: -1 })).toThrow(/monthlyBudgetUsd/);
    expect(() => buildNewKey({ name: 'x', requestsPerMinute: Number.NaN })).toThrow(/requestsPerMinute/);
    expect(() => buildNewKey({ name: 'x', allowedModels: [1] as unknown as string[] })).toThrow(
      /allowedModels/,
    );
  });
});

describe('pickKeyByReference', () => {
  const key = (id: string, name: string, prefix: string): ApiKeyRecord => ({
    id,
    name,
    prefix,
    hash: id,
    createdAt: 0,
  });
  const ci = key('key_1', 'ci', 'cgw_aaaa');
  const deploy = key('key_2', 'deploy', 'cgw_bbbb');
  const twin = key('key_3', 'twin', 'cgw_bbbb');

  it('prefers an id, then a name, then a unique prefix', () => {
    expect(pickKeyByReference([ci, deploy], 'key_2')).toBe(deploy);
    expect(pickKeyByReference([ci, deploy], 'ci')).toBe(ci);
    expect(pickKeyByReference([ci, deploy], 'cgw_aaaa')).toBe(ci);
    expect(pickKeyByReference([ci, key('key_9', 'key_2', 'cgw_cccc'), deploy], 'key_2')).toBe(deploy);
    expect(pickKeyByReference([ci], 'other')).toBeUndefined();
  });

  it('asks for the id when a prefix is shared', () => {
    expect(() => pickKeyByReference([deploy, twin], 'cgw_bbbb')).toThrow(/key_2, key_3.*give the key id/);
  });
});
