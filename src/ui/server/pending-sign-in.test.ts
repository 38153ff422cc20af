import { describe, expect, it } from 'vitest';
import { openPendingSignIn, PENDING_TTL_MS, pendingCookie, sealPendingSignIn } from './pending-sign-in.js';
import { sessionSigningKey } from './ui-session.js';

const NOW = Date.parse('2026-12-05T12:00:00Z');
const key = sessionSigningKey('admin-key-0123456789abcdef');
const pending = {
  state: 'state-1',
  nonce: 'nonce-1',
  codeVerifier: 'verifier-1',
  redirectUri: 'https://gateway.example.com/ui/auth/callback',
  expiresAt: NOW + PENDING_TTL_MS,
};

describe('a sign-in in progress', () => {
  it('comes back as sealed until it is too old', () => {
    const sealed = sealPendingSignIn(key, pending);
    expect(openPendingSignIn(key, sealed, NOW)).toEqual(pending);
    expect(openPendingSignIn(key, sealed, NOW + PENDING_TTL_MS)).toBeUndefined();
  });

  it('is refused when changed, sealed with another key, or malformed', () => {
    const sealed = sealPendingSignIn(key, pending);
    const [, signature] = sealed.split('.') as [string, string];
    const changed = Buffer.from(JSON.stringify({ ...pending, state: 'mine' })).toString('base64url');
    expect(openPendingSignIn(key, `${changed}.${signature}`, NOW)).toBeUndefined();
    expect(openPendingSignIn(sessionSigningKey('another-key-0123456789'), sealed, NOW)).toBeUndefined();
    for (const bad of [undefined, '', 'abc', `${sealed}.x`])
      expect(openPendingSignIn(key, bad, NOW)).toBeUndefined();
  });

  it('travels in a Lax, HttpOnly cookie only sent to /ui/auth/', () => {
    expect(pendingCookie('v', { secure: true })).toBe(
      'cgw_ui_oidc=v; Path=/ui/auth/; HttpOnly; SameSite=Lax; Max-Age=600; Secure',
    );
    expect(pendingCookie(undefined, { secure: false })).toContain('Max-Age=0');
  });
});
