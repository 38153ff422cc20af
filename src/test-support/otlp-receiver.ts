/**
 * Test-only: an OTLP/HTTP receiver on a free loopback port. It accepts
 * `POST /v1/traces` and `POST /v1/metrics` in the JSON encoding (what
 * `@opentelemetry/exporter-*-otlp-http` sends), keeps what arrives, and
 * decodes it into flat spans and histogram points a test can read.
 */

import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

type AttributeValue = string | number | boolean | AttributeValue[] | undefined;

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP's numbers: 2 server, 3 client. */
  kind: number;
  /** 0 unset, 1 ok, 2 error. */
  statusCode: number;
  attributes: Record<string, AttributeValue>;
  resource: Record<string, AttributeValue>;
}

export interface ReceivedPoint {
  metric: string;
  unit: string;
  attributes: Record<string, AttributeValue>;
  count: number;
  sum: number;
  resource: Record<string, AttributeValue>;
}

export interface OtlpReceiver {
  url: string;
  /** Each POST as it arrived: path, headers (lower-case), parsed JSON body. */
  posts: { path: string; headers: Record<string, string | string[] | undefined>; body: unknown }[];
  spans(): ReceivedSpan[];
  histogramPoints(): ReceivedPoint[];
  close(): Promise<void>;
}

interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}
interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: OtlpAnyValue[] };
}

function anyValue(value: OtlpAnyValue | undefined): AttributeValue {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  // JSON-encoded OTLP may write 64-bit integers as strings.
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(anyValue);
  return undefined;
}

function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, AttributeValue> {
  const result: Record<string, AttributeValue> = {};
  for (const item of list ?? []) result[item.key] = anyValue(item.value);
  return result;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(bytes) : bytes;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const posts: OtlpReceiver['posts'] = [];
  const server = createServer((request, response) => {
    void (async () => {
      const path = request.url ?? '';
      if (request.method !== 'POST' || (path !== '/v1/traces' && path !== '/v1/metrics')) {
        response.writeHead(404).end();
        return;
      }
      if (!String(request.headers['content-type']).startsWith('application/json')) {
        response.writeHead(415, { 'content-type': 'text/plain' }).end('this receiver reads OTLP/JSON only');
        return;
      }
      const body = JSON.parse((await readBody(request)).toString('utf8')) as unknown;
      posts.push({ path, headers: { ...request.headers }, body });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    })().catch(() => response.writeHead(400).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    spans() {
      const spans: ReceivedSpan[] = [];
      for (const post of posts.filter((item) => item.path === '/v1/traces')) {
        const body = post.body as {
          resourceSpans?: {
            resource?: { attributes?: OtlpKeyValue[] };
            scopeSpans?: {
              spans?: {
                traceId: string;
                spanId: string;
                parentSpanId?: string;
                name: string;
                kind: number;
                status?: { code?: number };
                attributes?: OtlpKeyValue[];
              }[];
            }[];
          }[];
        };
        for (const resourceSpans of body.resourceSpans ?? []) {
          const resource = attributesOf(resourceSpans.resource?.attributes);
          for (const scope of resourceSpans.scopeSpans ?? []) {
            for (const span of scope.spans ?? []) {
              spans.push({
                traceId: span.traceId,
                spanId: span.spanId,
                ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
                name: span.name,
                kind: span.kind,
                statusCode: span.status?.code ?? 0,
                attributes: attributesOf(span.attributes),
                resource,
              });
            }
          }
        }
      }
      return spans;
    },
    histogramPoints() {
      const points: ReceivedPoint[] = [];
      for (const post of posts.filter((item) => item.path === '/v1/metrics')) {
        const body = post.body as {
          resourceMetrics?: {
            resource?: { attributes?: OtlpKeyValue[] };
            scopeMetrics?: {
              metrics?: {
                name: string;
                unit?: string;
                histogram?: {
                  dataPoints?: { attributes?: OtlpKeyValue[]; count: number | string; sum?: number }[];
                };
              }[];
            }[];
          }[];
        };
        for (const resourceMetrics of body.resourceMetrics ?? []) {
          const resource = attributesOf(resourceMetrics.resource?.attributes);
          for (const scope of resourceMetrics.scopeMetrics ?? []) {
            for (const metric of scope.metrics ?? []) {
              for (const point of metric.histogram?.dataPoints ?? []) {
                points.push({
                  metric: metric.name,
                  unit: metric.unit ?? '',
                  attributes: attributesOf(point.attributes),
                  count: Number(point.count),
                  sum: point.sum ?? 0,
                  resource,
                });
              }
            }
          }
        }
      }
      return points;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
