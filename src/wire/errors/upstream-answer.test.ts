import { describe, expect, it } from 'vitest';
import { parseAnthropicError } from './anthropic.js';
import { parseBedrockError } from './bedrock.js';
import { GatewayError } from './gateway-error.js';
import { parseVertexError } from './google.js';
import { gatewayAddition, upstreamAnswerOf } from './upstream-answer.js';

describe('the upstream answer kept with a parsed error', () => {
  it('keeps status, error headers and the body as sent, in each dialect', () => {
    const anthropicBody = '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}';
    const anthropic = upstreamAnswerOf(
      parseAnthropicError(529, new Headers({ 'x-should-retry': 'true', 'x-other': 'no' }), anthropicBody),
    );
    expect(anthropic).toMatchObject({
      dialect: 'anthropic',
      status: 529,
      body: anthropicBody,
      message: 'Overloaded',
    });
    expect(anthropic?.headers).toEqual({ 'x-should-retry': 'true' });
    const bedrock = upstreamAnswerOf(
      parseBedrockError(429, { 'X-Amzn-ErrorType': 'ThrottlingException:x' }, '{"message":"Slow down"}'),
    );
    expect(bedrock).toMatchObject({
      dialect: 'bedrock',
      headers: { 'x-amzn-errortype': 'ThrottlingException:x' },
    });
    const vertexBody = '[{"error":{"code":429,"message":"Quota","status":"RESOURCE_EXHAUSTED"}}]';
    expect(upstreamAnswerOf(parseVertexError(429, {}, vertexBody))?.body).toBe(vertexBody);
  });

  it('keeps nothing without an HTTP answer (an error event inside a stream)', () => {
    expect(
      upstreamAnswerOf(parseAnthropicError(529, undefined, '{"error":{"type":"overloaded_error"}}')),
    ).toBe(undefined);
  });

  it('is found through errors made from it', () => {
    const parsed = parseBedrockError(403, {}, '{"message":"No"}');
    const hinted = new GatewayError({ message: 'No. Do this.', status: 403, cause: parsed });
    expect(upstreamAnswerOf(hinted)?.body).toBe('{"message":"No"}');
  });
});

describe('gatewayAddition', () => {
  it.each([
    ['same', 'same', undefined],
    ['model: x (not in the catalog)', 'model: x', 'not in the catalog'],
    ['No access. Request model access.', 'No access', 'Request model access.'],
    ['Permission denied (a) (b)', 'Permission denied', '(a) (b)'],
    ['Something else', 'Original', 'Something else'],
  ])('%s over %s', (message, upstream, addition) => {
    expect(gatewayAddition(message, upstream)).toBe(addition);
  });
});
