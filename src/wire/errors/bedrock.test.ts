import { describe, expect, it } from 'vitest';
import {
  bedrockExceptionNameFor,
  bedrockExceptionTypeFor,
  errorFromBedrockException,
  parseBedrockError,
  renderBedrockError,
  renderBedrockStreamException,
} from './bedrock.js';
import { GatewayError } from './gateway-error.js';

const SERVICE = 'http://internal.amazon.com/coral/com.amazon.bedrock/';
const FRONT_END = 'http://internal.amazon.com/coral/com.amazon.coral.service/';

describe('renderBedrockError', () => {
  it('writes the exception in x-amzn-errortype and the message in the body', () => {
    const error = GatewayError.fromBedrock({
      name: 'ThrottlingException',
      message: 'Too many tokens',
      requestId: 'r-1',
    });
    expect(renderBedrockError(error)).toEqual({
      status: 429,
      headers: {
        'content-type': 'application/json',
        'x-amzn-errortype': `ThrottlingException:${SERVICE}`,
        'x-amzn-requestid': 'r-1',
      },
      body: '{"message":"Too many tokens"}',
    });
  });

  it("names AWS's front end for credential errors", () => {
    const rendered = renderBedrockError(GatewayError.fromBedrock({ name: 'InvalidSignatureException' }));
    expect(rendered.status).toBe(403);
    expect(rendered.headers['x-amzn-errortype']).toBe(`InvalidSignatureException:${FRONT_END}`);
    expect(JSON.parse(rendered.body).message).toBe(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  });

  it('answers a gateway error with the exception of its type', () => {
    const rendered = renderBedrockError(GatewayError.fromCode('MISSING_API_KEY'), { requestId: 'gw-1' });
    expect(rendered.status).toBe(403);
    expect(rendered.headers['x-amzn-errortype']).toBe(`UnrecognizedClientException:${FRONT_END}`);
    expect(rendered.headers['x-amzn-requestid']).toBe('gw-1');
  });

  it('passes through an exception Bedrock sent that this package does not know', () => {
    const error = parseBedrockError(
      400,
      { 'x-amzn-errortype': 'ConflictException:x' },
      '{"message":"conflict"}',
    );
    expect(bedrockExceptionNameFor(error)).toBe('ConflictException');
    expect(renderBedrockError(error)).toMatchObject({
      status: 400,
      headers: { 'x-amzn-errortype': `ConflictException:${SERVICE}` },
    });
  });

  it('sends retry-after when the delay is known', () => {
    const error = GatewayError.fromCode(
      'RATE_LIMITED',
      { limit: '1/s', retryAfter: '1 second' },
      { retryAfterSeconds: 0.4 },
    );
    expect(renderBedrockError(error).headers['retry-after']).toBe('1');
  });
});

describe('parseBedrockError', () => {
  it('reads the header, the message and the request id', () => {
    const error = parseBedrockError(
      400,
      new Headers({
        'X-Amzn-ErrorType': `ValidationException:${SERVICE}`,
        'X-Amzn-RequestId': 'abc',
      }),
      '{"message":"messages.0.content: Field required"}',
    );
    expect(error).toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      message: 'messages.0.content: Field required',
      upstreamCode: 'ValidationException',
      requestId: 'abc',
      platform: 'bedrock',
      retryable: false,
    });
  });

  it('reads a name with a # suffix, as Bedrock API keys errors come', () => {
    const error = parseBedrockError(
      403,
      { 'x-amzn-errortype': `AccessDeniedException:${FRONT_END}#AccessDeniedException` },
      '{"Message":"Invalid API Key format: Must start with pre-defined prefix"}',
    );
    expect(error).toMatchObject({
      upstreamCode: 'AccessDeniedException',
      type: 'permission_error',
      message: 'Invalid API Key format: Must start with pre-defined prefix',
    });
  });

  it('reads the name from __type or code when the header is missing', () => {
    expect(
      parseBedrockError(
        400,
        {},
        '{"__type":"com.amazon.coral.service#UnrecognizedClientException","message":"The security token included in the request is invalid."}',
      ),
    ).toMatchObject({ upstreamCode: 'UnrecognizedClientException', type: 'authentication_error' });
    expect(
      parseBedrockError(429, {}, '{"code":"ThrottlingException","Message":"Rate exceeded"}'),
    ).toMatchObject({
      upstreamCode: 'ThrottlingException',
      message: 'Rate exceeded',
    });
  });

  it('prefers the header to the body, as the AWS SDK does', () => {
    const error = parseBedrockError(
      503,
      { 'x-amzn-errortype': 'ServiceUnavailableException' },
      '{"__type":"InternalServerException","message":"m"}',
    );
    expect(error.upstreamCode).toBe('ServiceUnavailableException');
  });

  it('keeps a body that is not JSON, and reads the type from the status', () => {
    const error = parseBedrockError(502, { 'x-amz-request-id': 'lb-1' }, '<html>502 Bad Gateway</html>');
    expect(error).toMatchObject({
      status: 502,
      type: 'api_error',
      message: '<html>502 Bad Gateway</html>',
      requestId: 'lb-1',
    });
    expect(error.upstreamCode).toBeUndefined();
    expect(renderBedrockError(error).headers['x-amzn-errortype']).toMatch(/^InternalServerException:/);
  });

  it("uses the exception's usual message when there is none", () => {
    expect(parseBedrockError(403, { 'x-amzn-errortype': 'ExpiredTokenException:x' }, '').message).toBe(
      'The security token included in the request is expired',
    );
    expect(parseBedrockError(500, {}, '{}').message).toBe(
      'Amazon Bedrock answered HTTP 500 without an error message.',
    );
  });

  it('reads retry-after', () => {
    expect(parseBedrockError(429, { 'retry-after': '4' }, '{"message":"m"}').retryAfterSeconds).toBe(4);
  });
});

describe('in-stream exceptions', () => {
  it.each([
    ['ThrottlingException', 'throttlingException'],
    ['ServiceQuotaExceededException', 'throttlingException'],
    ['ValidationException', 'validationException'],
    ['AccessDeniedException', 'validationException'],
    ['ModelTimeoutException', 'modelTimeoutException'],
    ['ModelErrorException', 'modelStreamErrorException'],
    ['ModelStreamErrorException', 'modelStreamErrorException'],
    ['InternalServerException', 'internalServerException'],
    ['ServiceUnavailableException', 'serviceUnavailableException'],
    ['ModelNotReadyException', 'serviceUnavailableException'],
    ['UnrecognizedClientException', 'validationException'],
  ])('send %s as %s', (name, exceptionType) => {
    expect(bedrockExceptionTypeFor(GatewayError.fromBedrock({ name }))).toBe(exceptionType);
  });

  it.each([
    ['overloaded_error', 'serviceUnavailableException'],
    ['rate_limit_error', 'throttlingException'],
    ['api_error', 'internalServerException'],
    ['timeout_error', 'modelTimeoutException'],
    ['invalid_request_error', 'validationException'],
  ])('send an Anthropic %s as %s', (type, exceptionType) => {
    expect(bedrockExceptionTypeFor(new GatewayError({ type, message: 'm' }))).toBe(exceptionType);
  });

  it('send an unknown Bedrock exception by its type', () => {
    const conflict = GatewayError.fromBedrock({ name: 'ConflictException', status: 400, message: 'm' });
    expect(bedrockExceptionTypeFor(conflict)).toBe('validationException');
    const future = GatewayError.fromBedrock({ name: 'SomethingNewException', status: 500, message: 'm' });
    expect(bedrockExceptionTypeFor(future)).toBe('internalServerException');
  });

  it('render the frame payload with the message', () => {
    const error = GatewayError.fromCode('UPSTREAM_STREAM_INTERRUPTED', {
      platform: 'Vertex AI',
      reason: 'reset',
    });
    expect(renderBedrockStreamException(error)).toEqual({
      exceptionType: 'internalServerException',
      body: JSON.stringify({ message: error.message }),
    });
  });

  it('read a frame back with the status of the same exception over HTTP', () => {
    expect(errorFromBedrockException('throttlingException', 'Too many tokens')).toMatchObject({
      status: 429,
      type: 'rate_limit_error',
      message: 'Too many tokens',
      upstreamCode: 'ThrottlingException',
      retryable: true,
    });
    expect(errorFromBedrockException('serviceUnavailableException', 'busy')).toMatchObject({
      status: 503,
      type: 'overloaded_error',
    });
    expect(errorFromBedrockException('modelStreamErrorException')).toMatchObject({
      status: 424,
      type: 'api_error',
      message: 'An error occurred while streaming the response. Retry your request.',
    });
  });
});
