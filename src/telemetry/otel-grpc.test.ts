/**
 * The gateway's own OpenTelemetry over OTLP/gRPC (`telemetry.protocol: grpc`,
 * or OTEL_EXPORTER_OTLP_PROTOCOL=grpc; the official -otlp-grpc exporters) to
 * a real @grpc/grpc-js receiver that decodes what arrives: a request's trace
 * with its GenAI attributes and one child span per upstream attempt (a
 * Bedrock 429 forces a retry and a failover), the GenAI metrics, and the
 * export headers as gRPC metadata. Plaintext or TLS as the endpoint's scheme
 * and OTEL_EXPORTER_OTLP_INSECURE say.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';
import { type OtlpGrpcReceiver, startOtlpGrpcReceiver } from '../test-support/otlp-grpc-receiver.js';
import { type SelfSignedCert, selfSignedCert } from '../test-support/self-signed.js';

const SERVER = 2;
const CLIENT = 3;

async function ask(setup: TestGateway, model: string, key?: string): Promise<string> {
  const response = await fetch(`${setup.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
    body: JSON.stringify({
      model,
      max_tokens: 77,
      temperature: 0.25,
      messages: [{ role: 'user', content: 'Trace me over gRPC' }],
    }),
  });
  expect(response.status).toBe(200);
  await response.text();
  return response.headers.get('x-claude-gateway-request-id') ?? '';
}

describe('over plaintext gRPC, configured in the file', () => {
  let receiver: OtlpGrpcReceiver;
  let setup: TestGateway;
  let requestId: string;

  beforeAll(async () => {
    receiver = await startOtlpGrpcReceiver();
    setup = await startTestGateway({
      keys: [{ name: 'grpc-team' }],
      env: {},
      config: {
        routes: [{ models: ['claude-sonnet-4-5'], targets: ['bedrock/global', 'vertex/global'] }],
        telemetry: {
          otlpEndpoint: receiver.url,
          protocol: 'grpc',
          headers: { 'x-otlp-key': 'receiver-key' },
          sampler: { type: 'always_on' },
          // Metrics go out once, when the gateway stops.
          metricsIntervalMs: 600_000,
        },
      },
    });
    setup.emulator.state.faults.add({ kind: 'http', platform: 'bedrock', status: 429, count: 2 });
    requestId = await ask(setup, 'claude-sonnet-4-5', setup.keys[0]?.secret);
    await setup.gateway.stop(1_000);
  });

  afterAll(async () => {
    await setup?.close();
    await receiver?.close();
  });

  it('says in the log that it exports over gRPC', () => {
    expect(setup.logs.find((line) => line['component'] === 'telemetry')?.['msg']).toBe(
      'exporting OpenTelemetry traces and metrics over OTLP/gRPC',
    );
  });

  it('sends traces and metrics as gRPC calls with the headers as metadata', () => {
    expect(new Set(receiver.posts.map((post) => post.path))).toEqual(new Set(['/v1/traces', '/v1/metrics']));
    for (const post of receiver.posts) {
      expect(post.encoding).toBe('grpc');
      expect(post.headers['x-otlp-key']).toBe('receiver-key');
      expect(String(post.headers['user-agent'])).toMatch(/OTel-OTLP-Exporter-JavaScript/);
    }
  });

  it("delivers the request's span with the GenAI attributes and a child span per attempt", () => {
    const spans = receiver.spans();
    const server = spans.find((span) => span.attributes['claude_gateway.request_id'] === requestId);
    expect(server).toBeDefined();
    expect(server?.kind).toBe(SERVER);
    expect(server?.resource['service.name']).toBe('claude-gateway');
    expect(server?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'gcp.vertex_ai',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.request.max_tokens': 77,
      'gen_ai.request.temperature': 0.25,
      'claude_gateway.key_name': 'grpc-team',
      'claude_gateway.attempts': 3,
    });
    expect(server?.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    const attempts = spans
      .filter((span) => span.parentSpanId === server?.spanId)
      .sort(
        (a, b) =>
          Number(a.attributes['claude_gateway.attempt']) - Number(b.attributes['claude_gateway.attempt']),
      );
    expect(attempts.map((span) => span.kind)).toEqual([CLIENT, CLIENT, CLIENT]);
    expect(attempts.map((span) => span.traceId)).toEqual([server?.traceId, server?.traceId, server?.traceId]);
    expect(
      attempts.map((span) => [
        span.attributes['claude_gateway.platform'],
        span.attributes['claude_gateway.outcome'],
      ]),
    ).toEqual([
      ['bedrock', 'retried'],
      ['bedrock', 'failed-over'],
      ['vertex', 'success'],
    ]);
    expect(attempts[2]?.attributes['gen_ai.response.model']).toBe(
      server?.attributes['gen_ai.response.model'],
    );
  });

  it('delivers the GenAI metrics', () => {
    const points = receiver.histogramPoints();
    const durations = points.filter((point) => point.metric === 'gen_ai.server.request.duration');
    expect(durations.reduce((sum, point) => sum + point.count, 0)).toBe(1);
    expect(durations[0]?.attributes['gen_ai.request.model']).toBe('claude-sonnet-4-5');
    const tokens = points.filter((point) => point.metric === 'gen_ai.client.token.usage');
    expect(new Set(tokens.map((point) => point.attributes['gen_ai.token.type']))).toEqual(
      new Set(['input', 'output']),
    );
  });
});

describe('TLS or plaintext, from the environment', () => {
  let cert: SelfSignedCert;
  let tlsReceiver: OtlpGrpcReceiver;
  let plainReceiver: OtlpGrpcReceiver;

  beforeAll(async () => {
    cert = selfSignedCert();
    tlsReceiver = await startOtlpGrpcReceiver({ tls: { cert: cert.cert, key: cert.key } });
    plainReceiver = await startOtlpGrpcReceiver();
  });

  afterAll(async () => {
    await tlsReceiver?.close();
    await plainReceiver?.close();
    cert?.remove();
  });

  async function exportOnce(env: Record<string, string>): Promise<TestGateway> {
    const setup = await startTestGateway({
      env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_METRIC_EXPORT_INTERVAL: '600000', ...env },
    });
    await ask(setup, 'claude-haiku-4-5');
    await setup.gateway.stop(1_000);
    await setup.close();
    return setup;
  }

  it('speaks TLS to an https:// endpoint, trusting OTEL_EXPORTER_OTLP_CERTIFICATE', async () => {
    await exportOnce({
      OTEL_EXPORTER_OTLP_ENDPOINT: tlsReceiver.url,
      OTEL_EXPORTER_OTLP_CERTIFICATE: cert.certPath,
    });
    expect(
      tlsReceiver.spans().some((span) => span.attributes['gen_ai.request.model'] === 'claude-haiku-4-5'),
    ).toBe(true);
    expect(tlsReceiver.posts.some((post) => post.path === '/v1/metrics')).toBe(true);
  });

  it('speaks plaintext to an endpoint without a scheme when OTEL_EXPORTER_OTLP_INSECURE=true, and TLS otherwise', async () => {
    const bare = plainReceiver.url.replace('http://127.0.0.1', 'localhost');
    await exportOnce({ OTEL_EXPORTER_OTLP_ENDPOINT: bare, OTEL_EXPORTER_OTLP_INSECURE: 'true' });
    expect(plainReceiver.posts.length).toBeGreaterThan(0);

    // TLS to a plaintext receiver fails: nothing arrives, the log says so once per signal, the request is answered.
    const before = plainReceiver.posts.length;
    const setup = await exportOnce({ OTEL_EXPORTER_OTLP_ENDPOINT: bare });
    expect(plainReceiver.posts.length).toBe(before);
    expect(
      setup.logs.filter((line) => String(line['msg']).startsWith('cannot export OpenTelemetry')).length,
    ).toBeGreaterThan(0);
  });
});
