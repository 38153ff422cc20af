import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../wire/errors/gateway-error.js';
import { createAwsCredentialSource } from './aws-credential-source.js';
import type { AwsCredentials } from './aws-credentials.js';
import { awsCredentialsError } from './aws-credentials-error.js';

const MINUTE = 60_000;

/** A provider that counts its calls and hands out numbered credentials expiring at `expiresAt()`. */
function countingProvider(expiresAt?: () => number) {
  const provider = vi.fn(async (): Promise<AwsCredentials> => {
    const number = provider.mock.calls.length;
    const expiration = expiresAt?.();
    return {
      accessKeyId: `ASIA${number}`,
      secretAccessKey: `secret-${number}`,
      sessionToken: `token-${number}`,
      ...(expiration === undefined ? {} : { expiration: new Date(expiration) }),
    };
  });
  return provider;
}

describe('createAwsCredentialSource: caching', () => {
  it('calls the provider once for many requests', async () => {
    const provider = countingProvider(() => Date.now() + 60 * MINUTE);
    const source = createAwsCredentialSource({ provider });
    for (let request = 0; request < 10; request += 1) {
      expect((await source.get()).accessKeyId).toBe('ASIA1');
    }
    expect(provider).toHaveBeenCalledTimes(1);
  });

  it('never refreshes credentials without an expiration', async () => {
    let now = 0;
    const provider = countingProvider();
    const source = createAwsCredentialSource({ provider, now: () => now });
    await source.get();
    now += 1000 * 24 * 60 * MINUTE;
    await source.get();
    expect(provider).toHaveBeenCalledTimes(1);
  });

  it('refreshes 5 minutes before expiry, asking a memoizing provider to refresh', async () => {
    let now = 0;
    const provider = countingProvider(() => now + 60 * MINUTE);
    const source = createAwsCredentialSource({ provider, now: () => now });
    expect((await source.get()).accessKeyId).toBe('ASIA1');
    now = 54 * MINUTE;
    expect((await source.get()).accessKeyId).toBe('ASIA1');
    now = 55 * MINUTE;
    expect((await source.get()).accessKeyId).toBe('ASIA2');
    expect(provider).toHaveBeenCalledTimes(2);
    expect(provider.mock.calls[1]).toEqual([{ forceRefresh: true }]);
  });

  it('shares one in-flight refresh among concurrent callers', async () => {
    const { promise: refreshed, resolve: release } = Promise.withResolvers<AwsCredentials>();
    const provider = vi.fn(() => refreshed);
    const source = createAwsCredentialSource({ provider });
    const callers = Array.from({ length: 8 }, () => source.get());
    await Promise.resolve();
    release({ accessKeyId: 'AKIDSHARED', secretAccessKey: 'secret' });
    const results = await Promise.all(callers);
    expect(provider).toHaveBeenCalledTimes(1);
    expect(new Set(results.map((credentials) => credentials.accessKeyId))).toEqual(new Set(['AKIDSHARED']));
  });

  it('shares one refresh of expiring credentials among concurrent callers', async () => {
    let now = 0;
    const provider = countingProvider(() => now + 60 * MINUTE);
    const source = createAwsCredentialSource({ provider, now: () => now });
    await source.get();
    now = 58 * MINUTE;
    const results = await Promise.all(Array.from({ length: 5 }, () => source.get()));
    expect(provider).toHaveBeenCalledTimes(2);
    expect(results.every((credentials) => credentials.accessKeyId === 'ASIA2')).toBe(true);
  });

  it('keeps credentials that still work when a refresh fails, and fails once they expired', async () => {
    let now = 0;
    let fail = false;
    const provider = vi.fn(async (): Promise<AwsCredentials> => {
      if (fail) throw new Error('metadata service unreachable');
      return { accessKeyId: 'ASIAOLD', secretAccessKey: 'secret', expiration: new Date(now + 60 * MINUTE) };
    });
    const source = createAwsCredentialSource({ provider, now: () => now });
    await source.get();
    fail = true;
    now = 57 * MINUTE;
    expect((await source.get()).accessKeyId).toBe('ASIAOLD');
    now = 61 * MINUTE;
    await expect(source.get()).rejects.toMatchObject({ code: 'PLATFORM_CREDENTIALS_UNAVAILABLE' });
  });

  it('does not refresh again within the minimum interval when the new credentials are also short-lived', async () => {
    let now = 0;
    const provider = countingProvider(() => now + 2 * MINUTE);
    const source = createAwsCredentialSource({ provider, now: () => now });
    await source.get();
    now += 10_000;
    await source.get();
    expect(provider).toHaveBeenCalledTimes(1);
    now += 30_000;
    await source.get();
    expect(provider).toHaveBeenCalledTimes(2);
  });

  it('fetches again after invalidate()', async () => {
    const provider = countingProvider();
    const source = createAwsCredentialSource({ provider });
    await source.get();
    source.invalidate();
    expect((await source.get()).accessKeyId).toBe('ASIA2');
  });
});

describe('createAwsCredentialSource: sources', () => {
  it('serves static keys with their session token', async () => {
    const source = createAwsCredentialSource({
      accessKeyId: 'AKID',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
    expect(source.description).toBe('static keys');
    expect(await source.get()).toEqual({
      accessKeyId: 'AKID',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
  });

  it('rejects an access key without its secret', () => {
    expect(() => createAwsCredentialSource({ accessKeyId: 'AKID' })).toThrow(/secret access key is missing/);
  });

  it('turns a provider failure into PLATFORM_CREDENTIALS_UNAVAILABLE', async () => {
    const source = createAwsCredentialSource({
      provider: async () => {
        throw new Error('boom');
      },
    });
    const error = await source.get().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'PLATFORM_CREDENTIALS_UNAVAILABLE', platform: 'bedrock' });
    expect((error as GatewayError).message).toContain('boom');
  });

  it('rejects what a provider returns without keys', async () => {
    const source = createAwsCredentialSource({
      provider: async () => ({ accessKeyId: '', secretAccessKey: '' }),
    });
    await expect(source.get()).rejects.toThrow(/no access key id or secret/);
  });
});

describe('createAwsCredentialSource: files and environment', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'aws-credentials-'));
    writeFileSync(join(directory, 'config'), '[profile dev]\nregion = eu-west-1\n');
    writeFileSync(
      join(directory, 'credentials'),
      '[dev]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = file-secret\n',
    );
    vi.stubEnv('AWS_CONFIG_FILE', join(directory, 'config'));
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(directory, 'credentials'));
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    for (const name of [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_PROFILE',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    ]) {
      vi.stubEnv(name, undefined);
    }
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(directory, { recursive: true, force: true });
  });

  it('reads a named profile', async () => {
    const source = createAwsCredentialSource({ profile: 'dev' });
    expect(source.description).toBe('profile dev');
    expect((await source.get()).accessKeyId).toBe('AKIDFROMFILE');
  });

  it('says how to fix a profile that does not exist', async () => {
    const source = createAwsCredentialSource({ profile: 'missing' });
    const error = (await source.get().catch((caught: unknown) => caught)) as GatewayError;
    expect(error.code).toBe('PLATFORM_CREDENTIALS_UNAVAILABLE');
    expect(error.message).toContain('profile "missing"');
    expect(error.message).toContain('aws configure --profile missing');
    expect(error.message).toContain('aws sso login --profile missing');
  });

  it('lets environment keys win over AWS_PROFILE in the default chain', async () => {
    vi.stubEnv('AWS_PROFILE', 'dev');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDFROMENV');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'env-secret');
    const source = createAwsCredentialSource();
    expect(source.description).toBe('default chain (AWS_PROFILE=dev)');
    expect((await source.get()).accessKeyId).toBe('AKIDFROMENV');
  });

  it('uses AWS_PROFILE in the default chain when no keys are in the environment', async () => {
    vi.stubEnv('AWS_PROFILE', 'dev');
    expect((await createAwsCredentialSource().get()).accessKeyId).toBe('AKIDFROMFILE');
  });

  it('says what to do when the default chain finds nothing', async () => {
    writeFileSync(join(directory, 'credentials'), '');
    const error = (await createAwsCredentialSource()
      .get()
      .catch((caught: unknown) => caught)) as GatewayError;
    expect(error.code).toBe('PLATFORM_CREDENTIALS_UNAVAILABLE');
    expect(error.message).toContain('aws configure');
    expect(error.message).toContain('AWS_PROFILE');
    expect(error.message).toContain('AWS_BEARER_TOKEN_BEDROCK');
  });
});

describe('awsCredentialsError', () => {
  it('points an expired SSO session at aws sso login for its profile', () => {
    const error = awsCredentialsError(
      { kind: 'profile', profile: 'dev' },
      new Error('The SSO session associated with this profile has expired or is otherwise invalid.'),
    );
    expect(error.message).toContain('Run `aws sso login --profile dev`');
  });

  it('names AWS_PROFILE when the default chain used it', () => {
    const error = awsCredentialsError(
      { kind: 'default-chain', environmentProfile: 'work' },
      new Error('Could not load credentials from any providers'),
    );
    expect(error.message).toContain('AWS_PROFILE is "work"');
  });
});
