import { describe, expect, it } from 'vitest';
import { resolveBedrockApiKey, withBedrockApiKey } from './bedrock-api-key.js';

describe('resolveBedrockApiKey', () => {
  it('prefers the key given, then AWS_BEARER_TOKEN_BEDROCK', () => {
    expect(resolveBedrockApiKey('given', { AWS_BEARER_TOKEN_BEDROCK: 'env' })).toBe('given');
    expect(resolveBedrockApiKey(undefined, { AWS_BEARER_TOKEN_BEDROCK: ' env ' })).toBe('env');
    expect(resolveBedrockApiKey(undefined, { AWS_BEARER_TOKEN_BEDROCK: '  ' })).toBeUndefined();
  });

  it('ignores the environment when told null', () => {
    expect(resolveBedrockApiKey(null, { AWS_BEARER_TOKEN_BEDROCK: 'env' })).toBeUndefined();
  });
});

describe('withBedrockApiKey', () => {
  it('sets the bearer and drops SigV4 headers', () => {
    const request = withBedrockApiKey(
      {
        method: 'POST',
        url: 'https://bedrock-runtime.us-east-1.amazonaws.com/model/m/invoke',
        headers: {
          Authorization: 'AWS4-HMAC-SHA256 …',
          'X-Amz-Date': '20250101T000000Z',
          'content-type': 'application/json',
        },
      },
      'bedrock-api-key-abc',
    );
    expect(request.headers).toEqual({
      authorization: 'Bearer bedrock-api-key-abc',
      'content-type': 'application/json',
    });
  });
});
