/**
 * Test-only: an OTLP/HTTP receiver on a free loopback port. It accepts
 * `POST /v1/traces`, `/v1/metrics` and `/v1/logs` in the JSON encoding (what
 * `@opentelemetry/exporter-*-otlp-http` sends) and in binary protobuf (the
 * `-otlp-proto` exporters), gzipped or not, keeps what arrives (protobuf
 * decoded into OTLP/JSON's shape, ids as hex), and flattens it into spans,
 * histogram points and log records a test can read.
 */

import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { EXPORT_REQUESTS, type OtlpSignal } from '../telemetry/otlp-schema.js';

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
  /**
   * Each POST as it arrived: path, headers (lower-case), body as OTLP/JSON, and the encoding it came in
   * (a gRPC receiver files each call under its signal's OTLP/HTTP path, with the metadata as headers).
   */
  posts: {
    path: string;
    headers: Record<string, string | string[] | undefined>;
    body: unknown;
    encoding: 'json' | 'protobuf' | 'grpc';
    /** The bytes as they arrived (after gzip). */
    raw: Buffer;
  }[];
  /** Resource attributes of every log record batch received. */
  logResources(): Record<string, AttributeValue>[];
  /** The status the next exports are answered with (200 by default). */
  answerWith(status: number): void;
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

const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

/** protobufjs' object (bytes as base64) in OTLP/JSON's shape: trace and span ids as hex. */
export function hexIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hexIds);
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    result[key] =
      ID_FIELDS.has(key) && typeof item === 'string'
        ? Buffer.from(item, 'base64').toString('hex')
        : hexIds(item);
  }
  return result;
}

const SIGNALS: Record<string, OtlpSignal> = {
  '/v1/traces': 'traces',
  '/v1/metrics': 'metrics',
  '/v1/logs': 'logs',
};

/** What a receiver's posts hold, flattened for a test: resources of log batches, spans, histogram points. */
export function receivedViews(
  posts: readonly { path: string; body: unknown }[],
): Pick<OtlpReceiver, 'logResources' | 'spans' | 'histogramPoints'> {
  return {
    logResources() {
      const resources: Record<string, AttributeValue>[] = [];
      for (const post of posts.filter((item) => item.path === '/v1/logs')) {
        const body = post.body as { resourceLogs?: { resource?: { attributes?: OtlpKeyValue[] } }[] };
        for (const item of body.resourceLogs ?? []) resources.push(attributesOf(item.resource?.attributes));
      }
      return resources;
    },
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
  };
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const posts: OtlpReceiver['posts'] = [];
  let status = 200;
  const server = createServer((request, response) => {
    void (async () => {
      const path = request.url ?? '';
      const signal = SIGNALS[path];
      if (request.method !== 'POST' || !signal) {
        response.writeHead(404).end();
        return;
      }
      const contentType = String(request.headers['content-type']);
      const bytes = await readBody(request);
      let body: unknown;
      let encoding: 'json' | 'protobuf';
      if (contentType.startsWith('application/json')) {
        body = JSON.parse(bytes.toString('utf8')) as unknown;
        encoding = 'json';
      } else if (contentType.startsWith('application/x-protobuf')) {
        const type = EXPORT_REQUESTS[signal].type;
        body = hexIds(type.toObject(type.decode(bytes), { longs: String, bytes: String }));
        encoding = 'protobuf';
      } else {
        response.writeHead(415, { 'content-type': 'text/plain' }).end('OTLP/JSON or protobuf only');
        return;
      }
      posts.push({ path, headers: { ...request.headers }, body, encoding, raw: bytes });
      response
        .writeHead(status, {
          'content-type': encoding === 'json' ? 'application/json' : 'application/x-protobuf',
        })
        .end(encoding === 'json' ? (status === 200 ? '{}' : '{"code":8,"message":"slow down"}') : '');
    })().catch(() => response.writeHead(400).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    answerWith(next) {
      status = next;
    },
    ...receivedViews(posts),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
