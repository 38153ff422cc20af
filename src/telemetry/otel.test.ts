/**
 * OpenTelemetry end to end: a gateway in front of the emulator exports to a
 * real OTLP/HTTP receiver on loopback, and what arrives is decoded — one
 * trace per request with the GenAI attributes, a child span per upstream
 * attempt (a Bedrock 429 forces a retry and a failover), the client's
 * traceparent continued and passed upstream, and the GenAI metrics.
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../emulator/journal.js';
import type { RequestRecord } from '../store/types.js';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '../test-support/otlp-receiver.js';

const CLIENT_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const CLIENT_PARENT_ID = 'b7ad6b7169203331';
const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

let receiver: OtlpReceiver;
let setup: TestGateway;
let failover: { id: string; row: RequestRecord | undefined; body: { usage: Record<string, number> } };
let streamed: { id: string; row: RequestRecord | undefined };
let refused: { id: string; row: RequestRecord | undefined };
let bedrockJournal: JournalEntry[];
let vertexJournal: JournalEntry[];

async function post(body: Record<string, unknown>, headers: Record<string, string>): Promise<Response> {
  return fetch(`${setup.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  setup = await startTestGateway({
    keys: [{ name: 'otel-team' }],
    config: {
      routes: [
        { models: ['claude-sonnet-4-5'], targets: ['bedrock/global', 'vertex/global'] },
        { models: ['claude-haiku-4-5'], targets: ['bedrock/global'] },
      ],
      // Metrics go out once, when the gateway stops: nothing here waits on a timer.
      telemetry: {
        otlpEndpoint: receiver.url,
        serviceName: 'gateway-under-test',
        headers: { 'x-otlp-key': 'receiver-key' },
        metricsIntervalMs: 600_000,
      },
    },
  });
  const key = setup.keys[0]?.secret ?? '';

  // 1. Bedrock throttles (twice: a retry, then a failover); Vertex answers. The client sends its trace context.
  setup.emulator.state.faults.add({ kind: 'http', platform: 'bedrock', status: 429, count: 2 });
  const first = await post(
    {
      model: 'claude-sonnet-4-5',
      max_tokens: 123,
      temperature: 0.5,
      messages: [{ role: 'user', content: 'Trace me across a failover' }],
    },
    {
      'x-api-key': key,
      'x-claude-code-session-id': 'session-otel-1',
      traceparent: `00-${CLIENT_TRACE_ID}-${CLIENT_PARENT_ID}-01`,
      tracestate: 'vendor=abc',
    },
  );
  expect(first.status).toBe(200);
  const firstId = first.headers.get('x-claude-gateway-request-id') ?? '';
  failover = {
    id: firstId,
    body: (await first.json()) as { usage: Record<string, number> },
    row: (await setup.activity(firstId)).request,
  };
  bedrockJournal = setup.emulator.state.journal.list({ platform: 'bedrock' });
  vertexJournal = setup.emulator.state.journal.list({ platform: 'vertex' });

  // 2. A stream from Bedrock, without a client trace context: a new trace starts at the gateway.
  const second = await post(
    {
      model: 'claude-haiku-4-5',
      max_tokens: 64,
      stream: true,
      messages: [{ role: 'user', content: 'Stream me' }],
    },
    { 'x-api-key': key },
  );
  expect(second.status).toBe(200);
  expect(await second.text()).toContain('message_stop');
  const secondId = second.headers.get('x-claude-gateway-request-id') ?? '';
  streamed = { id: secondId, row: (await setup.activity(secondId)).request };

  // 3. No key: the gateway refuses it itself, with no upstream attempt.
  const third = await post(
    { model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] },
    {},
  );
  expect(third.status).toBe(401);
  const thirdId = third.headers.get('x-claude-gateway-request-id') ?? '';
  refused = { id: thirdId, row: (await setup.activity(thirdId)).request };

  // Stopping exports what is pending: every span and the metrics.
  await setup.gateway.stop(1_000);
});

afterAll(async () => {
  await setup?.close();
  await receiver?.close();
});

function requestSpan(requestId: string): ReceivedSpan {
  const spans = receiver.spans().filter((span) => span.attributes['claude_gateway.request_id'] === requestId);
  expect(spans).toHaveLength(1);
  return spans[0] as ReceivedSpan;
}

function childrenOf(parent: ReceivedSpan): ReceivedSpan[] {
  return receiver
    .spans()
    .filter((span) => span.parentSpanId === parent.spanId)
    .sort(
      (a, b) =>
        Number(a.attributes['claude_gateway.attempt']) - Number(b.attributes['claude_gateway.attempt']),
    );
}

describe('traces', () => {
  it('exports over OTLP/HTTP JSON with the configured headers and service name', () => {
    const paths = new Set(receiver.posts.map((item) => item.path));
    expect(paths).toEqual(new Set(['/v1/traces', '/v1/metrics']));
    for (const item of receiver.posts) {
      expect(item.headers['x-otlp-key']).toBe('receiver-key');
      expect(item.headers['content-type']).toMatch(/^application\/json/);
    }
    expect(receiver.spans()[0]?.resource['service.name']).toBe('gateway-under-test');
  });

  it('continues the client trace with one server span carrying the GenAI and gateway attributes', () => {
    const row = failover.row;
    expect(row).toBeDefined();
    const span = requestSpan(failover.id);
    expect(span.traceId).toBe(CLIENT_TRACE_ID);
    expect(span.parentSpanId).toBe(CLIENT_PARENT_ID);
    expect(span.kind).toBe(SERVER);
    expect(span.name).toBe('chat claude-sonnet-4-5');
    expect(span.statusCode).not.toBe(ERROR);
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'gcp.vertex_ai',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.response.model': row?.upstreamModelId,
      'gen_ai.request.max_tokens': 123,
      'gen_ai.request.temperature': 0.5,
      'gen_ai.request.stream': false,
      'gen_ai.usage.input_tokens': failover.body.usage['input_tokens'],
      'gen_ai.usage.output_tokens': failover.body.usage['output_tokens'],
      'gen_ai.response.finish_reasons': [row?.stopReason],
      'gen_ai.conversation.id': 'session-otel-1',
      'claude_gateway.request_id': failover.id,
      'claude_gateway.dialect': 'anthropic',
      'claude_gateway.key_name': 'otel-team',
      'claude_gateway.session': 'session-otel-1',
      'claude_gateway.cost_usd': row?.costUsd,
      'claude_gateway.platform': 'vertex',
      'claude_gateway.attempts': 3,
      'http.response.status_code': 200,
    });
    expect(row?.costUsd).toBeGreaterThan(0);
    expect(span.attributes['claude_gateway.changes']).toEqual([
      'failover:bedrock/global@us-east-1→vertex/global',
    ]);
  });

  it('has a child span per upstream attempt: the retry, the failover and the answer', () => {
    const attempts = childrenOf(requestSpan(failover.id));
    expect(attempts.map((span) => span.traceId)).toEqual([CLIENT_TRACE_ID, CLIENT_TRACE_ID, CLIENT_TRACE_ID]);
    expect(attempts.map((span) => span.kind)).toEqual([CLIENT, CLIENT, CLIENT]);
    expect(
      attempts.map((span) => [
        span.attributes['claude_gateway.attempt'],
        span.attributes['gen_ai.provider.name'],
        span.attributes['claude_gateway.platform'],
        span.attributes['claude_gateway.target'],
        span.attributes['claude_gateway.outcome'],
        span.attributes['http.response.status_code'],
        span.statusCode === ERROR,
      ]),
    ).toEqual([
      [1, 'aws.bedrock', 'bedrock', 'bedrock/global@us-east-1', 'retried', 429, true],
      [2, 'aws.bedrock', 'bedrock', 'bedrock/global@us-east-1', 'failed-over', 429, true],
      [3, 'gcp.vertex_ai', 'vertex', 'vertex/global', 'success', 200, false],
    ]);
    expect(attempts[0]?.attributes['error.type']).toBe('ThrottlingException');
    expect(attempts[0]?.attributes['claude_gateway.region']).toBe('us-east-1');
    expect(attempts[2]?.attributes['claude_gateway.region']).toBe('global');
    expect(attempts[2]?.attributes['gen_ai.request.model']).toBe(failover.row?.upstreamModelId);
    expect(attempts[2]?.attributes['gen_ai.usage.output_tokens']).toBe(failover.body.usage['output_tokens']);
  });

  it("passes each attempt's trace context upstream: the platform sees the client's trace, the attempt as parent", () => {
    const attempts = childrenOf(requestSpan(failover.id));
    expect(bedrockJournal).toHaveLength(2);
    expect(vertexJournal).toHaveLength(1);
    const upstream = [...bedrockJournal, ...vertexJournal].map((entry) => entry.headers['traceparent']);
    expect(upstream).toEqual(attempts.map((span) => `00-${CLIENT_TRACE_ID}-${span.spanId}-01`));
    for (const entry of [...bedrockJournal, ...vertexJournal])
      expect(entry.headers['tracestate']).toBe('vendor=abc');
  });

  it('starts a new trace for a request without a trace context, and spans a stream to its end', () => {
    const span = requestSpan(streamed.id);
    expect(span.parentSpanId).toBeUndefined();
    expect(span.traceId).not.toBe(CLIENT_TRACE_ID);
    expect(span.attributes).toMatchObject({
      'gen_ai.provider.name': 'aws.bedrock',
      'gen_ai.request.model': 'claude-haiku-4-5',
      'gen_ai.request.stream': true,
      'gen_ai.request.max_tokens': 64,
      'gen_ai.usage.output_tokens': streamed.row?.outputTokens,
      'claude_gateway.key_name': 'otel-team',
    });
    const [attempt] = childrenOf(span);
    expect(attempt?.attributes).toMatchObject({
      'claude_gateway.outcome': 'success',
      'gen_ai.provider.name': 'aws.bedrock',
    });
    expect(attempt?.traceId).toBe(span.traceId);
  });

  it('spans a refused request too, with its status and error type and no attempt', () => {
    const span = requestSpan(refused.id);
    expect(span.attributes['http.response.status_code']).toBe(401);
    expect(span.attributes['error.type']).toBe(refused.row?.errorType);
    expect(span.attributes['gen_ai.provider.name']).toBeUndefined();
    expect(childrenOf(span)).toEqual([]);
  });
});

describe('metrics', () => {
  const points = (metric: string) => receiver.histogramPoints().filter((point) => point.metric === metric);

  it('exports gen_ai.client.token.usage by token type, provider and model', () => {
    const usage = points('gen_ai.client.token.usage');
    const vertex = usage.filter((point) => point.attributes['gen_ai.provider.name'] === 'gcp.vertex_ai');
    expect(
      vertex.map((point) => [point.attributes['gen_ai.token.type'], point.count, point.sum]).sort(),
    ).toEqual(
      [
        ['input', 1, failover.body.usage['input_tokens']],
        ['output', 1, failover.body.usage['output_tokens']],
      ].sort(),
    );
    expect(vertex[0]?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.response.model': failover.row?.upstreamModelId,
    });
    expect(vertex[0]?.unit).toBe('{token}');
    const bedrockOutput = usage.find(
      (point) =>
        point.attributes['gen_ai.provider.name'] === 'aws.bedrock' &&
        point.attributes['gen_ai.token.type'] === 'output',
    );
    expect(bedrockOutput?.sum).toBe(streamed.row?.outputTokens);
    expect(usage[0]?.resource['service.name']).toBe('gateway-under-test');
  });

  it('exports gen_ai.server.request.duration for every request, with error.type on a failure', () => {
    const duration = points('gen_ai.server.request.duration');
    expect(duration.every((point) => point.unit === 's')).toBe(true);
    expect(duration.reduce((total, point) => total + point.count, 0)).toBe(3);
    const failed = duration.filter((point) => point.attributes['error.type'] !== undefined);
    expect(failed.map((point) => point.attributes['error.type'])).toEqual([refused.row?.errorType]);
    expect(
      duration.find((point) => point.attributes['gen_ai.provider.name'] === 'gcp.vertex_ai')?.attributes,
    ).toMatchObject({ 'gen_ai.request.model': 'claude-sonnet-4-5' });
  });

  it('exports gen_ai.server.time_to_first_token for the streamed answer only', () => {
    const firstToken = points('gen_ai.server.time_to_first_token');
    expect(firstToken).toHaveLength(1);
    expect(firstToken[0]?.count).toBe(1);
    expect(firstToken[0]?.attributes).toMatchObject({
      'gen_ai.provider.name': 'aws.bedrock',
      'gen_ai.request.model': 'claude-haiku-4-5',
    });
  });
});

describe('a receiver that refuses the data', () => {
  it('costs the requests nothing and is said once in the log', async () => {
    const refusing = createServer((_request, response) => response.writeHead(400).end('no'));
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const { port } = refusing.address() as AddressInfo;
    const local = await startTestGateway({
      config: { telemetry: { otlpEndpoint: `http://127.0.0.1:${port}`, metricsIntervalMs: 600_000 } },
    });
    try {
      for (const text of ['one', 'two']) {
        const response = await fetch(`${local.url}/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
          body: JSON.stringify({
            model: 'claude-haiku-4-5',
            max_tokens: 20,
            messages: [{ role: 'user', content: text }],
          }),
        });
        expect(response.status).toBe(200);
      }
      await local.gateway.stop(1_000);
      const warnings = local.logs.filter((line) =>
        String(line['msg']).startsWith('cannot export OpenTelemetry'),
      );
      expect(warnings.map((line) => line['msg'])).toEqual(
        expect.arrayContaining([expect.stringContaining('traces'), expect.stringContaining('metrics')]),
      );
      expect(warnings).toHaveLength(2);
    } finally {
      await local.close();
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });
});
