import { describe, expect, it } from 'vitest';
import {
  ANTHROPIC_ERROR_STATUS,
  anthropicErrorTypeForStatus,
  isKnownAnthropicErrorType,
  statusForAnthropicErrorType,
} from './types.js';

describe('Anthropic error types', () => {
  it('answer with the documented status', () => {
    expect(ANTHROPIC_ERROR_STATUS).toEqual({
      invalid_request_error: 400,
      authentication_error: 401,
      billing_error: 402,
      permission_error: 403,
      not_found_error: 404,
      request_too_large: 413,
      rate_limit_error: 429,
      api_error: 500,
      timeout_error: 504,
      overloaded_error: 529,
    });
  });

  it('read back from every documented status', () => {
    for (const [type, status] of Object.entries(ANTHROPIC_ERROR_STATUS)) {
      expect(anthropicErrorTypeForStatus(status)).toBe(type);
    }
  });

  it('read a bare status by its class when it is not documented', () => {
    expect(anthropicErrorTypeForStatus(408)).toBe('timeout_error');
    expect(anthropicErrorTypeForStatus(422)).toBe('invalid_request_error');
    expect(anthropicErrorTypeForStatus(503)).toBe('overloaded_error');
    expect(anthropicErrorTypeForStatus(502)).toBe('api_error');
    expect(anthropicErrorTypeForStatus(200)).toBe('api_error');
  });

  it('keep unknown types possible, with a fallback status', () => {
    expect(isKnownAnthropicErrorType('rate_limit_error')).toBe(true);
    expect(isKnownAnthropicErrorType('teapot_error')).toBe(false);
    expect(isKnownAnthropicErrorType('toString')).toBe(false);
    expect(statusForAnthropicErrorType('teapot_error')).toBe(500);
    expect(statusForAnthropicErrorType('teapot_error', 418)).toBe(418);
    expect(statusForAnthropicErrorType('overloaded_error', 418)).toBe(529);
  });
});
