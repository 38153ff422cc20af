import { describe, expect, it } from 'vitest';
import { parseAnthropicError, renderAnthropicError } from './anthropic.js';
import { GatewayError } from './gateway-error.js';

describe('renderAnthropicError', () => {
  it('writes the documented body and headers', () => {
    const error = GatewayError.fromCode(
      'RATE_LIMITED',
      { limit: '10/min', retryAfter: '6 seconds' },
      { retryAfterSeconds: 5.5 },
    );
    const rendered = renderAnthropicError(error, { requestId: 'req_011CS' });
    expect(rendered.status).toBe(429);
    expect(rendered.headers).toEqual({
      'content-type': 'application/json',
      'x-should-retry': 'true',
      'request-id': 'req_011CS',
      'retry-after': '6',
    });
    expect(JSON.parse(rendered.body)).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: error.message },
      request_id: 'req_011CS',
    });
  });

  it("reports the error's own request id, and none when there is none", () => {
    const withId = renderAnthropicError(GatewayError.fromAnthropic({ status: 500, requestId: 'req_up' }));
    expect(withId.headers['request-id']).toBe('req_up');
    const withoutId = renderAnthropicError(GatewayError.fromCode('MISSING_MODEL'));
    expect(withoutId.headers['request-id']).toBeUndefined();
    expect(withoutId.headers['retry-after']).toBeUndefined();
    expect(JSON.parse(withoutId.body)).not.toHaveProperty('request_id');
  });

  it('tells the SDK not to retry what is not retryable', () => {
    expect(renderAnthropicError(GatewayError.fromCode('INVALID_API_KEY')).headers['x-should-retry']).toBe(
      'false',
    );
    const quota = GatewayError.fromBedrock({
      name: 'ServiceQuotaExceededException',
      message: 'Too many tokens per day',
    });
    expect(renderAnthropicError(quota)).toMatchObject({
      status: 429,
      headers: { 'x-should-retry': 'false' },
    });
  });
});

describe('parseAnthropicError', () => {
  const overloaded =
    '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}';

  it('reads the documented shape', () => {
    const error = parseAnthropicError(529, { 'request-id': 'req_header' }, overloaded);
    expect(error).toMatchObject({
      status: 529,
      type: 'overloaded_error',
      message: 'Overloaded',
      platform: 'anthropic',
      requestId: 'req_1',
      retryable: true,
    });
    expect(error.upstreamCode).toBeUndefined();
  });

  it('takes the platform that spoke the dialect', () => {
    expect(parseAnthropicError(529, {}, overloaded, { platform: 'foundry' }).platform).toBe('foundry');
  });

  it('reads request-id, retry-after and x-should-retry from the headers', () => {
    const headers = new Headers({ 'request-id': 'req_h', 'retry-after': '12', 'x-should-retry': 'false' });
    const error = parseAnthropicError(
      429,
      headers,
      '{"type":"error","error":{"type":"rate_limit_error","message":"m"}}',
    );
    expect(error).toMatchObject({ requestId: 'req_h', retryAfterSeconds: 12, retryable: false });
  });

  it('keeps a body that is not JSON as the message, and reads the type from the status', () => {
    const error = parseAnthropicError(502, {}, '<html><body>502 Bad Gateway</body></html>\n');
    expect(error).toMatchObject({
      status: 502,
      type: 'api_error',
      message: '<html><body>502 Bad Gateway</body></html>',
      retryable: true,
    });
  });

  it('says so when there is no message at all', () => {
    expect(parseAnthropicError(503, {}, '').message).toBe(
      'The Anthropic API answered HTTP 503 without an error message.',
    );
    expect(parseAnthropicError(400, {}, '{"type":"error","error":{}}').message).toContain(
      'without an error message',
    );
  });

  it('tolerates missing and odd fields', () => {
    expect(parseAnthropicError(404, {}, '{"error":{"message":"no such model"}}')).toMatchObject({
      type: 'not_found_error',
      message: 'no such model',
    });
    expect(parseAnthropicError(401, {}, '{"message":"Unauthorized"}')).toMatchObject({
      type: 'authentication_error',
      message: 'Unauthorized',
    });
    expect(
      parseAnthropicError(400, {}, '{"error":{"type":"invalid_request_error","message":{"detail":"x"}}}'),
    ).toMatchObject({
      message: '{"detail":"x"}',
    });
    expect(parseAnthropicError(400, {}, '"just a string"').message).toBe('"just a string"');
  });

  it("reads Azure's front-end shape, as Foundry may answer before the model", () => {
    const body =
      '{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint."}}';
    expect(parseAnthropicError(401, {}, body, { platform: 'foundry' })).toMatchObject({
      status: 401,
      type: 'authentication_error',
      platform: 'foundry',
      message: 'Access denied due to invalid subscription key or wrong API endpoint.',
    });
  });

  it('keeps a type it does not know, with its status', () => {
    const error = parseAnthropicError(
      418,
      {},
      '{"type":"error","error":{"type":"teapot_error","message":"short"}}',
    );
    const rendered = renderAnthropicError(error);
    expect(rendered.status).toBe(418);
    expect(JSON.parse(rendered.body).error).toEqual({ type: 'teapot_error', message: 'short' });
  });
});
