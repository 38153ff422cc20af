import { describe, expect, it } from 'vitest';
import { GatewayError } from './gateway-error.js';
import { googleStatusNameFor, parseVertexError, renderVertexError } from './google.js';

const BETA_MESSAGE = 'Unexpected value(s) `web-search-2025-03-05` for the `anthropic-beta` header.';

describe('renderVertexError', () => {
  it('answers quota errors as google.rpc.Status', () => {
    const error = GatewayError.fromBedrock({ name: 'ThrottlingException', message: 'Slow down' });
    expect(renderVertexError(error)).toEqual({
      status: 429,
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      body: '{"error":{"code":429,"message":"Slow down","status":"RESOURCE_EXHAUSTED"}}',
    });
  });

  it('wraps the status in an array when asked', () => {
    const error = GatewayError.fromCode('INVALID_API_KEY');
    const rendered = renderVertexError(error, { arrayWrapped: true });
    expect(JSON.parse(rendered.body)).toEqual([
      { error: { code: 401, message: error.message, status: 'UNAUTHENTICATED' } },
    ]);
  });

  it('answers model errors in the Anthropic shape, with the request id', () => {
    const error = GatewayError.fromAnthropic({
      status: 400,
      type: 'invalid_request_error',
      message: BETA_MESSAGE,
    });
    const rendered = renderVertexError(error, { requestId: 'req_v' });
    expect(rendered.status).toBe(400);
    expect(rendered.headers['request-id']).toBe('req_v');
    expect(JSON.parse(rendered.body)).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: BETA_MESSAGE },
      request_id: 'req_v',
    });
  });

  it('tells when to retry in a RetryInfo detail', () => {
    const error = GatewayError.fromBedrock({
      name: 'ThrottlingException',
      message: 'm',
      retryAfterSeconds: 2.5,
    });
    expect(JSON.parse(renderVertexError(error).body).error.details).toEqual([
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3s' },
    ]);
  });

  it('keeps the shape and code of what Vertex itself said', () => {
    const rpc = parseVertexError(409, {}, '{"error":{"code":409,"message":"aborted","status":"ABORTED"}}');
    expect(googleStatusNameFor(rpc)).toBe('ABORTED');
    expect(JSON.parse(renderVertexError(rpc).body)).toEqual({
      error: { code: 409, message: 'aborted', status: 'ABORTED' },
    });
    const anthropicShaped = parseVertexError(
      429,
      {},
      '{"type":"error","error":{"type":"rate_limit_error","message":"model says slow down"}}',
    );
    expect(googleStatusNameFor(anthropicShaped)).toBeUndefined();
    expect(renderVertexError(anthropicShaped)).toMatchObject({ status: 429 });
    expect(JSON.parse(renderVertexError(anthropicShaped).body).error.type).toBe('rate_limit_error');
  });
});

describe('parseVertexError', () => {
  it('reads google.rpc.Status inside an array', () => {
    const body =
      '[{"error":{"code":429,"message":"Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model with base model: anthropic-claude-sonnet-4-5.","status":"RESOURCE_EXHAUSTED"}}]';
    expect(parseVertexError(429, {}, body)).toMatchObject({
      status: 429,
      type: 'rate_limit_error',
      platform: 'vertex',
      upstreamCode: 'RESOURCE_EXHAUSTED',
      message:
        'Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model with base model: anthropic-claude-sonnet-4-5.',
      retryable: true,
    });
  });

  it('reads google.rpc.Status without the array', () => {
    const body =
      '{"error":{"code":403,"message":"Permission denied on resource project p.","status":"PERMISSION_DENIED"}}';
    expect(parseVertexError(403, {}, body)).toMatchObject({
      type: 'permission_error',
      upstreamCode: 'PERMISSION_DENIED',
    });
  });

  it('reads the Anthropic shape, inside an array too', () => {
    const body = JSON.stringify({
      type: 'error',
      error: { type: 'invalid_request_error', message: BETA_MESSAGE },
    });
    for (const text of [body, `[${body}]`]) {
      const error = parseVertexError(400, { 'request-id': 'req_x' }, text);
      expect(error).toMatchObject({
        type: 'invalid_request_error',
        message: BETA_MESSAGE,
        platform: 'vertex',
        requestId: 'req_x',
      });
      expect(error.upstreamCode).toBeUndefined();
    }
  });

  it('reads the Anthropic overloaded error as Vertex sends it', () => {
    const error = parseVertexError(
      529,
      {},
      '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
    );
    expect(error).toMatchObject({ status: 529, type: 'overloaded_error', retryable: true });
  });

  it('derives a missing status name from the code', () => {
    expect(
      parseVertexError(404, {}, '{"error":{"code":404,"message":"Publisher Model was not found."}}'),
    ).toMatchObject({
      upstreamCode: 'NOT_FOUND',
      type: 'not_found_error',
      message: 'Publisher Model was not found.',
    });
  });

  it('takes the code from the body when the HTTP status is not an error', () => {
    expect(
      parseVertexError(200, {}, '{"error":{"code":503,"message":"m","status":"UNAVAILABLE"}}'),
    ).toMatchObject({
      status: 503,
      type: 'overloaded_error',
    });
  });

  it('keeps a body that is not JSON, as Google front end errors come', () => {
    const error = parseVertexError(404, {}, '<!DOCTYPE html><title>Error 404 (Not Found)!!1</title>');
    expect(error).toMatchObject({
      status: 404,
      type: 'not_found_error',
      upstreamCode: 'NOT_FOUND',
      message: '<!DOCTYPE html><title>Error 404 (Not Found)!!1</title>',
    });
  });

  it('tolerates missing fields and other JSON', () => {
    expect(parseVertexError(500, {}, '{"error":{}}').message).toBe(
      'Vertex AI answered HTTP 500 without an error message.',
    );
    expect(parseVertexError(502, {}, '{"message":"upstream connect error"}')).toMatchObject({
      message: 'upstream connect error',
      type: 'api_error',
    });
    expect(parseVertexError(503, {}, '').message).toBe(
      'Vertex AI answered HTTP 503 without an error message.',
    );
    expect(parseVertexError(400, {}, '[]').upstreamCode).toBe('INVALID_ARGUMENT');
  });

  it('reads the delay from RetryInfo, else from retry-after', () => {
    const body = JSON.stringify({
      error: {
        code: 429,
        message: 'm',
        status: 'RESOURCE_EXHAUSTED',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RATE_LIMIT_EXCEEDED' },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' },
        ],
      },
    });
    expect(parseVertexError(429, { 'retry-after': '9' }, body).retryAfterSeconds).toBe(1.5);
    expect(
      parseVertexError(429, { 'retry-after': '9' }, '{"error":{"code":429,"message":"m"}}').retryAfterSeconds,
    ).toBe(9);
  });
});
