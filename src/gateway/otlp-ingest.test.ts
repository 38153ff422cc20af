/**
 * Claude Code's own telemetry through the gateway (`telemetry.forwardClaudeCode`):
 * the official OTLP/HTTP exporters (protobuf and JSON) send to the gateway
 * with a gateway key, and the suite's receiver gets each export stamped with
 * the caller's key; bad input gets OTLP's own error shape.
 */

import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_REQUESTS, RPC_STATUS } from '../telemetry/otlp-schema.js';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';
import { type OtlpReceiver, startOtlpReceiver } from '../test-support/otlp-receiver.js';

let receiver: OtlpReceiver;
let setup: TestGateway;
let unforwarded: TestGateway;
let key = '';

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  setup = await startTestGateway({
    keys: [{ name: 'dev-laptop' }],
    config: {
      telemetry: {
        otlpEndpoint: receiver.url,
        headers: { 'x-receiver-key': 'receiver-secret' },
        forwardClaudeCode: true,
        metricsIntervalMs: 600_000,
      },
    },
  });
  key = setup.keys[0]?.secret ?? '';
  unforwarded = await startTestGateway({ keys: [{ name: 'k' }] });
});

afterAll(async () => {
  await setup?.close();
  await unforwarded?.close();
  await receiver?.close();
});

const resource = resourceFromAttributes({
  'service.name': 'claude-code',
  // A client cannot speak for another key: the gateway's own attributes replace these.
  'claude_gateway.key_name': 'someone-else',
});

function clientPosts(path: string) {
  return receiver.posts.filter(
    (post) =>
      post.path === path &&
      JSON.stringify(post.body).includes('"claude-code"') &&
      post.headers['x-receiver-key'] === 'receiver-secret',
  );
}

describe("forwarding Claude Code's telemetry", () => {
  it('takes protobuf traces from the official exporter, stamps the key and forwards them as protobuf', async () => {
    const provider = new TracerProvider({
      resource,
      spanProcessors: [
        new BatchSpanProcessor({
          exporter: new OTLPTraceExporter({ url: `${setup.url}/v1/traces`, headers: { 'x-api-key': key } }),
        }),
      ],
    });
    provider.getTracer('claude-code').startSpan('claude_code.interaction').end();
    await provider.forceFlush();
    await provider.shutdown();
    const posts = clientPosts('/v1/traces');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.encoding).toBe('protobuf');
    const spans = receiver.spans().filter((span) => span.name === 'claude_code.interaction');
    expect(spans).toHaveLength(1);
    expect(spans[0]?.resource).toMatchObject({
      'service.name': 'claude-code',
      'claude_gateway.key_name': 'dev-laptop',
      'claude_gateway.key_id': setup.keys[0]?.record.id,
    });
    const forwarded = posts[0]?.body as { resourceSpans: { resource: { attributes: { key: string }[] } }[] };
    const stamped = forwarded.resourceSpans[0]?.resource.attributes ?? [];
    expect(stamped.filter((attribute) => attribute.key === 'claude_gateway.key_name')).toHaveLength(1);
  });

  it('takes JSON metrics with a Bearer credential and forwards them as JSON', async () => {
    const provider = new MeterProvider({
      resource,
      readers: [
        new PeriodicExportingMetricReader({
          exporter: new OTLPMetricExporter({
            url: `${setup.url}/v1/metrics`,
            headers: { authorization: `Bearer ${key}` },
          }),
          exportIntervalMillis: 600_000,
        }),
      ],
    });
    provider.getMeter('claude-code').createCounter('claude_code.token.usage').add(42, { type: 'input' });
    await provider.forceFlush();
    await provider.shutdown();
    const posts = clientPosts('/v1/metrics');
    expect(posts.length).toBeGreaterThan(0);
    expect(posts[0]?.encoding).toBe('json');
    const text = JSON.stringify(posts[0]?.body);
    expect(text).toContain('claude_code.token.usage');
    expect(text).toContain('"dev-laptop"');
    expect(text).not.toContain('someone-else');
  });

  it('keeps fields it does not know, byte for byte, in protobuf logs', async () => {
    const logs = EXPORT_REQUESTS.logs.type;
    const known = logs
      .encode(
        logs.fromObject({
          resourceLogs: [
            {
              resource: { attributes: [{ key: 'service.name', value: { stringValue: 'claude-code' } }] },
              scopeLogs: [{ logRecords: [{ eventName: 'claude_code.api_request', severityText: 'INFO' }] }],
            },
          ],
        }),
      )
      .finish();
    // A ResourceLogs field from a newer OTLP (number 9, a string): appended inside the first ResourceLogs.
    const unknownField = Buffer.from([0x4a, 0x03, 0x6e, 0x65, 0x77]);
    const inner = Buffer.from(known.subarray(2));
    const body = Buffer.concat([
      Buffer.from([0x0a, inner.length + unknownField.length]),
      inner,
      unknownField,
    ]);
    const response = await fetch(`${setup.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', 'x-api-key': key },
      body,
    });
    expect(response.status).toBe(200);
    const forwarded = receiver.posts.filter((post) => post.path === '/v1/logs').at(-1);
    expect(forwarded?.raw.includes(unknownField)).toBe(true);
    expect(receiver.logResources().at(-1)).toMatchObject({
      'service.name': 'claude-code',
      'claude_gateway.key_name': 'dev-laptop',
    });
  });
});

describe('refusals, in OTLP error shape', () => {
  const post = (path: string, body: string | Uint8Array, headers: Record<string, string>) =>
    fetch(`${setup.url}${path}`, { method: 'POST', headers, body });

  it('401 without a gateway key, 400 for a malformed export, 415 for another content type', async () => {
    const before = receiver.posts.length;
    const unauthenticated = await post('/v1/metrics', '{}', { 'content-type': 'application/json' });
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).toMatchObject({
      code: 16,
      message: expect.stringContaining('OTEL_EXPORTER_OTLP_HEADERS'),
    });

    const garbled = await post('/v1/traces', Buffer.from([0x0a, 0x10, 0x01]), {
      'content-type': 'application/x-protobuf',
      'x-api-key': key,
    });
    expect(garbled.status).toBe(400);
    expect(garbled.headers.get('content-type')).toBe('application/x-protobuf');
    const status = RPC_STATUS.decode(new Uint8Array(await garbled.arrayBuffer())) as unknown as {
      code: number;
      message: string;
    };
    expect(status.code).toBe(3);
    expect(status.message).toContain('Malformed OTLP traces export');

    for (const body of ['{"resourceLogs": 5}', 'not json', '[]']) {
      const answer = await post('/v1/logs', body, { 'content-type': 'application/json', 'x-api-key': key });
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ code: 3 });
    }
    const text = await post('/v1/logs', 'hello', { 'content-type': 'text/plain', 'x-api-key': key });
    expect(text.status).toBe(415);
    // Nothing refused reached the receiver.
    expect(receiver.posts.length).toBe(before);
  });

  it("passes the receiver's refusal on, and answers 503 without internals when it cannot be reached", async () => {
    receiver.answerWith(429);
    const throttled = await post('/v1/logs', '{"resourceLogs": []}', {
      'content-type': 'application/json',
      'x-api-key': key,
    });
    expect(throttled.status).toBe(429);
    receiver.answerWith(200);

    const lonely = await startTestGateway({
      keys: [{ name: 'k' }],
      config: { telemetry: { otlpEndpoint: 'http://127.0.0.1:9', forwardClaudeCode: true } },
    });
    try {
      const answer = await fetch(`${lonely.url}/v1/metrics`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': lonely.keys[0]?.secret ?? '' },
        body: '{"resourceMetrics": []}',
      });
      expect(answer.status).toBe(503);
      const text = await answer.text();
      expect(JSON.parse(text)).toMatchObject({ code: 14 });
      expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    } finally {
      await lonely.close();
    }
  });

  it('404s, saying how to turn it on, where forwarding is off', async () => {
    const answer = await fetch(`${unforwarded.url}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': unforwarded.keys[0]?.secret ?? '' },
      body: '{}',
    });
    expect(answer.status).toBe(404);
    expect(await answer.json()).toMatchObject({
      code: 5,
      message: expect.stringContaining('telemetry.forwardClaudeCode'),
    });
  });
});
