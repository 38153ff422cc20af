/**
 * Claude Code's own telemetry forwarded over OTLP/gRPC (`telemetry.protocol:
 * grpc` with `forwardClaudeCode`): exports arrive at the gateway over
 * OTLP/HTTP (protobuf from the official exporter, or JSON) and reach a real
 * @grpc/grpc-js receiver stamped with the caller's key; the receiver's
 * refusals and absence come back as OTLP/HTTP answers.
 */

import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_REQUESTS, RPC_STATUS } from '../telemetry/otlp-schema.js';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';
import { type OtlpGrpcReceiver, startOtlpGrpcReceiver } from '../test-support/otlp-grpc-receiver.js';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

let receiver: OtlpGrpcReceiver;
let setup: TestGateway;
let key = '';

beforeAll(async () => {
  receiver = await startOtlpGrpcReceiver();
  setup = await startTestGateway({
    keys: [{ name: 'dev-laptop' }],
    env: {},
    config: {
      telemetry: {
        otlpEndpoint: receiver.url,
        protocol: 'grpc',
        headers: { 'x-receiver-key': 'receiver-secret' },
        forwardClaudeCode: true,
        metricsIntervalMs: 600_000,
      },
    },
  });
  key = setup.keys[0]?.secret ?? '';
});

afterAll(async () => {
  await setup?.close();
  await receiver?.close();
});

function claudeCodeSpans(name: string) {
  return receiver
    .spans()
    .filter((span) => span.name === name && span.resource['service.name'] === 'claude-code');
}

function jsonTraces(name: string): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'claude-code' } }] },
        scopeSpans: [
          {
            scope: { name: 'com.anthropic.claude_code' },
            spans: [
              {
                traceId: TRACE_ID,
                spanId: SPAN_ID,
                name,
                kind: 1,
                startTimeUnixNano: '1764936000000000000',
                endTimeUnixNano: '1764936001000000000',
                attributes: [{ key: 'tokens', value: { intValue: '42' } }],
              },
            ],
          },
        ],
      },
    ],
  });
}

async function postJson(body: string): Promise<Response> {
  return fetch(`${setup.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body,
  });
}

describe("forwarding Claude Code's telemetry over gRPC", () => {
  it('forwards protobuf from the official exporter as it is, stamped with the key, headers as metadata', async () => {
    const provider = new TracerProvider({
      resource: resourceFromAttributes({
        'service.name': 'claude-code',
        'claude_gateway.key_name': 'someone-else',
      }),
      spanProcessors: [
        new BatchSpanProcessor({
          exporter: new OTLPTraceExporter({ url: `${setup.url}/v1/traces`, headers: { 'x-api-key': key } }),
        }),
      ],
    });
    provider.getTracer('claude-code').startSpan('claude_code.interaction').end();
    await provider.forceFlush();
    await provider.shutdown();
    const spans = claudeCodeSpans('claude_code.interaction');
    expect(spans).toHaveLength(1);
    expect(spans[0]?.resource).toMatchObject({ 'claude_gateway.key_name': 'dev-laptop' });
    const post = receiver.posts.find((item) => JSON.stringify(item.body).includes('claude_code.interaction'));
    expect(post?.encoding).toBe('grpc');
    expect(post?.headers['x-receiver-key']).toBe('receiver-secret');
  });

  it('encodes a JSON export as protobuf (hex ids as bytes) and answers in JSON', async () => {
    const response = await postJson(jsonTraces('claude_code.json_span'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({});
    const spans = claudeCodeSpans('claude_code.json_span');
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, attributes: { tokens: 42 } });
    expect(spans[0]?.resource['claude_gateway.key_name']).toBe('dev-laptop');
  });

  it('refuses JSON that does not encode, naming the field, without forwarding it', async () => {
    const before = receiver.posts.length;
    const response = await postJson(jsonTraces('bad').replace(TRACE_ID, 'not-hex'));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/traceId "not-hex" is not hex/);
    expect(receiver.posts.length).toBe(before);
  });

  it("passes the receiver's refusal on as OTLP/HTTP: RESOURCE_EXHAUSTED is a 429 with retry-after", async () => {
    receiver.answerWith(8);
    try {
      const bytes = EXPORT_REQUESTS.traces.type.encode(EXPORT_REQUESTS.traces.type.fromObject({})).finish();
      const response = await fetch(`${setup.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', 'x-api-key': key },
        body: bytes,
      });
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('5');
      const status = RPC_STATUS.toObject(RPC_STATUS.decode(new Uint8Array(await response.arrayBuffer())));
      expect(status).toMatchObject({ code: 8, message: expect.stringMatching(/refused by the test/) });
    } finally {
      receiver.answerWith(0);
    }
  });
});

it('answers 503 with retry-after when the gRPC receiver is away, and says so once in the log', async () => {
  const gone = await startOtlpGrpcReceiver();
  await gone.close();
  const away = await startTestGateway({
    keys: [{ name: 'k' }],
    env: {},
    config: { telemetry: { otlpEndpoint: gone.url, protocol: 'grpc', forwardClaudeCode: true } },
  });
  try {
    for (let round = 0; round < 2; round++) {
      const response = await fetch(`${away.url}/v1/logs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': away.keys[0]?.secret ?? '' },
        body: JSON.stringify({ resourceLogs: [] }),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      const text = await response.text();
      expect(text).toContain('cannot reach its telemetry receiver');
      expect(text).not.toContain('127.0.0.1');
    }
    expect(
      away.logs.filter((line) => String(line['msg']).startsWith("cannot forward Claude Code's")),
    ).toHaveLength(1);
  } finally {
    await away.close();
  }
});
