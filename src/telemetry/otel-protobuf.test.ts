/**
 * The gateway's own OpenTelemetry in binary protobuf
 * (OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, the official -otlp-proto
 * exporters) with a parent-based ratio sampler (OTEL_TRACES_SAMPLER): the
 * suite's receiver decodes what arrives.
 */

import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';
import { type OtlpReceiver, startOtlpReceiver } from '../test-support/otlp-receiver.js';

const SAMPLED_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const UNSAMPLED_TRACE = '5bf92f3577b34da6a3ce929d0e0e4737';

let receiver: OtlpReceiver;
let setup: TestGateway;

async function ask(traceparent?: string): Promise<void> {
  const response = await fetch(`${setup.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(traceparent ? { traceparent } : {}) },
    body: JSON.stringify({
      model: 'claude-haiku-4-5',
      max_tokens: 20,
      messages: [{ role: 'user', content: 'protobuf please' }],
    }),
  });
  expect(response.status).toBe(200);
  await response.text();
}

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  setup = await startTestGateway({
    env: {
      ...process.env,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      // No new trace is kept; a client's sampled trace is (parent-based).
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0',
      OTEL_METRIC_EXPORT_INTERVAL: '600000',
    },
  });
  await ask();
  await ask(`00-${SAMPLED_TRACE}-00f067aa0ba902b7-01`);
  await ask(`00-${UNSAMPLED_TRACE}-00f067aa0ba902b7-00`);
  await ask();
  await setup.gateway.stop(1_000);
});

afterAll(async () => {
  await setup?.close();
  await receiver?.close();
});

it('exports traces and metrics as protobuf', () => {
  expect(receiver.posts.length).toBeGreaterThan(0);
  expect(new Set(receiver.posts.map((post) => post.path))).toEqual(new Set(['/v1/traces', '/v1/metrics']));
  for (const post of receiver.posts) {
    expect(post.encoding).toBe('protobuf');
    expect(post.headers['content-type']).toBe('application/x-protobuf');
  }
  const durations = receiver
    .histogramPoints()
    .filter((point) => point.metric === 'gen_ai.server.request.duration');
  expect(durations.reduce((sum, point) => sum + point.count, 0)).toBe(4);
});

it('keeps only what the parent-based ratio sampler samples: the client trace marked sampled', () => {
  const spans = receiver.spans();
  expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([SAMPLED_TRACE]));
  const server = spans.find((span) => span.parentSpanId === '00f067aa0ba902b7');
  expect(server?.attributes['gen_ai.operation.name']).toBe('chat');
  expect(spans.some((span) => span.parentSpanId === server?.spanId)).toBe(true);
  expect(server?.resource['service.name']).toBe('claude-gateway');
});

it('stops the start, naming the variable, for a transport or a sampler it does not have', async () => {
  for (const [name, value] of [
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'http/xml'],
    ['OTEL_TRACES_SAMPLER', 'xray'],
  ] as const) {
    await expect(
      startTestGateway({ env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, [name]: value } }),
    ).rejects.toThrow(new RegExp(`^${name}: "${value}"`));
  }
});
