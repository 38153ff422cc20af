import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import AnthropicVertex, { type ClientOptions } from '@anthropic-ai/vertex-sdk';
import { type ServerType, serve } from '@hono/node-server';
import { GoogleAuth } from 'google-auth-library';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulatorAuth } from './emulator-auth.js';
import { createGoogleTokenRedirectFetch } from './google-token-redirect-fetch.js';
import { googleAuthErrorResponse } from './google-tokens.js';

/** The Vertex SDK's google-auth-library (10) type; this package's 11 differs only in private fields. */
type VertexGoogleAuth = NonNullable<ClientOptions['googleAuth']>;

const auth = createEmulatorAuth();
const cloudPlatform = 'https://www.googleapis.com/auth/cloud-platform';

const app = new Hono();
app.post('/token', (context) => auth.handleGoogleTokenRequest(context.req.raw));
app.get('/computeMetadata/*', (context) => auth.handleMetadataRequest(context.req.raw));
app.get('/v1/whoami', (context) => {
  const result = auth.verifyGoogleBearer(context.req.header('authorization'));
  return result.ok ? context.json(result.principal) : googleAuthErrorResponse(result);
});

/** A stand-in for Vertex rawPredict that only checks the caller, recording who it was. */
const vertexCallers: string[] = [];
app.post('/v1/projects/*', (context) => {
  const result = auth.verifyGoogleBearer(context.req.header('authorization'));
  if (!result.ok) return googleAuthErrorResponse(result);
  vertexCallers.push(result.principal.email);
  return context.json({
    id: 'msg_emulator',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5@20250929',
    content: [{ type: 'text', text: 'ok' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 1, output_tokens: 1 },
  });
});

let server: ServerType;
let origin: string;

beforeAll(async () => {
  origin = await new Promise<string>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
  });
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

/** google-auth-library posts to https://oauth2.googleapis.com/token whatever token_uri says: send that here. */
function clientOptions() {
  return {
    forceRefreshOnFailure: true,
    transporterOptions: { fetchImplementation: createGoogleTokenRedirectFetch(origin) },
  };
}

describe('google-auth-library with the emulator service account', () => {
  it('gets an access token that verifyGoogleBearer accepts', async () => {
    const googleAuth = new GoogleAuth({
      credentials: auth.serviceAccountJson(`${origin}/token`),
      scopes: cloudPlatform,
      clientOptions: clientOptions(),
    });
    const token = await googleAuth.getAccessToken();
    expect(token).toMatch(/^ya29\.emulator\./);
    expect(auth.verifyGoogleBearer(`Bearer ${token}`)).toMatchObject({
      ok: true,
      principal: { type: 'service_account', email: auth.serviceAccount.email, scopes: [cloudPlatform] },
    });
    expect(await googleAuth.getProjectId()).toBe('emulator-project');
  });

  it('surfaces invalid_grant when the key is not the account’s', async () => {
    const tamperedKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const googleAuth = new GoogleAuth({
      credentials: { ...auth.serviceAccountJson(`${origin}/token`), private_key: tamperedKey },
      scopes: cloudPlatform,
      clientOptions: clientOptions(),
    });
    await expect(googleAuth.getAccessToken()).rejects.toMatchObject({
      message: 'invalid_grant: Invalid JWT Signature.',
      status: 400,
    });
  });
});

describe('@anthropic-ai/vertex-sdk with the emulator service account', () => {
  it('sends a bearer token the emulator issued', async () => {
    const googleAuth = new GoogleAuth({
      credentials: auth.serviceAccountJson(`${origin}/token`),
      scopes: cloudPlatform,
      clientOptions: clientOptions(),
    });
    const client = new AnthropicVertex({
      baseURL: `${origin}/v1`,
      region: 'us-east5',
      projectId: 'emulator-project',
      googleAuth: googleAuth as unknown as VertexGoogleAuth,
      maxRetries: 0,
    });
    const message = await client.messages.create({
      model: 'claude-sonnet-4-5@20250929',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(message.id).toBe('msg_emulator');
    expect(vertexCallers).toEqual([auth.serviceAccount.email]);
  });
});

describe('google-auth-library with an authorized_user credential', () => {
  it('refreshes its token at the emulator', async () => {
    const googleAuth = new GoogleAuth({
      credentials: auth.authorizedUserJson(),
      clientOptions: clientOptions(),
    });
    const token = await googleAuth.getAccessToken();
    expect(auth.verifyGoogleBearer(`Bearer ${token}`)).toMatchObject({
      principal: { type: 'authorized_user', email: auth.credentials.googleUserEmail },
    });
  });

  it('gets a new token after the emulator expires the old one', async () => {
    const googleAuth = new GoogleAuth({
      credentials: auth.authorizedUserJson(),
      clientOptions: clientOptions(),
    });
    const client = await googleAuth.getClient();
    const first = await client.request<{ email: string }>({ url: `${origin}/v1/whoami` });
    expect(first.data.email).toBe(auth.credentials.googleUserEmail);
    const oldToken = (await client.getAccessToken()).token;
    auth.googleTokens.expire();
    const second = await client.request<{ email: string }>({ url: `${origin}/v1/whoami` });
    expect(second.status).toBe(200);
    expect((await client.getAccessToken()).token).not.toBe(oldToken);
  });
});

describe('google-auth-library on the metadata server', () => {
  it('gets a token and the project id through GCE_METADATA_HOST', async () => {
    const home = await mkdtemp(join(tmpdir(), 'emulator-adc-'));
    const script = [
      "import { GoogleAuth } from 'google-auth-library';",
      "const googleAuth = new GoogleAuth({ scopes: 'https://www.googleapis.com/auth/cloud-platform' });",
      'const token = await googleAuth.getAccessToken();',
      'const projectId = await googleAuth.getProjectId();',
      'console.log(JSON.stringify({ token, projectId }));',
    ].join('\n');
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        cwd: process.cwd(),
        env: {
          PATH: '/nonexistent',
          HOME: home,
          CLOUDSDK_CONFIG: home,
          GCE_METADATA_HOST: new URL(origin).host,
          METADATA_SERVER_DETECTION: 'assume-present',
        },
      });
      const { token, projectId } = JSON.parse(stdout) as { token: string; projectId: string };
      expect(projectId).toBe('emulator-project');
      expect(auth.verifyGoogleBearer(`Bearer ${token}`)).toMatchObject({
        ok: true,
        principal: { type: 'compute', email: auth.serviceAccount.email },
      });
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
