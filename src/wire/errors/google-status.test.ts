import { describe, expect, it } from 'vitest';
import { GOOGLE_STATUS_CODES, googleStatusNameForHttpStatus, isGoogleStatusName } from './google-status.js';

describe('google.rpc.Code names', () => {
  it('answer with the HTTP status Google maps them to', () => {
    expect(GOOGLE_STATUS_CODES).toMatchObject({
      INVALID_ARGUMENT: 400,
      FAILED_PRECONDITION: 400,
      UNAUTHENTICATED: 401,
      PERMISSION_DENIED: 403,
      NOT_FOUND: 404,
      ABORTED: 409,
      RESOURCE_EXHAUSTED: 429,
      CANCELLED: 499,
      INTERNAL: 500,
      UNAVAILABLE: 503,
      DEADLINE_EXCEEDED: 504,
    });
    expect(Object.keys(GOOGLE_STATUS_CODES)).toHaveLength(16);
  });

  it('are read back from a bare status', () => {
    expect(googleStatusNameForHttpStatus(429)).toBe('RESOURCE_EXHAUSTED');
    expect(googleStatusNameForHttpStatus(503)).toBe('UNAVAILABLE');
    expect(googleStatusNameForHttpStatus(418)).toBe('INVALID_ARGUMENT');
    expect(googleStatusNameForHttpStatus(502)).toBe('INTERNAL');
  });

  it('are recognised by name only', () => {
    expect(isGoogleStatusName('UNAVAILABLE')).toBe(true);
    expect(isGoogleStatusName('unavailable')).toBe(false);
  });
});
