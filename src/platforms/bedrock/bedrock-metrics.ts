import { z } from 'zod';
import type { InvocationMetrics } from '../../wire/bedrock-chunk.js';
import type { UpstreamMetrics } from '../types.js';

const HEADER_FIELDS = [
  ['x-amzn-bedrock-input-token-count', 'inputTokens'],
  ['x-amzn-bedrock-output-token-count', 'outputTokens'],
  ['x-amzn-bedrock-cache-read-input-token-count', 'cacheReadTokens'],
  ['x-amzn-bedrock-cache-write-input-token-count', 'cacheWriteTokens'],
  ['x-amzn-bedrock-invocation-latency', 'invocationLatencyMs'],
] as const satisfies readonly (readonly [string, keyof UpstreamMetrics])[];

/**
 * Usage and latency from Bedrock's `x-amzn-bedrock-*` response headers
 * (InvokeModel answers carry them); undefined when there are none.
 *
 * @example
 * metricsFromBedrockHeaders(new Headers({ 'x-amzn-bedrock-input-token-count': '12' })); // { inputTokens: 12 }
 */
export function metricsFromBedrockHeaders(headers: Headers): UpstreamMetrics | undefined {
  const metrics: UpstreamMetrics = {};
  let found = false;
  for (const [header, field] of HEADER_FIELDS) {
    const value = headers.get(header);
    if (value === null || !/^\s*\d+\s*$/.test(value)) continue;
    metrics[field] = Number(value);
    found = true;
  }
  return found ? metrics : undefined;
}

/** Bedrock's invocation metrics, as the frame decoder read them, in UpstreamMetrics' names. */
export function metricsOfInvocation(metrics: InvocationMetrics): UpstreamMetrics {
  return {
    inputTokens: metrics.inputTokenCount,
    outputTokens: metrics.outputTokenCount,
    invocationLatencyMs: metrics.invocationLatency,
    firstByteLatencyMs: metrics.firstByteLatency,
    ...(metrics.cacheReadInputTokenCount !== undefined
      ? { cacheReadTokens: metrics.cacheReadInputTokenCount }
      : {}),
    ...(metrics.cacheWriteInputTokenCount !== undefined
      ? { cacheWriteTokens: metrics.cacheWriteInputTokenCount }
      : {}),
  };
}

const count = z.number().nonnegative().nullish();
const invocationMetricsSchema = z.object({
  inputTokenCount: count,
  outputTokenCount: count,
  invocationLatency: count,
  firstByteLatency: count,
  cacheReadInputTokenCount: count,
  cacheWriteInputTokenCount: count,
});

/**
 * The `amazon-bedrock-invocationMetrics` object of a stream's last chunk as
 * UpstreamMetrics; undefined when it is missing or has no numbers.
 *
 * @example
 * metricsFromInvocationMetrics({ inputTokenCount: 12, outputTokenCount: 40, invocationLatency: 900, firstByteLatency: 300 });
 * // { inputTokens: 12, outputTokens: 40, invocationLatencyMs: 900, firstByteLatencyMs: 300 }
 */
export function metricsFromInvocationMetrics(value: unknown): UpstreamMetrics | undefined {
  const parsed = invocationMetricsSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const fields = parsed.data;
  const metrics: UpstreamMetrics = {};
  if (fields.inputTokenCount != null) metrics.inputTokens = fields.inputTokenCount;
  if (fields.outputTokenCount != null) metrics.outputTokens = fields.outputTokenCount;
  if (fields.cacheReadInputTokenCount != null) metrics.cacheReadTokens = fields.cacheReadInputTokenCount;
  if (fields.cacheWriteInputTokenCount != null) metrics.cacheWriteTokens = fields.cacheWriteInputTokenCount;
  if (fields.invocationLatency != null) metrics.invocationLatencyMs = fields.invocationLatency;
  if (fields.firstByteLatency != null) metrics.firstByteLatencyMs = fields.firstByteLatency;
  return Object.keys(metrics).length > 0 ? metrics : undefined;
}
