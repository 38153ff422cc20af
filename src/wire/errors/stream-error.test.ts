import { describe, expect, it } from 'vitest';
import { errorFromBedrockException } from './bedrock.js';
import { GatewayError } from './gateway-error.js';
import { errorFromStreamErrorEvent, renderStreamError, streamErrorEvent } from './stream-error.js';

describe('streamErrorEvent', () => {
  it('carries the type and the original message', () => {
    const error = errorFromBedrockException('serviceUnavailableException', 'Bedrock is busy.');
    expect(streamErrorEvent(error)).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Bedrock is busy.' },
    });
  });
});

describe('renderStreamError', () => {
  it('writes one SSE event named error', () => {
    const error = GatewayError.fromCode('UPSTREAM_STREAM_INTERRUPTED', {
      platform: 'Amazon Bedrock',
      reason: 'reset',
    });
    const text = renderStreamError(error);
    expect(text).toMatch(/^event: error\ndata: \{.*\}\n\n$/);
    expect(JSON.parse(text.split('\n')[1]!.slice('data: '.length))).toEqual({
      type: 'error',
      error: { type: 'api_error', message: error.message },
    });
  });
});

describe('errorFromStreamErrorEvent', () => {
  it('reads the status of the type, since the stream itself was a 200', () => {
    const error = errorFromStreamErrorEvent(
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      'vertex',
    );
    expect(error).toMatchObject({
      status: 529,
      type: 'overloaded_error',
      message: 'Overloaded',
      platform: 'vertex',
    });
  });

  it('keeps a type it does not know', () => {
    expect(
      errorFromStreamErrorEvent({ type: 'error', error: { type: 'new_error', message: 'm' } }),
    ).toMatchObject({
      status: 500,
      type: 'new_error',
      platform: 'anthropic',
    });
  });
});
