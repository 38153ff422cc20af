import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type AuthorizedUser, gcloudDefaultScopes } from './google-authorized-user.js';
import { createIdTokenSigner } from './google-id-token.js';
import { decodeJwt, signRs256Jwt, verifyRs256 } from './google-jwt.js';
import { createEmulatorServiceAccount, ServiceAccountRegistry } from './google-service-account.js';
import { handleGoogleTokenRequest, jwtBearerGrantType } from './google-token-endpoint.js';
import { GoogleTokenIssuer } from './google-tokens.js';

const now = new Date('2025-06-01T12:00:00Z');
const nowSeconds = now.getTime() / 1000;
const account = createEmulatorServiceAccount({
  projectId: 'emulator-project',
  email: 'emulator@emulator-project.iam.gserviceaccount.com',
});
const serviceAccounts = new ServiceAccountRegistry();
serviceAccounts.register(account.email, account.publicKey, account.keyId);
const user: AuthorizedUser = {
  clientId: 'client.apps.googleusercontent.com',
  clientSecret: 'client-secret',
  refreshToken: '1//refresh',
  email: 'user@example.com',
  scopes: [...gcloudDefaultScopes],
};
const issuer = new GoogleTokenIssuer({ now: () => now });
const options = {
  issuer,
  serviceAccounts,
  authorizedUsers: [user],
  signIdToken: createIdTokenSigner(account, () => now),
  now: () => now,
};
const tokenUrl = 'http://127.0.0.1:4000/token';
const scope = 'https://www.googleapis.com/auth/cloud-platform';

/** The claims google-auth-library 10 puts in its assertion. */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: account.email,
    scope,
    aud: 'https://oauth2.googleapis.com/token',
    exp: nowSeconds + 3600,
    iat: nowSeconds,
    ...overrides,
  };
}

async function post(
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const request = new Request(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  const response = await handleGoogleTokenRequest(request, options);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function jwtGrant(assertion: string) {
  return post({ grant_type: jwtBearerGrantType, assertion });
}

describe('handleGoogleTokenRequest: jwt-bearer', () => {
  it('exchanges a service account JWT for an access token', async () => {
    const { status, body } = await jwtGrant(signRs256Jwt(claims(), account.privateKey));
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(body).toMatchObject({ expires_in: 3599, token_type: 'Bearer' });
    expect(issuer.verifyGoogleBearer(`Bearer ${body['access_token']}`)).toMatchObject({
      ok: true,
      principal: { type: 'service_account', email: account.email, scopes: [scope] },
    });
  });

  it("accepts the endpoint's own URL as audience", async () => {
    const { status } = await jwtGrant(signRs256Jwt(claims({ aud: tokenUrl }), account.privateKey));
    expect(status).toBe(200);
  });

  it('rejects a JWT signed with another key', async () => {
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(await jwtGrant(signRs256Jwt(claims(), otherKey))).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' },
    });
  });

  it('accepts keys registered later', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const email = 'other@emulator-project.iam.gserviceaccount.com';
    serviceAccounts.register(email, publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect((await jwtGrant(signRs256Jwt(claims({ iss: email }), privateKey))).status).toBe(200);
  });

  it('rejects an unknown account', async () => {
    const { body } = await jwtGrant(
      signRs256Jwt(claims({ iss: 'nobody@x.iam.gserviceaccount.com' }), account.privateKey),
    );
    expect(body).toEqual({ error: 'invalid_grant', error_description: 'Invalid grant: account not found' });
  });

  it('rejects another audience', async () => {
    const { body } = await jwtGrant(
      signRs256Jwt(claims({ aud: 'https://example.com/token' }), account.privateKey),
    );
    expect(body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringContaining('audience'),
    });
  });

  it('rejects an expired or long-lived JWT', async () => {
    const expired = await jwtGrant(
      signRs256Jwt(claims({ iat: nowSeconds - 7200, exp: nowSeconds - 3600 }), account.privateKey),
    );
    const longLived = await jwtGrant(signRs256Jwt(claims({ exp: nowSeconds + 7200 }), account.privateKey));
    for (const { body } of [expired, longLived]) {
      expect(body).toMatchObject({
        error: 'invalid_grant',
        error_description: expect.stringMatching(/short-lived/),
      });
    }
  });

  it('requires a scope', async () => {
    const { status, body } = await jwtGrant(signRs256Jwt(claims({ scope: undefined }), account.privateKey));
    expect(status).toBe(400);
    expect(body).toEqual({
      error: 'invalid_scope',
      error_description: 'Invalid OAuth scope or ID token audience provided.',
    });
  });

  it('answers a target_audience with an ID token signed by the emulator', async () => {
    const assertion = signRs256Jwt(
      claims({ scope: undefined, target_audience: 'https://service' }),
      account.privateKey,
    );
    const { body } = await jwtGrant(assertion);
    const idToken = decodeJwt(String(body['id_token']));
    expect(idToken?.claims).toMatchObject({ aud: 'https://service', email: account.email });
    expect(idToken && verifyRs256(idToken, account.publicKey)).toBe(true);
  });

  it('answers a missing assertion and an unknown grant as Google does', async () => {
    expect((await post({ grant_type: jwtBearerGrantType })).body).toEqual({
      error: 'invalid_request',
      error_description: 'Missing required parameter: assertion',
    });
    expect(await post({ grant_type: 'password' })).toEqual({
      status: 400,
      body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: password' },
    });
  });
});

describe('handleGoogleTokenRequest: refresh_token', () => {
  const form = {
    grant_type: 'refresh_token',
    client_id: user.clientId,
    client_secret: user.clientSecret,
    refresh_token: user.refreshToken,
  };

  it("exchanges a user's refresh token for an access token", async () => {
    const { status, body } = await post(form);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      expires_in: 3599,
      token_type: 'Bearer',
      scope: gcloudDefaultScopes.join(' '),
    });
    expect(issuer.verifyGoogleBearer(`Bearer ${body['access_token']}`)).toMatchObject({
      principal: { type: 'authorized_user', email: user.email },
    });
  });

  it('rejects a wrong refresh token with invalid_grant', async () => {
    expect(await post({ ...form, refresh_token: '1//other' })).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Bad Request' },
    });
  });

  it('rejects a wrong client secret or an unknown client with 401 invalid_client', async () => {
    expect(await post({ ...form, client_secret: 'wrong' })).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: 'Unauthorized' },
    });
    expect(await post({ ...form, client_id: 'unknown' })).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: 'The OAuth client was not found.' },
    });
  });
});
