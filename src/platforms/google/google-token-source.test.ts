import { generateKeyPairSync, type KeyObject, verify } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../wire/errors/index.js';
import {
  type RecordedRequest,
  type RecordingServer,
  type StubAnswer,
  startRecordingServer,
} from '../anthropic/__fixtures__/recording-server.js';
import { createGoogleTokenSource, GOOGLE_CLOUD_PLATFORM_SCOPE } from './google-token-source.js';
import { verifyGoogleCredentials } from './verify-google-credentials.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const EMAIL = 'vertex-caller@test-project.iam.gserviceaccount.com';

function serviceAccount(tokenUri: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'service_account',
    project_id: 'test-project',
    private_key_id: 'key-1',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: EMAIL,
    client_id: '1234567890',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: tokenUri,
    ...extra,
  };
}

/** The claims of a JWT whose RS256 signature `key` verifies; throws otherwise. */
function verifiedClaims(assertion: string, key: KeyObject): Record<string, unknown> {
  const [header, payload, signature] = assertion.split('.');
  if (!header || !payload || !signature) throw new Error('not a JWT');
  const valid = verify(
    'RSA-SHA256',
    Buffer.from(`${header}.${payload}`),
    key,
    Buffer.from(signature, 'base64url'),
  );
  if (!valid) throw new Error('bad signature');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

let tokenServer: RecordingServer;
let expiresIn = 3600;
let tokenAnswer: ((request: RecordedRequest) => StubAnswer) | undefined;

beforeAll(async () => {
  tokenServer = await startRecordingServer((request) => {
    if (tokenAnswer) return tokenAnswer(request);
    const issued = tokenServer.requests.length;
    return {
      body: JSON.stringify({ access_token: `token-${issued}`, expires_in: expiresIn, token_type: 'Bearer' }),
    };
  });
});
afterAll(() => tokenServer.close());
beforeEach(() => {
  tokenServer.requests.length = 0;
  expiresIn = 3600;
  tokenAnswer = undefined;
  vi.stubEnv('METADATA_SERVER_DETECTION', 'none');
  vi.stubEnv('ANTHROPIC_VERTEX_PROJECT_ID', '');
  vi.stubEnv('GOOGLE_APPLICATION_CREDENTIALS', '');
  vi.stubEnv('GOOGLE_CLOUD_PROJECT', '');
  vi.stubEnv('GCLOUD_PROJECT', '');
  vi.stubEnv('GOOGLE_CLOUD_QUOTA_PROJECT', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createGoogleTokenSource with a service account', () => {
  it("posts a signed JWT to the credentials' token_uri and sends the token it gets", async () => {
    const source = createGoogleTokenSource({ credentials: serviceAccount(`${tokenServer.url}/token`) });
    const headers = await source.getRequestHeaders();
    expect(headers).toEqual({ authorization: 'Bearer token-1' });
    expect(tokenServer.requests).toHaveLength(1);
    const request = tokenServer.requests[0];
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/token');
    const form = new URLSearchParams(request?.body);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const claims = verifiedClaims(form.get('assertion') ?? '', publicKey);
    expect(claims['iss']).toBe(EMAIL);
    expect(claims['scope']).toBe(GOOGLE_CLOUD_PLATFORM_SCOPE);
  });

  it('hands google-auth-library a checked client, so it prints no deprecation warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const source = createGoogleTokenSource({ credentials: serviceAccount(`${tokenServer.url}/token`) });
      expect(await source.getRequestHeaders()).toEqual({ authorization: 'Bearer token-1' });
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('reads the project and the quota project from the credentials', async () => {
    const source = createGoogleTokenSource({
      credentials: JSON.stringify(
        serviceAccount(`${tokenServer.url}/token`, { quota_project_id: 'billing-project' }),
      ),
    });
    expect(source.knownProjectId).toBeUndefined();
    expect(await source.getProjectId()).toBe('test-project');
    expect(source.knownProjectId).toBe('test-project');
    expect(await source.getRequestHeaders()).toEqual({
      authorization: 'Bearer token-1',
      'x-goog-user-project': 'billing-project',
    });
    expect(await source.describeCredentials()).toEqual({ type: 'service_account', principal: EMAIL });
  });

  it('takes the project from the option, then ANTHROPIC_VERTEX_PROJECT_ID, before the credentials', async () => {
    vi.stubEnv('ANTHROPIC_VERTEX_PROJECT_ID', 'env-project');
    const credentials = serviceAccount(`${tokenServer.url}/token`);
    expect(await createGoogleTokenSource({ credentials, projectId: 'option-project' }).getProjectId()).toBe(
      'option-project',
    );
    const fromEnvironment = createGoogleTokenSource({ credentials });
    expect(fromEnvironment.knownProjectId).toBe('env-project');
    expect(await fromEnvironment.getProjectId()).toBe('env-project');
  });

  it('lets an explicit quota project win over the credentials', async () => {
    const source = createGoogleTokenSource({
      credentials: serviceAccount(`${tokenServer.url}/token`, { quota_project_id: 'billing-project' }),
      quotaProjectId: 'chosen-project',
    });
    expect((await source.getRequestHeaders())['x-goog-user-project']).toBe('chosen-project');
  });

  it('fetches one token for many concurrent requests and reuses it while it is fresh', async () => {
    const source = createGoogleTokenSource({ credentials: serviceAccount(`${tokenServer.url}/token`) });
    const tokens = await Promise.all(Array.from({ length: 8 }, () => source.getAccessToken()));
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    expect(await source.getAccessToken()).toBe('token-1');
    expect(tokenServer.requests).toHaveLength(1);
  });

  it('refreshes a token that expires within the refresh margin', async () => {
    expiresIn = 60; // less than google-auth-library's 5-minute margin: stale as soon as it arrives
    const source = createGoogleTokenSource({ credentials: serviceAccount(`${tokenServer.url}/token`) });
    expect(await source.getAccessToken()).toBe('token-1');
    expect(await source.getAccessToken()).toBe('token-2');
    expect(tokenServer.requests).toHaveLength(2);
  });

  it('loads the key file GOOGLE_APPLICATION_CREDENTIALS names, honouring its token_uri', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'google-adc-'));
    try {
      const file = join(directory, 'key.json');
      await writeFile(file, JSON.stringify(serviceAccount(`${tokenServer.url}/token`)));
      vi.stubEnv('GOOGLE_APPLICATION_CREDENTIALS', file);
      const report = await verifyGoogleCredentials(createGoogleTokenSource());
      expect(report).toEqual({
        credentialType: 'service_account',
        principal: EMAIL,
        projectId: 'test-project',
      });
      expect(tokenServer.requests[0]?.path).toBe('/token');
    } finally {
      await rm(directory, { recursive: true });
    }
  });

  it('says to log in again when the token endpoint refuses the credentials', async () => {
    tokenAnswer = () => ({
      status: 400,
      body: JSON.stringify({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }),
    });
    const source = createGoogleTokenSource({ credentials: serviceAccount(`${tokenServer.url}/token`) });
    const error = await source.getRequestHeaders().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    if (!(error instanceof GatewayError)) return;
    expect(error.code).toBe('PLATFORM_CREDENTIALS_UNAVAILABLE');
    expect(error.message).toContain('invalid_grant');
    expect(error.message).toContain('gcloud auth application-default login');
    expect(error.retryable).toBe(false);
  });
});

describe('createGoogleTokenSource without usable credentials', () => {
  it('gives the gcloud and GOOGLE_APPLICATION_CREDENTIALS hint when the file named does not exist', async () => {
    vi.stubEnv('GOOGLE_APPLICATION_CREDENTIALS', join(tmpdir(), 'no-such-dir', 'missing-key.json'));
    const error = await createGoogleTokenSource()
      .getRequestHeaders()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    if (!(error instanceof GatewayError)) return;
    expect(error.code).toBe('PLATFORM_CREDENTIALS_UNAVAILABLE');
    expect(error.platform).toBe('vertex');
    expect(error.message).toContain('missing-key.json');
    expect(error.message).toContain('GOOGLE_APPLICATION_CREDENTIALS');
    expect(error.message).toContain('gcloud auth application-default login');
    expect(error.retryable).toBe(false);
  });

  it('gives the gcloud hint when no Application Default Credentials exist at all', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'gcloud-config-'));
    try {
      vi.stubEnv('CLOUDSDK_CONFIG', directory);
      const error = await createGoogleTokenSource({ projectId: 'p' })
        .getAccessToken()
        .catch((caught: unknown) => caught);
      expect(error instanceof GatewayError && error.message).toMatch(
        /no Application Default Credentials were found .*gcloud auth application-default login/,
      );
    } finally {
      await rm(directory, { recursive: true });
    }
  });

  it('says how to set the project when a fixed token names none', async () => {
    const source = createGoogleTokenSource({ accessToken: 'fixed-token' });
    expect(await source.getRequestHeaders()).toEqual({ authorization: 'Bearer fixed-token' });
    const error = await source.getProjectId().catch((caught: unknown) => caught);
    expect(error instanceof GatewayError && error.message).toContain('ANTHROPIC_VERTEX_PROJECT_ID');
  });
});

describe('createGoogleTokenSource on the metadata server', () => {
  it('gets the token from the server GCE_METADATA_HOST names', async () => {
    const metadata = await startRecordingServer((request) => {
      const flavor = { 'metadata-flavor': 'Google' };
      if (request.headers['metadata-flavor'] !== 'Google') return { status: 403, body: 'missing header' };
      if (request.path.startsWith('/computeMetadata/v1/instance/service-accounts/default/token')) {
        return {
          headers: flavor,
          body: JSON.stringify({ access_token: 'metadata-token', expires_in: 3599, token_type: 'Bearer' }),
        };
      }
      if (request.path === '/computeMetadata/v1/instance/service-accounts/default/email') {
        return {
          headers: { ...flavor, 'content-type': 'text/plain' },
          body: 'default@test-project.iam.gserviceaccount.com',
        };
      }
      return { status: 404, headers: flavor, body: 'not found' };
    });
    const directory = await mkdtemp(join(tmpdir(), 'gcloud-config-'));
    try {
      vi.stubEnv('CLOUDSDK_CONFIG', directory);
      vi.stubEnv('GCE_METADATA_HOST', metadata.url.replace('http://', ''));
      vi.stubEnv('METADATA_SERVER_DETECTION', 'assume-present');
      const source = createGoogleTokenSource({ projectId: 'test-project' });
      expect(await source.getRequestHeaders()).toEqual({ authorization: 'Bearer metadata-token' });
      expect(await source.describeCredentials()).toEqual({
        type: 'compute',
        principal: 'default@test-project.iam.gserviceaccount.com',
      });
      const tokenRequest = metadata.requests.find((request) => request.path.includes('/token'));
      expect(tokenRequest?.path).toContain(encodeURIComponent(GOOGLE_CLOUD_PLATFORM_SCOPE));
    } finally {
      await metadata.close();
      await rm(directory, { recursive: true });
    }
  });
});
