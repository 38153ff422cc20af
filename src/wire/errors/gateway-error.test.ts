import { describe, expect, it } from 'vitest';
import { GatewayError, isRetryableStatus } from './gateway-error.js';

describe('isRetryableStatus', () => {
  it.each([408, 409, 429, 500, 502, 503, 504, 529])('retries %i', (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });
  it.each([400, 401, 402, 403, 404, 413, 424, 499])('does not retry %i', (status) => {
    expect(isRetryableStatus(status)).toBe(false);
  });
});

describe('GatewayError', () => {
  it('is an Error with its own name and fields', () => {
    const cause = new Error('socket hang up');
    const error = new GatewayError({
      status: 429,
      message: 'Slow down.',
      platform: 'bedrock',
      upstreamCode: 'ThrottlingException',
      retryAfterSeconds: 3,
      requestId: 'abc',
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('GatewayError');
    expect(error).toMatchObject({
      status: 429,
      type: 'rate_limit_error',
      message: 'Slow down.',
      platform: 'bedrock',
      upstreamCode: 'ThrottlingException',
      retryable: true,
      retryAfterSeconds: 3,
      requestId: 'abc',
    });
    expect(error.cause).toBe(cause);
    expect(error.stack).toContain('Slow down.');
  });

  it('takes the status from the type, the type from the status, and api_error 500 from neither', () => {
    expect(new GatewayError({ type: 'overloaded_error', message: 'x' }).status).toBe(529);
    expect(new GatewayError({ status: 404, message: 'x' }).type).toBe('not_found_error');
    expect(new GatewayError({ message: 'x' })).toMatchObject({
      status: 500,
      type: 'api_error',
      retryable: true,
    });
  });

  it('lets an upstream say explicitly whether to retry', () => {
    expect(new GatewayError({ status: 500, message: 'x', retryable: false }).retryable).toBe(false);
    expect(new GatewayError({ status: 400, message: 'x', retryable: true }).retryable).toBe(true);
  });

  it('serialises for logs', () => {
    const error = GatewayError.fromCode('MISSING_MODEL', {}, { requestId: 'req_1' });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'GatewayError',
      code: 'MISSING_MODEL',
      status: 400,
      type: 'invalid_request_error',
      message: error.message,
      platform: 'gateway',
      retryable: false,
      requestId: 'req_1',
    });
  });
});

describe('GatewayError.fromCode', () => {
  it('takes status, type and message from the table', () => {
    const error = GatewayError.fromCode('NO_ROUTE', { model: 'opus', reason: 'no target in the EU' });
    expect(error).toMatchObject({
      code: 'NO_ROUTE',
      status: 404,
      type: 'not_found_error',
      platform: 'gateway',
      message: 'No platform can serve model "opus": no target in the EU',
    });
  });

  it('needs no parameters for a message without placeholders', () => {
    expect(GatewayError.fromCode('SHUTTING_DOWN')).toMatchObject({ status: 503, retryable: true });
  });

  it('takes extra fields without letting them change the code', () => {
    const error = GatewayError.fromCode(
      'RATE_LIMITED',
      { limit: '10/min', retryAfter: '6 seconds' },
      { retryAfterSeconds: 6 },
    );
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterSeconds: 6 });
    expect(error.message).toContain('10/min');
  });

  it('checks parameters at compile time', () => {
    // @ts-expect-error: NO_ROUTE needs model and reason
    const error = GatewayError.fromCode('NO_ROUTE', { model: 'opus' });
    expect(error.message).toContain('{reason}');
  });
});

describe('GatewayError from each dialect', () => {
  it('fromAnthropic reads a missing type from the status and says when the message is missing', () => {
    const error = GatewayError.fromAnthropic({ status: 413 });
    expect(error).toMatchObject({ type: 'request_too_large', platform: 'anthropic' });
    expect(error.message).toBe('The Anthropic API answered HTTP 413 without an error message.');
    expect(GatewayError.fromAnthropic({ status: 400, platform: 'foundry' }).message).toContain(
      'Microsoft Foundry',
    );
  });

  it('fromAnthropic keeps a type it does not know', () => {
    expect(
      GatewayError.fromAnthropic({ status: 418, type: 'teapot_error', message: 'short and stout' }),
    ).toMatchObject({ status: 418, type: 'teapot_error', message: 'short and stout' });
  });

  it('fromBedrock takes status and message from the exception when not given', () => {
    expect(GatewayError.fromBedrock({ name: 'UnrecognizedClientException' })).toMatchObject({
      status: 403,
      type: 'authentication_error',
      message: 'The security token included in the request is invalid.',
      upstreamCode: 'UnrecognizedClientException',
      retryable: false,
    });
    expect(GatewayError.fromBedrock({ name: 'ModelNotReadyException' })).toMatchObject({
      status: 429,
      type: 'overloaded_error',
      retryable: true,
    });
  });

  it('fromBedrock keeps a name it does not know and reads it by status', () => {
    expect(GatewayError.fromBedrock({ name: 'ConflictException', status: 400, message: 'm' })).toMatchObject({
      upstreamCode: 'ConflictException',
      type: 'invalid_request_error',
      status: 400,
    });
    expect(GatewayError.fromBedrock({})).toMatchObject({ status: 500, type: 'api_error' });
  });

  it('fromGoogle derives the code from the name and the name from the code', () => {
    expect(GatewayError.fromGoogle({ status: 'UNAVAILABLE', message: 'm' })).toMatchObject({
      status: 503,
      type: 'overloaded_error',
      upstreamCode: 'UNAVAILABLE',
      platform: 'vertex',
    });
    expect(GatewayError.fromGoogle({ code: 403, message: 'm' })).toMatchObject({
      upstreamCode: 'PERMISSION_DENIED',
      type: 'permission_error',
    });
  });

  it('from() keeps a GatewayError and wraps anything else', () => {
    const original = GatewayError.fromCode('MISSING_API_KEY');
    expect(GatewayError.from(original)).toBe(original);
    const cause = new TypeError('boom');
    const wrapped = GatewayError.from(cause);
    expect(wrapped).toMatchObject({
      code: 'INTERNAL_ERROR',
      status: 500,
      message: 'Internal gateway error: boom',
    });
    expect(wrapped.cause).toBe(cause);
    expect(GatewayError.from('text').message).toBe('Internal gateway error: text');
  });
});
