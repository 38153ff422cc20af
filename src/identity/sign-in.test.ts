import Anthropic from '@anthropic-ai/sdk';
import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf, startTestGateway, TEST_NOW, type TestGateway } from '../test-support/gateway.js';
import { signInThroughGateway, startTestIdp, type TestIdp } from '../test-support/oidc-idp.js';

const ACCOUNTS = [
  { sub: 'alice-sub', email: 'alice@example.com', name: 'Alice', groups: ['eng', 'admins'] },
  { sub: 'bob-sub', email: 'bob@example.com', name: 'Bob', groups: ['interns'] },
];

/** The gateway's clock: pinned, and moved forward by the tests that need a token to expire. */
let now = Date.parse(TEST_NOW);
const clock = () => now;

let idp: TestIdp;
let setup: TestGateway;

beforeAll(async () => {
  idp = await startTestIdp(ACCOUNTS);
  setup = await startTestGateway({
    clock,
    config: {
      auth: {
        oidc: {
          issuer: idp.issuer,
          clientId: idp.clientId,
          scopes: ['openid', 'email', 'profile', 'groups'],
          groupsClaim: 'groups',
          adminGroups: ['admins'],
          tokenTtl: '15m',
        },
      },
    },
  });
  await setup.store.identity.createGroup(
    { name: 'interns', memberPolicy: { allowedModels: ['claude-haiku-5-5'] } },
    now,
  );
  await setup.store.identity.createGroup({ name: 'eng' }, now);
});
afterAll(async () => {
  await setup?.close();
  await idp?.close();
});

const message = (model = 'claude-sonnet-5-5') => ({
  model,
  max_tokens: 32,
  messages: [{ role: 'user' as const, content: 'Hello' }],
});

describe('sign-in through the device flow', () => {
  it('signs a developer in, and the gateway token calls Claude as that user and group', async () => {
    const signIn = await signInThroughGateway(setup.url, idp, 'alice-sub');
    expect(signIn.user).toMatchObject({ name: 'alice@example.com', groups: ['eng', 'admins'] });
    expect(signIn.expires_in).toBe(900);
    const client = new Anthropic({ baseURL: setup.url, apiKey: signIn.access_token, maxRetries: 0 });
    const answer = await client.messages.create(message()).withResponse();
    const requestId = answer.response.headers.get('x-claude-gateway-request-id') ?? '';
    const { request } = await setup.activity(requestId);
    expect(request?.keyId).toMatch(/^ses_/);
    expect(request?.keyName).toBe('alice@example.com');
    const user = await setup.store.identity.findUser('alice@example.com');
    expect(user).toMatchObject({ source: 'oidc', subject: 'alice-sub', issuer: idp.issuer });
  });

  it("refuses a model the group's allowlist keeps out, saying which rule and what is allowed", async () => {
    const signIn = await signInThroughGateway(setup.url, idp, 'bob-sub');
    const client = new Anthropic({ baseURL: setup.url, apiKey: signIn.access_token, maxRetries: 0 });
    const error = await failureOf<InstanceType<typeof Anthropic.APIError>>(
      client.messages.create(message('claude-opus-5-5')),
    );
    expect(error.status).toBe(403);
    expect(error.message).toContain(
      'Model "claude-opus-5-5" is not allowed for bob@example.com: group "interns" allows only claude-haiku-5-5',
    );
    expect((await client.messages.create(message('claude-haiku-5-5'))).type).toBe('message');
  });

  it('renews the gateway token with the refresh token, and not after the sign-in is ended', async () => {
    const signIn = await signInThroughGateway(setup.url, idp, 'alice-sub');
    const refresh = (token: string) =>
      fetch(`${setup.url}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: token }),
      });
    const renewed = await refresh(signIn.refresh_token);
    expect(renewed.status).toBe(200);
    const { access_token } = (await renewed.json()) as { access_token: string };
    expect(access_token).toMatch(/^eyJ/);
    const out = await fetch(`${setup.url}/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ refresh_token: signIn.refresh_token }),
    });
    expect(await out.json()).toEqual({ signed_out: true });
    const refused = await refresh(signIn.refresh_token);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'invalid_grant' });
    // The ended session's gateway tokens are refused at once.
    const client = new Anthropic({ baseURL: setup.url, apiKey: access_token, maxRetries: 0 });
    const error = await failureOf<InstanceType<typeof Anthropic.APIError>>(client.messages.create(message()));
    expect(error.status).toBe(401);
    expect(error.message).toContain('This sign-in was ended');
    expect(error.message).toContain('claude-gateway login --gateway');
  });

  it('says the sign-in is pending until it is approved, and refused when denied', async () => {
    const started = (await (await fetch(`${setup.url}/auth/device`, { method: 'POST' })).json()) as {
      device_code: string;
      verification_uri_complete: string;
    };
    const poll = () =>
      fetch(`${setup.url}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
          device_code: started.device_code,
        }),
      });
    const pending = await poll();
    expect(pending.status).toBe(400);
    expect(await pending.json()).toMatchObject({ error: 'authorization_pending' });
    await idp.deny(started.verification_uri_complete);
    const denied = await poll();
    expect(await denied.json()).toMatchObject({ error: 'access_denied' });
  });
});

describe('bad credentials get a 401 in the client dialect that says to sign in', () => {
  const anthropicFailure = async (apiKey: string) =>
    failureOf<InstanceType<typeof Anthropic.APIError>>(
      new Anthropic({ baseURL: setup.url, apiKey, maxRetries: 0 }).messages.create(message()),
    );

  it('a token from another issuer', async () => {
    const foreign = await new SignJWT({ email: 'mallory@example.com' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://other-idp.example.com')
      .setSubject('mallory')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('x'.repeat(32)));
    const error = await anthropicFailure(foreign);
    expect(error.status).toBe(401);
    expect(error.message).toContain('issued by https://other-idp.example.com, not by this gateway');
    expect(error.message).toContain('claude-gateway login --gateway http://127.0.0.1:');
  });

  it('a tampered token', async () => {
    const { access_token } = await signInThroughGateway(setup.url, idp, 'alice-sub');
    const [header, payload, signature] = access_token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'usr_someone_else' })).toString('base64url');
    const error = await anthropicFailure(`${header}.${forged}.${signature}`);
    expect(error.status).toBe(401);
    expect(error.message).toContain('signature does not match');
    expect(error.message).toContain('claude-gateway login');
  });

  it('an expired token, in the Bedrock dialect too', async () => {
    const { access_token } = await signInThroughGateway(setup.url, idp, 'alice-sub');
    now += 16 * 60_000;
    try {
      const error = await anthropicFailure(access_token);
      expect(error.status).toBe(401);
      expect(error.message).toContain('Your gateway sign-in token expired at');
      expect(error.message).toContain('claude-gateway token');
      const bedrock = new BedrockRuntimeClient({
        region: 'us-east-1',
        endpoint: setup.url,
        token: { token: access_token },
        authSchemePreference: ['httpBearerAuth'],
        maxAttempts: 1,
      });
      const refused = await failureOf<Error & { $metadata: { httpStatusCode: number } }>(
        bedrock.send(
          new InvokeModelCommand({
            modelId: 'us.anthropic.claude-sonnet-5-5',
            body: JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', ...message(), model: undefined }),
          }),
        ),
      );
      expect(refused.$metadata.httpStatusCode).toBe(401);
      expect(refused.name).toBe('UnrecognizedClientException');
      expect(refused.message).toContain('expired');
    } finally {
      now -= 16 * 60_000;
    }
  });

  it('a service token after its expiry, and before it', async () => {
    await setup.store.identity.createGroup({ name: 'ci' }, now);
    const { secret } = await setup.store.identity.createServiceToken(
      { name: 'deploy-bot', group: 'ci', expiresAt: now + 60_000 },
      now,
    );
    const client = new Anthropic({ baseURL: setup.url, apiKey: secret, maxRetries: 0 });
    const answer = await client.messages.create(message()).withResponse();
    const { request } = await setup.activity(
      answer.response.headers.get('x-claude-gateway-request-id') ?? '',
    );
    expect(request?.keyName).toBe('deploy-bot');
    now += 120_000;
    try {
      const error = await anthropicFailure(secret);
      expect(error.status).toBe(401);
      expect(error.message).toContain('The service token "deploy-bot" expired at');
    } finally {
      now -= 120_000;
    }
  });
});
