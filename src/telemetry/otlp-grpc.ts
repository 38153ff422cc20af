/**
 * OTLP over gRPC: the official `-otlp-grpc` exporters, and the channel
 * credentials and metadata they are given. Imported only when a signal's
 * protocol is `grpc` (see ./otel.ts and ../gateway/otlp-ingest.ts), so a
 * gateway exporting over HTTP never loads @grpc/grpc-js.
 *
 * The credentials and metadata are built here from the gateway's own
 * settings rather than left to the exporters, which would read them from
 * process.env: the gateway reads its environment from one object (tests and
 * library users pass their own).
 */

import { type ChannelCredentials, credentials, Metadata } from '@grpc/grpc-js';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { GrpcTransport } from './grpc-settings.js';

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
