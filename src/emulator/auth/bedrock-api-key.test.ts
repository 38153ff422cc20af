import { describe, expect, it } from 'vitest';
import { awsJsonAuthErrorResponse } from './aws-auth-failure.js';
import { awsCredentialLookup } from './aws-credentials.js';
import { isBearerAuthorization, verifyBedrockApiKey } from './bedrock-api-key.js';
import { verifyBedrockRequest } from './bedrock-auth.js';

describe('verifyBedrockApiKey', () => {
  it('accepts a known key', () => {
    expect(verifyBedrockApiKey('Bearer emulator-bedrock-key', ['emulator-bedrock-key'])).toEqual({
      ok: true,
      apiKey: 'emulator-bedrock-key',
    });
  });

  it('answers an unknown key with UnrecognizedClientException', () => {
    expect(verifyBedrockApiKey('Bearer other', ['emulator-bedrock-key'])).toEqual({
      ok: false,
      status: 403,
      errorType: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
  });

  it('answers no bearer token with MissingAuthenticationTokenException', () => {
    expect(verifyBedrockApiKey(undefined, ['k'])).toMatchObject({
      errorType: 'MissingAuthenticationTokenException',
    });
    expect(verifyBedrockApiKey('Basic abc', ['k'])).toMatchObject({
      errorType: 'MissingAuthenticationTokenException',
    });
  });

  it('tells bearer tokens from signatures', () => {
    expect([
      isBearerAuthorization('bearer x'),
      isBearerAuthorization('AWS4-HMAC-SHA256 Credential=x'),
    ]).toEqual([true, false]);
  });
});

describe('verifyBedrockRequest', () => {
  const options = { lookupCredential: awsCredentialLookup([]), apiKeys: ['emulator-bedrock-key'] };
  const request = { method: 'POST', path: '/model/m/invoke', query: '', body: '{}' };

  it('takes a bearer token as a Bedrock API key', async () => {
    const caller = await verifyBedrockRequest(
      { ...request, headers: { authorization: 'Bearer emulator-bedrock-key' } },
      options,
    );
    expect(caller).toEqual({ ok: true, method: 'api-key', apiKey: 'emulator-bedrock-key' });
  });

  it('answers an unsigned request the way Bedrock does', async () => {
    const caller = await verifyBedrockRequest({ ...request, headers: {} }, options);
    expect(caller.ok).toBe(false);
    if (caller.ok) return;
    const response = awsJsonAuthErrorResponse(caller, 'request-id');
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe(
      'MissingAuthenticationTokenException:http://internal.amazon.com/coral/com.amazon.coral.service/',
    );
    expect(response.headers.get('x-amzn-requestid')).toBe('request-id');
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
  });
});
