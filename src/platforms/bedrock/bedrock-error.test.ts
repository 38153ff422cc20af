import { describe, expect, it } from 'vitest';
import { bedrockHttpError } from './bedrock-error.js';

const NAMESPACE = 'http://internal.amazon.com/coral/com.amazon.bedrock/';

function answer(name: string, status: number, message: string, extra: Record<string, string> = {}) {
  return bedrockHttpError(
    status,
    new Headers({ 'x-amzn-errortype': `${name}:${NAMESPACE}`, 'x-amzn-requestid': 'req-1', ...extra }),
    JSON.stringify({ message }),
    'eu-west-1',
  );
}

describe('bedrockHttpError', () => {
  it.each([
    ['ValidationException', 400, 'invalid_request_error', false],
    ['ServiceQuotaExceededException', 400, 'rate_limit_error', false],
    ['ResourceNotFoundException', 404, 'not_found_error', false],
    ['ModelTimeoutException', 408, 'timeout_error', true],
    ['ModelErrorException', 424, 'api_error', false],
    ['ThrottlingException', 429, 'rate_limit_error', true],
    ['ModelNotReadyException', 429, 'overloaded_error', true],
    ['InternalServerException', 500, 'api_error', true],
    ['ServiceUnavailableException', 503, 'overloaded_error', true],
  ])('reads %s (%i) as %s, keeping the message', (name, status, type, retryable) => {
    const error = answer(name, status, `AWS message for ${name}`);
    expect(error).toMatchObject({
      status,
      type,
      retryable,
      platform: 'bedrock',
      upstreamCode: name,
      requestId: 'req-1',
    });
    expect(error.message).toBe(`AWS message for ${name}`);
  });

  it('adds the model access hint, naming the region, to AccessDeniedException', () => {
    const error = answer(
      'AccessDeniedException',
      403,
      "You don't have access to the model with the specified model ID.",
    );
    expect(error.type).toBe('permission_error');
    expect(error.message).toMatch(
      /^You don't have access to the model with the specified model ID\. Request model access in the Bedrock console for eu-west-1/,
    );
  });

  it('reads credential failures as authentication errors with a hint', () => {
    const expired = answer(
      'ExpiredTokenException',
      403,
      'The security token included in the request is expired',
    );
    expect(expired.type).toBe('authentication_error');
    expect(expired.message).toContain(
      'The security token included in the request is expired. The AWS credentials have expired',
    );
    const signature = answer(
      'InvalidSignatureException',
      403,
      'The request signature we calculated does not match',
    );
    expect(signature.message).toContain('aws sts get-caller-identity');
  });

  it('tells a gateway on a Bedrock API key to check that key, not its AWS credentials', () => {
    const error = bedrockHttpError(
      403,
      new Headers({ 'x-amzn-errortype': `UnrecognizedClientException:${NAMESPACE}` }),
      JSON.stringify({ message: 'The security token included in the request is invalid.' }),
      'eu-west-1',
      'api-key',
    );
    expect(error.type).toBe('authentication_error');
    expect(error.message).toMatch(/Check the Bedrock API key the gateway uses .*AWS_BEARER_TOKEN_BEDROCK/);
    expect(error.message).toMatch(/generate a new one in the Bedrock console/);
    expect(error.message).not.toContain('get-caller-identity');
  });

  it('keeps retry-after', () => {
    expect(
      answer('ThrottlingException', 429, 'Too many requests', { 'retry-after': '7' }).retryAfterSeconds,
    ).toBe(7);
  });

  it('keeps a body that is not JSON as the message', () => {
    const error = bedrockHttpError(502, new Headers(), 'Bad Gateway from a proxy', 'us-east-1');
    expect(error.status).toBe(502);
    expect(error.message).toContain('Bad Gateway from a proxy');
  });
});
