/** The dashboard's session tokens: signed, expiring, bound to the admin key, with a CSRF token each. */

import { describe, expect, it } from 'vitest';
import {
  csrfTokenMatches,
  issueSessionToken,
  readCookie,
  SESSION_TTL_MS,
  sessionCookie,
  sessionSigningKey,
  verifySessionToken,
} from './ui-session.js';

const NOW = Date.parse('2026-12-05T12:00:00Z');
const key = sessionSigningKey('admin-key-0123456789abcdef');
const STORED = {
  id: 'uis_0123456789abcdef',
  subject: 'admin',
  via: 'admin-key',
  expiresAt: NOW + SESSION_TTL_MS,
} as const;

describe('session tokens', () => {
  it('verifies a token it issued until it expires, with the same CSRF token', () => {
    const { token, session } = issueSessionToken(key, STORED);
    const verified = verifySessionToken(key, token, NOW + 1000);
    expect(verified).toEqual(session);
    expect(verified?.expiresAt).toBe(NOW + SESSION_TTL_MS);
    expect(verified?.id).toBe(STORED.id);
    expect(verifySessionToken(key, token, NOW + SESSION_TTL_MS)).toBeUndefined();
  });

  it('refuses a token signed with another admin key, changed, or malformed', () => {
    const { token } = issueSessionToken(key, STORED);
    expect(verifySessionToken(sessionSigningKey('another-admin-key-0123456789'), token, NOW)).toBeUndefined();
    const [body, signature] = token.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), exp: NOW * 2 }),
    ).toString('base64url');
    expect(verifySessionToken(key, `${forged}.${signature}`, NOW)).toBeUndefined();
    for (const bad of ['', 'abc', `${body}.`, `${token}.extra`, `${body}.${signature.slice(1)}`]) {
      expect(verifySessionToken(key, bad, NOW)).toBeUndefined();
    }
  });

  it('gives each session its own CSRF token, compared in constant time', () => {
    const one = issueSessionToken(key, STORED).session;
    const two = issueSessionToken(key, STORED).session;
    expect(one.csrfToken).not.toBe(two.csrfToken);
    expect(csrfTokenMatches(one, one.csrfToken)).toBe(true);
    expect(csrfTokenMatches(one, two.csrfToken)).toBe(false);
    expect(csrfTokenMatches(one, undefined)).toBe(false);
  });
});

describe('the cookie', () => {
  it('is HttpOnly, SameSite=Strict, on every path, Secure over HTTPS, and ends with Max-Age=0', () => {
    expect(sessionCookie('t0k', { secure: false })).toBe(
      'cgw_ui=t0k; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200',
    );
    expect(sessionCookie('t0k', { secure: true })).toContain('; Secure');
    expect(sessionCookie(undefined, { secure: false })).toContain(
      'cgw_ui=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0',
    );
  });

  it('is read from a Cookie header among others', () => {
    expect(readCookie('a=1; cgw_ui=abc.def; b=2', 'cgw_ui')).toBe('abc.def');
    expect(readCookie('xcgw_ui=1', 'cgw_ui')).toBeUndefined();
    expect(readCookie(undefined, 'cgw_ui')).toBeUndefined();
  });
});
