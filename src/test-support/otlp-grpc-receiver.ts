/**
 * Test-only: an OTLP/gRPC receiver on a free loopback port, a real
 * `@grpc/grpc-js` server with the three OTLP collector services
 * (`opentelemetry.proto.collector.{trace,metrics,logs}.v1.*Service/Export`),
 * plaintext or TLS. Each call is decoded with the suite's protobufjs schema
 * (../telemetry/otlp-schema.ts) and kept like the OTLP/HTTP receiver's posts
 * (under its signal's `/v1/…` path, metadata as headers), so the same views
 * read it.
 */

import {
  type Metadata,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type sendUnaryData,
  type status,
} from '@grpc/grpc-js';
import { EXPORT_REQUESTS, type OtlpSignal } from '../telemetry/otlp-schema.js';
import { hexIds, type OtlpReceiver, receivedViews } from './otlp-receiver.js';

const SERVICES: Readonly<Record<OtlpSignal, string>> = {
  traces: 'opentelemetry.proto.collector.trace.v1.TraceService',
  metrics: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
  logs: 'opentelemetry.proto.collector.logs.v1.LogsService',
};

const passthrough = (bytes: Buffer) => bytes;

export interface OtlpGrpcReceiver extends Omit<OtlpReceiver, 'answerWith'> {
  /** `http://127.0.0.1:<port>`, or `https://localhost:<port>` with TLS. */
  url: string;
  /** The gRPC status the next exports are answered with (OK by default). */
  answerWith(code: status): void;
}

function headersOf(metadata: Metadata): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata.getMap())) headers[name] = String(value);
  return headers;
}

/** Starts the receiver; with `tls`, it speaks only TLS with that certificate. */
export async function startOtlpGrpcReceiver(
  options: { tls?: { cert: Buffer; key: Buffer } } = {},
): Promise<OtlpGrpcReceiver> {
  const posts: OtlpReceiver['posts'] = [];
  let answer = 0;
  const server = new Server();
  for (const [signal, service] of Object.entries(SERVICES) as [OtlpSignal, string][]) {
    const definition = {
      export: {
        path: `/${service}/Export`,
        requestStream: false,
        responseStream: false,
        requestSerialize: passthrough,
        requestDeserialize: passthrough,
        responseSerialize: passthrough,
        responseDeserialize: passthrough,
      },
    };
    server.addService(definition, {
      export: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
        const type = EXPORT_REQUESTS[signal].type;
        let body: unknown;
        try {
          body = hexIds(type.toObject(type.decode(call.request), { longs: String, bytes: String }));
        } catch (error) {
          callback({ code: 3, details: `not an OTLP ${signal} export: ${(error as Error).message}` });
          return;
        }
        posts.push({
          path: `/v1/${signal}`,
          headers: headersOf(call.metadata),
          body,
          encoding: 'grpc',
          raw: call.request,
        });
        if (answer !== 0) callback({ code: answer, details: 'refused by the test' });
        // An empty Export*ServiceResponse: everything accepted.
        else callback(null, Buffer.alloc(0));
      },
    });
  }
  const credentials = options.tls
    ? ServerCredentials.createSsl(
        null,
        [{ private_key: options.tls.key, cert_chain: options.tls.cert }],
        false,
      )
    : ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    // With TLS the name the certificate carries (a TLS server name cannot be an IP address).
    url: options.tls ? `https://localhost:${port}` : `http://127.0.0.1:${port}`,
    posts,
    answerWith(code) {
      answer = code;
    },
    ...receivedViews(posts),
    close: () =>
      new Promise<void>((resolve) => {
        // A connection still open (an exporter's) must not hold the test.
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 1_000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
