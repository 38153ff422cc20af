/**
 * OTLP over gRPC: the official `-otlp-grpc` exporters, the channel
 * credentials and metadata they are given, and a forwarder for Claude Code's
 * exports. Imported only when a signal's
 * protocol is `grpc` (see ./otel.ts and ../gateway/otlp-ingest.ts), so a
 * gateway exporting over HTTP never loads @grpc/grpc-js.
 *
 * The credentials and metadata are built here from the gateway's own
 * settings rather than left to the exporters, which would read them from
 * process.env: the gateway reads its environment from one object (tests and
 * library users pass their own).
 */

import { type ChannelCredentials, Client, credentials, Metadata, type status } from '@grpc/grpc-js';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { GrpcTransport } from './grpc-settings.js';
import type { OtlpSignal } from './otlp-schema.js';

/** Plaintext or TLS, with the certificates the environment named. */
export function channelCredentials(transport: GrpcTransport | undefined): ChannelCredentials {
  if (!transport || transport.insecure) return credentials.createInsecure();
  return credentials.createSsl(
    transport.certificate ?? null,
    transport.clientKey ?? null,
    transport.clientCertificate ?? null,
  );
}

/** The export headers as gRPC metadata (whose keys are lower-case). */
export function metadataOf(headers: Readonly<Record<string, string>>): Metadata {
  const metadata = new Metadata();
  for (const [name, value] of Object.entries(headers)) metadata.set(name.toLowerCase(), value);
  return metadata;
}

export function grpcTraceExporter(
  url: string,
  headers: Readonly<Record<string, string>>,
  transport: GrpcTransport | undefined,
): SpanExporter {
  return new OTLPTraceExporter({
    url,
    credentials: channelCredentials(transport),
    metadata: metadataOf(headers),
  });
}

export function grpcMetricExporter(
  url: string,
  headers: Readonly<Record<string, string>>,
  transport: GrpcTransport | undefined,
): PushMetricExporter {
  return new OTLPMetricExporter({
    url,
    credentials: channelCredentials(transport),
    metadata: metadataOf(headers),
  });
}

/** The OTLP collector services' Export methods, by signal. */
const EXPORT_METHODS: Readonly<Record<OtlpSignal, string>> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};

const passthrough = (bytes: Buffer) => bytes;

/** The receiver's answer to one forwarded export: its response message, or a gRPC status. */
export type GrpcExportResult = { ok: true; response: Buffer } | { ok: false; code: status; details: string };

/**
 * Forwards exports that are already protobuf (Claude Code's, stamped) to one
 * OTLP/gRPC receiver over one channel, bytes as they are: the exporters'
 * transport takes the SDK's own data, not bytes from elsewhere.
 */
export class GrpcForwarder {
  private readonly client: Client;

  constructor(url: string, transport: GrpcTransport | undefined) {
    // The channel's target is host:port; the scheme only said plaintext or TLS (see ./grpc-settings.ts).
    const address = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`).host;
    this.client = new Client(address, channelCredentials(transport), {
      'grpc.primary_user_agent': 'claude-gateway',
    });
  }

  export(
    signal: OtlpSignal,
    bytes: Uint8Array,
    headers: Readonly<Record<string, string>>,
    abort: AbortSignal,
    timeoutMs: number,
  ): Promise<GrpcExportResult> {
    return new Promise((resolve) => {
      const call = this.client.makeUnaryRequest(
        EXPORT_METHODS[signal],
        passthrough,
        passthrough,
        Buffer.from(bytes),
        metadataOf(headers),
        { deadline: Date.now() + timeoutMs },
        (error, response) => {
          abort.removeEventListener('abort', cancel);
          if (error) resolve({ ok: false, code: error.code, details: error.details });
          else resolve({ ok: true, response: response ?? Buffer.alloc(0) });
        },
      );
      const cancel = () => call.cancel();
      abort.addEventListener('abort', cancel, { once: true });
    });
  }

  close(): void {
    this.client.close();
  }
}
