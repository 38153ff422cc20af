import { describe, expect, it } from 'vitest';
import { anthropicAuthErrorResponse, verifyAnthropicApiKey } from './anthropic-api-key.js';

const accepted = ['sk-ant-emulator'];

describe('verifyAnthropicApiKey', () => {
  it('accepts the key as x-api-key or as a bearer token', () => {
    expect(verifyAnthropicApiKey({ 'x-api-key': 'sk-ant-emulator' }, accepted).ok).toBe(true);
    expect(verifyAnthropicApiKey(new Headers({ authorization: 'Bearer sk-ant-emulator' }), accepted).ok).toBe(
      true,
    );
  });

  it('answers a missing or wrong key with 401 authentication_error', async () => {
    expect(verifyAnthropicApiKey({}, accepted)).toMatchObject({
      status: 401,
      message: 'x-api-key header is required',
    });
    const failure = verifyAnthropicApiKey({ 'x-api-key': 'sk-ant-other' }, accepted);
    expect(failure).toMatchObject({ message: 'invalid x-api-key' });
    if (failure.ok) return;
    const response = anthropicAuthErrorResponse(failure, 'req_1');
    expect(response.headers.get('request-id')).toBe('req_1');
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'invalid x-api-key' },
      request_id: 'req_1',
    });
  });
});
