import { describe, expect, it } from 'vitest';
import { metricsFromBedrockHeaders, metricsFromInvocationMetrics } from './bedrock-metrics.js';

describe('metricsFromBedrockHeaders', () => {
  it('reads every x-amzn-bedrock count and the latency', () => {
    const headers = new Headers({
      'x-amzn-bedrock-input-token-count': '12',
      'x-amzn-bedrock-output-token-count': '40',
      'x-amzn-bedrock-invocation-latency': '905',
      'x-amzn-bedrock-cache-read-input-token-count': '1000',
      'x-amzn-bedrock-cache-write-input-token-count': '0',
    });
    expect(metricsFromBedrockHeaders(headers)).toEqual({
      inputTokens: 12,
      outputTokens: 40,
      invocationLatencyMs: 905,
      cacheReadTokens: 1000,
      cacheWriteTokens: 0,
    });
  });

  it('is undefined without them, and skips values that are not counts', () => {
    expect(metricsFromBedrockHeaders(new Headers({ 'content-type': 'application/json' }))).toBeUndefined();
    expect(
      metricsFromBedrockHeaders(new Headers({ 'x-amzn-bedrock-input-token-count': 'lots' })),
    ).toBeUndefined();
  });
});

describe('metricsFromInvocationMetrics', () => {
  it('reads partial metrics and ignores what is not an object', () => {
    expect(metricsFromInvocationMetrics({ outputTokenCount: 3, firstByteLatency: null })).toEqual({
      outputTokens: 3,
    });
    expect(metricsFromInvocationMetrics('nope')).toBeUndefined();
    expect(metricsFromInvocationMetrics({})).toBeUndefined();
  });
});
