import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Platform } from '../catalog/types.js';
import { emulatedPlatforms } from '../config/emulated-platforms.js';
import type { PlatformsConfig } from '../config/schema.js';
import { type RunningEmulator, startEmulator } from '../emulator/server.js';
import { Claude } from './claude.js';
import type { ClaudeOptions } from './claude-options.js';

let emulator: RunningEmulator;
let platforms: PlatformsConfig;
const clients: Claude[] = [];

function claude(options: ClaudeOptions): Claude {
  const client = new Claude({
    platforms,
    logger: { warn: () => {} },
    now: () => new Date('2026-10-15T00:00:00Z'),
    ...options,
  });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, clock: () => Date.parse('2026-10-15T00:00:00Z') });
  platforms = emulatedPlatforms(emulator);
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await emulator.close();
});
beforeEach(() => emulator.state.reset());

describe('models.list', () => {
  it('lists the Anthropic API models from GET /v1/models, with catalog entries', async () => {
    const models = await claude({ platform: 'anthropic' }).models.list();
    const sonnet = models.find((model) => model.id === 'claude-sonnet-4-5-20250929');
    expect(sonnet).toMatchObject({ platform: 'anthropic', kind: 'model', source: 'platform' });
    expect(sonnet?.catalog?.name).toBe('claude-sonnet-4-5');
    expect(sonnet?.deprecation).toContain('2026-11-30');
    expect(emulator.state.journal.list({ platform: 'anthropic' })[0]?.path).toBe('/v1/models');
  });

  it('lists Bedrock foundation models and the inference profiles callable from the region', async () => {
    const models = await claude({ platform: 'bedrock', region: 'eu-west-1' }).models.list();
    const base = models.find((model) => model.id === 'anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(base).toMatchObject({ kind: 'foundation-model', region: 'eu-west-1', source: 'platform' });
    const profiles = models.filter((model) => model.kind === 'inference-profile');
    const ids = profiles.map((model) => model.id);
    expect(ids).toContain('global.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(ids).toContain('eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(ids.some((id) => id.startsWith('us.'))).toBe(false);
    const eu = profiles.find((model) => model.id.startsWith('eu.anthropic.claude-sonnet-4-5'));
    expect(eu?.scope).toBe('eu');
    expect(eu?.catalog?.name).toBe('claude-sonnet-4-5');
    const operations = emulator.state.journal.list({ platform: 'bedrock' }).map((entry) => entry.operation);
    expect(operations).toEqual(['ListFoundationModels', 'ListInferenceProfiles']);
  });

  it('lists Vertex AI and Foundry models from the catalog', async () => {
    const vertex = await claude({ platform: 'vertex' }).models.list();
    expect(vertex.find((model) => model.id === 'claude-sonnet-4-5@20250929')).toMatchObject({
      kind: 'model',
      source: 'catalog',
    });
    const foundry = await claude({ platform: 'foundry' }).models.list();
    expect(foundry.map((model) => model.id)).toContain('claude-haiku-4-5');
    expect(foundry.every((model) => model.catalog?.foundryId === model.id)).toBe(true);
  });

  it('lists every configured platform, and throws a ClaudeError for one that fails', async () => {
    const client = claude({ targets: ['bedrock/global', 'anthropic'] });
    const all = await client.models.list();
    expect(new Set(all.map((model) => model.platform))).toEqual(
      new Set(['bedrock', 'anthropic', 'vertex', 'foundry', 'claude-platform-aws']),
    );
    const wrong = claude({
      platform: 'anthropic',
      platforms: { anthropic: { apiKey: 'sk-ant-wrong', baseUrl: emulator.url } },
    });
    await expect(wrong.models.list()).rejects.toMatchObject({ name: 'ClaudeError', status: 401 });
  });
});

describe('verify', () => {
  it.each<Platform>(['anthropic', 'bedrock', 'vertex', 'foundry'])(
    'says who the %s credentials are',
    async (platform) => {
      const [check] = await claude({ platform }).verify();
      expect(check).toMatchObject({ platform, ok: true });
      expect(check?.hint).toBeUndefined();
    },
  );

  it('checks AWS credentials with STS GetCallerIdentity', async () => {
    const [check] = await claude({ platform: 'bedrock' }).verify();
    expect(check?.detail).toMatch(/^AWS account \d+ as arn:aws:/);
    expect(check?.detail).toContain(`AWS account ${emulator.auth.credentials.awsAccountId} `);
  });

  it('checks a Bedrock API key on the control plane (STS does not take them)', async () => {
    const bedrock = { ...platforms.bedrock, apiKey: emulator.auth.credentials.bedrockApiKey };
    const [check] = await claude({ platform: 'bedrock', platforms: { bedrock } }).verify();
    expect(check).toMatchObject({ ok: true });
    expect(check?.detail).toContain('Bedrock API key accepted');
  });

  it('reports the Google project and credentials type', async () => {
    const [check] = await claude({ platform: 'vertex' }).verify();
    expect(check?.detail).toContain('service_account credentials');
    expect(check?.detail).toContain(`project ${emulator.auth.credentials.vertexProjectId}`);
  });

  it('fails for a wrong AWS secret, with what to fix', async () => {
    const bedrock = { ...platforms.bedrock, secretAccessKey: 'not-the-secret' };
    const [check] = await claude({ platform: 'bedrock', platforms: { bedrock } }).verify();
    expect(check?.ok).toBe(false);
    expect(check?.detail).toContain('STS GetCallerIdentity failed');
    expect(check?.hint).toContain('aws configure');
    expect(check?.error?.platform).toBe('bedrock');
  });

  it('fails for a wrong Anthropic key, with what to fix', async () => {
    const [check] = await claude({
      platform: 'anthropic',
      platforms: { anthropic: { apiKey: 'sk-ant-wrong', baseUrl: emulator.url } },
    }).verify();
    expect(check).toMatchObject({ ok: false });
    expect(check?.hint).toContain('ANTHROPIC_API_KEY');
  });

  it('fails for Google credentials the token endpoint refuses, with the gcloud hint', async () => {
    const credentials = {
      ...emulator.auth.serviceAccountJson(`${emulator.url}/token`),
      client_email: 'nobody@elsewhere.iam.gserviceaccount.com',
    };
    const [check] = await claude({
      platform: 'vertex',
      platforms: { vertex: { ...platforms.vertex, credentials } },
    }).verify();
    expect(check).toMatchObject({ ok: false });
    expect(check?.detail).toContain('account not found');
    expect(check?.hint).toContain('gcloud auth application-default login');
  });

  it('fails for Foundry without credentials, without throwing', async () => {
    const [check] = await claude({
      platform: 'foundry',
      platforms: { foundry: { baseUrl: emulator.url } },
    }).verify();
    expect(check).toMatchObject({ platform: 'foundry', ok: false });
    expect(check?.hint).toContain('ANTHROPIC_FOUNDRY_API_KEY');
  });
});
