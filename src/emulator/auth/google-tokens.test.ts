import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signRs256Jwt } from './google-jwt.js';
import { ServiceAccountRegistry } from './google-service-account.js';
import { GoogleTokenIssuer, googleAuthErrorResponse } from './google-tokens.js';

const email = 'emulator@emulator-project.iam.gserviceaccount.com';
const principal = {
  type: 'service_account' as const,
  email,
  scopes: ['https://www.googleapis.com/auth/cloud-platform'],
};
const invalidCredentials =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid ' +
  'authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

/** A clock the test moves by hand. */
function manualClock(start: string) {
  let current = new Date(start);
  return {
    now: () => current,
    advance(seconds: number) {
      current = new Date(current.getTime() + seconds * 1000);
    },
  };
}

describe('GoogleTokenIssuer', () => {
  it('issues opaque ya29 tokens that verify to their principal', () => {
    const issuer = new GoogleTokenIssuer();
    const issued = issuer.issue(principal);
    expect(issued.accessToken).toMatch(/^ya29\.emulator\.[A-Za-z0-9_-]{20,}$/);
    expect(issued.expiresIn).toBe(3599);
    expect(issuer.verifyGoogleBearer(`Bearer ${issued.accessToken}`)).toEqual({
      ok: true,
      principal,
      token: issued.accessToken,
    });
  });

  it('answers an unknown token with Google 401 UNAUTHENTICATED', async () => {
    const result = new GoogleTokenIssuer().verifyGoogleBearer('Bearer ya29.unknown');
    expect(result).toEqual({
      ok: false,
      status: 401,
      body: { error: { code: 401, message: invalidCredentials, status: 'UNAUTHENTICATED' } },
    });
    if (result.ok) return;
    const response = googleAuthErrorResponse(result);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="https://accounts.google.com/"');
    expect(await response.json()).toEqual(result.body);
  });

  it('answers a missing header with the missing-credential message', () => {
    const result = new GoogleTokenIssuer().verifyGoogleBearer(undefined);
    expect(result).toMatchObject({
      ok: false,
      body: {
        error: { message: expect.stringMatching(/^Request is missing required authentication credential/) },
      },
    });
  });

  it('lets tokens lapse after an hour', () => {
    const clock = manualClock('2025-06-01T12:00:00Z');
    const issuer = new GoogleTokenIssuer({ now: clock.now });
    const { accessToken } = issuer.issue(principal);
    clock.advance(3599);
    expect(issuer.lookup(accessToken)?.expiresIn).toBe(1);
    clock.advance(1);
    expect(issuer.verifyGoogleBearer(`Bearer ${accessToken}`).ok).toBe(false);
  });

  it('expires one token, or all, on demand', () => {
    const issuer = new GoogleTokenIssuer();
    const first = issuer.issue(principal).accessToken;
    const second = issuer.issue(principal).accessToken;
    issuer.expire(first);
    expect([issuer.lookup(first), issuer.lookup(second)?.principal]).toEqual([undefined, principal]);
    issuer.expire();
    expect(issuer.lookup(second)).toBeUndefined();
  });

  describe('self-signed service-account JWTs', () => {
    const clock = manualClock('2025-06-01T12:00:00Z');
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const registry = new ServiceAccountRegistry();
    registry.register(email, publicKey, 'key-1');
    const issuer = new GoogleTokenIssuer({ now: clock.now, serviceAccounts: registry });
    const iat = clock.now().getTime() / 1000;
    const claims = {
      iss: email,
      sub: email,
      aud: 'https://aiplatform.googleapis.com/',
      iat,
      exp: iat + 3600,
    };

    it('accepts a JWT signed by a registered key', () => {
      const result = issuer.verifyGoogleBearer(`Bearer ${signRs256Jwt(claims, privateKey, 'key-1')}`);
      expect(result).toMatchObject({ ok: true, principal: { type: 'service_account', email } });
    });

    it('rejects a JWT signed by another key', () => {
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      expect(issuer.verifyGoogleBearer(`Bearer ${signRs256Jwt(claims, other, 'key-1')}`).ok).toBe(false);
    });

    it('rejects an expired JWT', () => {
      const expired = { ...claims, iat: iat - 7200, exp: iat - 3600 };
      expect(issuer.verifyGoogleBearer(`Bearer ${signRs256Jwt(expired, privateKey)}`).ok).toBe(false);
    });
  });
});
