/**
 * OpenTelemetry for the gateway: a span per request and per upstream attempt
 * (GenAI semantic conventions), W3C trace context continued from the client
 * and passed upstream, and the GenAI metrics, exported over OTLP (HTTP or gRPC).
 *
 * This module only decides whether telemetry is on; the SDK lives in
 * `./otel.js`, imported only then, so a gateway without an endpoint loads
 * none of it and its requests pay one optional-chaining check.
 */

import type { AttemptReport } from '../engine/engine.js';
import type { RequestFacts } from '../store/types.js';
import { type TelemetryConfig, telemetrySettings } from './settings.js';

/** The gateway's logger, as telemetry uses it (pino's shape). */
export interface TelemetryLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
}

/** One request's telemetry: its span, the attempts' spans, its metrics. */
export interface RequestTelemetry {
  /** The request's Messages body is read: its `max_tokens`, `temperature`… become span attributes. */
  request(body: Readonly<Record<string, unknown>>): void;
  /**
   * What the engine calls (spread into its ExecuteOptions): a span starts
   * with each attempt, and its trace context goes upstream in the attempt's headers.
   */
  readonly engineOptions: {
    attemptHeaders(report: AttemptReport): Record<string, string>;
    onAttempt(report: AttemptReport): void;
  };
  /** The request's finished row: the spans end and the metrics are recorded. Later calls do nothing. */
  finish(record: Readonly<RequestFacts>): void;
}

export interface RequestStart {
  requestId: string;
  dialect: string;
  operation: string;
  /** A request header (lower-case name): `traceparent`, `tracestate`. */
  header(name: string): string | undefined;
}

export interface GatewayTelemetry {
  startRequest(start: RequestStart): RequestTelemetry;
  /** Exports what is pending and stops the exporters. */
  shutdown(): Promise<void>;
}

/**
 * Starts telemetry when an OTLP endpoint is configured (the file's
 * `telemetry.otlpEndpoint`, or OTEL_EXPORTER_OTLP_ENDPOINT and its
 * per-signal variants); undefined otherwise, without loading the SDK.
 */
export async function startTelemetry(
  config: TelemetryConfig | undefined,
  env: Readonly<Record<string, string | undefined>>,
  logger: TelemetryLogger,
): Promise<GatewayTelemetry | undefined> {
  const settings = telemetrySettings(config, env);
  if (!settings) return undefined;
  const { OtelTelemetry } = await import('./otel.js');
  const telemetry = await OtelTelemetry.start(settings, logger);
  logger.info(
    {
      component: 'telemetry',
      ...(settings.tracesUrl ? { traces: settings.tracesUrl } : {}),
      ...(settings.metricsUrl ? { metrics: settings.metricsUrl } : {}),
      protocol: settings.tracesUrl ? settings.tracesProtocol : settings.metricsProtocol,
    },
    `exporting OpenTelemetry traces and metrics over OTLP/${(settings.tracesUrl ? settings.tracesProtocol : settings.metricsProtocol) === 'grpc' ? 'gRPC' : 'HTTP'}`,
  );
  return telemetry;
}
