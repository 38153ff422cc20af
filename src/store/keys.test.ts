import { describe, expect, it } from 'vitest';
import { keyForFilter, pickKeyByReference } from './key-reference.js';
import { displayPrefix, generateKeyId, generateSecret, hashSecret } from './key-secrets.js';
import { parseDuration, parseExpiry, parseGrace } from './key-times.js';
import { applyKeyChanges, buildNewKey } from './new-key.js';
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

describe('keyForFilter (logs --key, GET /admin/requests?key=)', () => {
  const key = (
    id: string,
    name: string,
    prefix: string,
    createdAt: number,
    revokedAt?: number,
  ): ApiKeyRecord => ({
    id,
    name,
    prefix,
    hash: id,
    createdAt,
    ...(revokedAt !== undefined ? { revokedAt } : {}),
  });
  const oldCi = key('key_1', 'ci', 'cgw_aaaa', 1, 5);
  const newerOldCi = key('key_2', 'ci', 'cgw_bbbb', 2, 6);
  const ci = key('key_3', 'ci', 'cgw_cccc', 3);
  const twin = key('key_4', 'twin', 'cgw_cccc', 4);

  it('takes an id, then a name (the active key, else the newest), then a unique prefix; revoked keys too', () => {
    expect(keyForFilter([oldCi, newerOldCi, ci], 'key_1')).toBe(oldCi);
    expect(keyForFilter([oldCi, newerOldCi, ci], 'ci')).toBe(ci);
    expect(keyForFilter([oldCi, newerOldCi], 'ci')).toBe(newerOldCi);
    expect(keyForFilter([oldCi, newerOldCi], 'cgw_aaaa')).toBe(oldCi);
    expect(keyForFilter([oldCi], 'nobody')).toBeUndefined();
    expect(() => keyForFilter([ci, twin], 'cgw_cccc')).toThrow(/key_3, key_4.*give the key id/);
  });
});

describe('key times', () => {
  const now = Date.UTC(2026, 11, 5, 12);

  it('reads lengths of time, ISO dates (00:00 UTC) and times, and ms', () => {
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
    expect(parseDuration('1.5h')).toBeUndefined();
    expect(parseExpiry('30d', now)).toBe(Date.UTC(2027, 0, 4, 12));
    expect(parseExpiry('2027-01-31', now)).toBe(Date.UTC(2027, 0, 31));
    expect(parseExpiry('2027-01-31T18:00:00Z', now)).toBe(Date.UTC(2027, 0, 31, 18));
    expect(parseExpiry('2027-01-31T18:00', now)).toBe(Date.UTC(2027, 0, 31, 18));
    expect(parseExpiry('2027-01-31T18:00:00+02:00', now)).toBe(Date.UTC(2027, 0, 31, 16));
    expect(parseExpiry(Date.UTC(2027, 0, 1), now)).toBe(Date.UTC(2027, 0, 1));
    for (const wrong of ['soon', 'March 7', '', '30 days', true]) {
      expect(() => parseExpiry(wrong, now), String(wrong)).toThrow(/length of time like 30d.*ISO date/);
    }
    expect(parseGrace('30m')).toBe(1_800_000);
    expect(parseGrace(0)).toBe(0);
    expect(() => parseGrace('-1h')).toThrow(/grace period must be a length of time/);
  });
});

describe('applyKeyChanges', () => {
  const now = Date.UTC(2026, 11, 5, 12);
  const current: ApiKeyRecord = {
    id: 'key_1',
    name: 'ci',
    prefix: 'cgw_aaaa',
    hash: 'h',
    createdAt: 0,
    residency: 'eu',
    monthlyBudgetUsd: 50,
  };

  it('sets, removes (null) and keeps fields, checking them as create does', () => {
    expect(
      applyKeyChanges(current, { monthlyBudgetUsd: 100, residency: null, name: ' ci-2 ' }, now),
    ).toStrictEqual({
      id: 'key_1',
      name: 'ci-2',
      prefix: 'cgw_aaaa',
      hash: 'h',
      createdAt: 0,
      monthlyBudgetUsd: 100,
    });
    expect(() => applyKeyChanges(current, { residancy: 'eu' } as never, now)).toThrow(
      'Cannot update the key: unknown field "residancy"; did you mean "residency"?',
    );
    expect(() => applyKeyChanges(current, { residency: 'mars' as 'eu' }, now)).toThrow(
      /residency must be one of/,
    );
    expect(() => applyKeyChanges(current, { expiresAt: now - 1 }, now)).toThrow(/not in the future/);
    expect(() => applyKeyChanges(current, { name: null } as never, now)).toThrow(/non-empty name/);
    expect(() => applyKeyChanges(current, { id: 'key_2' } as never, now)).toThrow(/unknown field "id"/);
    expect(() => applyKeyChanges(current, { hash: 'x' } as never, now)).toThrow(/unknown field "hash"/);
  });
});
