import { describe, expect, it } from 'vitest';
import { closestModelName } from '../catalog/closest-name.js';
import { resolveModel } from '../catalog/resolve.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { explainUnknownModel } from './unknown-model.js';

const bedrockInvalid = () =>
  GatewayError.fromBedrock({
    status: 400,
    name: 'ValidationException',
    message: 'The provided model identifier is invalid.',
  });

describe('closestModelName', () => {
  it('finds the name a slip or a missing claude- prefix was meant to be', () => {
    expect(closestModelName('opus-4-1')).toBe('claude-opus-4-1');
    expect(closestModelName('claude-sonet-4-5')).toBe('claude-sonnet-4-5');
    expect(closestModelName('claude-haiku-4.5')).toBe('claude-haiku-4-5');
  });

  it('offers nothing for a name far from every known one', () => {
    expect(closestModelName('gpt-4o')).toBeUndefined();
    expect(closestModelName('claude-opus-9')).toBeUndefined();
  });
});

describe('explainUnknownModel', () => {
  it('adds to a no-such-model answer for a name the catalog does not know, keeping the platform words first', () => {
    const explained = explainUnknownModel(bedrockInvalid(), resolveModel('opus-4-1'));
    expect(explained.message).toBe(
      'The provided model identifier is invalid. ("opus-4-1" is not in claude-gateway\'s model catalog, so it was sent as given; did you mean "claude-opus-4-1"?)',
    );
    expect(explained).toMatchObject({ status: 400, type: 'invalid_request_error', platform: 'bedrock' });
    expect(explained.upstreamCode).toBe('ValidationException');
  });

  it('points at the model list when nothing is close, for a Vertex 404 too', () => {
    const notFound = GatewayError.fromGoogle({
      code: 404,
      status: 'NOT_FOUND',
      message:
        'Publisher Model `projects/p/locations/global/publishers/anthropic/models/gpt-4o` was not found.',
    });
    const explained = explainUnknownModel(notFound, resolveModel('gpt-4o'));
    expect(explained.message).toMatch(/was not found\. \("gpt-4o" is not in .*`claude-gateway models` lists/);
    expect(explained.status).toBe(404);
  });

  it('leaves known models and other errors alone', () => {
    const known = bedrockInvalid();
    expect(explainUnknownModel(known, resolveModel('claude-opus-4-1'))).toBe(known);
    const other = GatewayError.fromAnthropic({
      status: 400,
      type: 'invalid_request_error',
      message: 'messages: at least one message is required',
    });
    expect(explainUnknownModel(other, resolveModel('claude-opus-4-6'))).toBe(other);
    const throttled = GatewayError.fromAnthropic({
      status: 429,
      type: 'rate_limit_error',
      message: 'model busy',
    });
    expect(explainUnknownModel(throttled, resolveModel('opus-4-1'))).toBe(throttled);
  });
});
