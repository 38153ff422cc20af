import { describe, expect, it, vi } from 'vitest';
import type { UpstreamRequest } from '../types.js';
import { createAwsAuthorizer, toAwsCredentialSource } from './aws-authorizer.js';

const request: UpstreamRequest = {
  method: 'POST',
  url: 'https://example.test/model/m/invoke',
  headers: {},
  body: '{}',
};

describe('createAwsAuthorizer', () => {
  it('sends a Bedrock API key as Bearer to Bedrock, and still signs STS', async () => {
    const authorizer = createAwsAuthorizer({
      apiKey: 'bedrock-key',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    });
    expect(authorizer.mode).toBe('api-key');
    expect(authorizer.credentials).toBeUndefined();
    const bedrock = await authorizer.authorize(request, { service: 'bedrock', region: 'us-east-1' });
    expect(bedrock.headers['authorization']).toBe('Bearer bedrock-key');
    const sts = await authorizer.authorize(request, { service: 'sts', region: 'us-east-1' });
    expect(sts.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKID\//);
  });

  it('takes the key from AWS_BEARER_TOKEN_BEDROCK', async () => {
    const authorizer = createAwsAuthorizer({ env: { AWS_BEARER_TOKEN_BEDROCK: 'from-env' } });
    const authorized = await authorizer.authorize(request, { service: 'bedrock', region: 'us-east-1' });
    expect(authorized.headers['authorization']).toBe('Bearer from-env');
    expect(authorizer.description).toBe('Bedrock API key');
  });

  it('signs with SigV4 from a shared, cached source', async () => {
    const provider = vi.fn(async () => ({ accessKeyId: 'AKIDCACHED', secretAccessKey: 'secret' }));
    const authorizer = createAwsAuthorizer({ apiKey: null, credentials: { provider } });
    expect(authorizer.mode).toBe('sigv4');
    for (const region of ['us-east-1', 'eu-west-1', 'ap-northeast-1']) {
      const signed = await authorizer.authorize(request, { service: 'bedrock', region });
      expect(signed.headers['authorization']).toContain(`/${region}/bedrock/aws4_request`);
    }
    expect(provider).toHaveBeenCalledTimes(1);
  });
});

describe('toAwsCredentialSource', () => {
  it('wraps fixed credentials, with or without expiration', async () => {
    expect(await toAwsCredentialSource({ accessKeyId: 'A', secretAccessKey: 'S' }).get()).toEqual({
      accessKeyId: 'A',
      secretAccessKey: 'S',
    });
    const expiration = new Date(Date.now() + 3_600_000);
    expect(
      (await toAwsCredentialSource({ accessKeyId: 'A', secretAccessKey: 'S', expiration }).get()).expiration,
    ).toBe(expiration);
  });

  it('returns a source as given', () => {
    const source = toAwsCredentialSource({
      provider: async () => ({ accessKeyId: 'A', secretAccessKey: 'S' }),
    });
    expect(toAwsCredentialSource(source)).toBe(source);
  });
});
