/**
 * The OpenTelemetry SDK behind GatewayTelemetry: loaded only when an OTLP
 * endpoint is configured (see ./telemetry.ts). Uses its own tracer and meter
 * providers, never the global ones, so a library user's own OpenTelemetry
 * setup is left alone and several gateways in one process stay apart.
 */

import { readFileSync } from 'node:fs';
import {
  type Attributes,
  type Context,
  defaultTextMapSetter,
  type Histogram,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { type ExportResult, ExportResultCode, W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type InstrumentType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type ReadableSpan,
  type Sampler,
  type SpanExporter,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { AttemptReport } from '../engine/engine.js';
import { targetKey } from '../engine/targets.js';
import type { RequestFacts } from '../store/types.js';
import {
  GATEWAY,
  GEN_AI,
  GEN_AI_BUCKETS,
  GEN_AI_METRICS,
  GENERAL,
  operationName,
  providerName,
} from './genai.js';
import type { SamplerSettings, TelemetrySettings } from './settings.js';
import type { GatewayTelemetry, RequestStart, RequestTelemetry, TelemetryLogger } from './telemetry.js';

/** The longest a stop waits for the last export (an unreachable receiver must not hold the shutdown). */
const SHUTDOWN_WAIT_MS = 5_000;

const propagator = new W3CTraceContextPropagator();

const headerGetter: TextMapGetter<RequestStart> = {
  keys: () => ['traceparent', 'tracestate'],
  get: (carrier, key) => carrier.header(key.toLowerCase()),
};

function packageVersion(): string | undefined {
  try {
    // src/telemetry/otel.ts and dist/telemetry/otel.js both sit two folders below package.json.
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    return (JSON.parse(text) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Says once when exports start failing and once when they work again, instead of every batch. */
class ExportHealth {
  private failing = false;

  constructor(
    private readonly logger: TelemetryLogger,
    private readonly signal: 'traces' | 'metrics',
    private readonly url: string,
  ) {}

  report(result: ExportResult): void {
    if (result.code === ExportResultCode.SUCCESS) {
      if (this.failing)
        this.logger.info({ component: 'telemetry', url: this.url }, `${this.signal} export works again`);
      this.failing = false;
      return;
    }
    if (this.failing) return;
    this.failing = true;
    this.logger.warn(
      { component: 'telemetry', url: this.url, err: result.error?.message },
      `cannot export OpenTelemetry ${this.signal} to ${this.url}: they are dropped until the receiver answers`,
    );
  }
}

/**
 * The official OTLP span exporter for the signal's transport. Each is
 * imported only when chosen: the other encodings' code (and for HTTP, all
 * of gRPC) is never loaded.
 */
async function traceExporter(settings: TelemetrySettings, url: string): Promise<SpanExporter> {
  const headers = settings.tracesHeaders;
  if (settings.tracesProtocol === 'grpc') {
    return (await import('./otlp-grpc.js')).grpcTraceExporter(url, headers, settings.tracesGrpc);
  }
  const { OTLPTraceExporter } =
    settings.tracesProtocol === 'http/protobuf'
      ? await import('@opentelemetry/exporter-trace-otlp-proto')
      : await import('@opentelemetry/exporter-trace-otlp-http');
  return new OTLPTraceExporter({ url, headers });
}

/** The official OTLP metric exporter for the signal's transport, imported only when chosen. */
async function metricExporter(settings: TelemetrySettings, url: string): Promise<PushMetricExporter> {
  const headers = settings.metricsHeaders;
  if (settings.metricsProtocol === 'grpc') {
    return (await import('./otlp-grpc.js')).grpcMetricExporter(url, headers, settings.metricsGrpc);
  }
  const { OTLPMetricExporter } =
    settings.metricsProtocol === 'http/protobuf'
      ? await import('@opentelemetry/exporter-metrics-otlp-proto')
      : await import('@opentelemetry/exporter-metrics-otlp-http');
  return new OTLPMetricExporter({ url, headers });
}

/** An official span exporter, reporting its results to `health`. */
class LoggedTraceExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly health: ExportHealth,
  ) {}

  export(items: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(items, (result) => {
      this.health.report(result);
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** An official metric exporter, reporting its results to `health`. */
class LoggedMetricExporter implements PushMetricExporter {
  constructor(
    private readonly inner: PushMetricExporter,
    private readonly health: ExportHealth,
  ) {}

  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    this.inner.export(metrics, (result) => {
      this.health.report(result);
      done(result);
    });
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return this.inner.selectAggregationTemporality?.(instrumentType) ?? AggregationTemporality.CUMULATIVE;
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
}

/** The SDK's own samplers, as OTEL_TRACES_SAMPLER names them. */
export function samplerFor(settings: SamplerSettings): Sampler {
  const root =
    settings.name === 'always_off'
      ? new AlwaysOffSampler()
      : settings.name === 'traceidratio'
        ? new TraceIdRatioBasedSampler(settings.ratio)
        : new AlwaysOnSampler();
  return settings.parentBased ? new ParentBasedSampler({ root }) : root;
}

interface Instruments {
  tokenUsage: Histogram;
  requestDuration: Histogram;
  timeToFirstToken: Histogram;
}

/** The exporters a gateway's telemetry starts with: one per signal it exports. */
interface Exporters {
  traces?: SpanExporter;
  metrics?: PushMetricExporter;
}

/** OTLP (HTTP with JSON or protobuf, or gRPC) traces and GenAI metrics for one gateway. */
export class OtelTelemetry implements GatewayTelemetry {
  private readonly tracerProvider: TracerProvider | undefined;
  private readonly meterProvider: MeterProvider | undefined;
  readonly tracer: Tracer | undefined;
  readonly instruments: Instruments | undefined;

  /** Loads the exporters the settings ask for, and starts. */
  static async start(settings: TelemetrySettings, logger: TelemetryLogger): Promise<OtelTelemetry> {
    return new OtelTelemetry(settings, logger, {
      ...(settings.tracesUrl ? { traces: await traceExporter(settings, settings.tracesUrl) } : {}),
      ...(settings.metricsUrl ? { metrics: await metricExporter(settings, settings.metricsUrl) } : {}),
    });
  }

  private constructor(settings: TelemetrySettings, logger: TelemetryLogger, exporters: Exporters) {
    const version = packageVersion();
    const resource = resourceFromAttributes({
      ...settings.resourceAttributes,
      [ATTR_SERVICE_NAME]: settings.serviceName,
      ...(version ? { [ATTR_SERVICE_VERSION]: version } : {}),
    });
    if (settings.tracesUrl && exporters.traces) {
      const exporter = new LoggedTraceExporter(
        exporters.traces,
        new ExportHealth(logger, 'traces', settings.tracesUrl),
      );
      this.tracerProvider = new TracerProvider({
        resource,
        sampler: samplerFor(settings.sampler),
        spanProcessors: [new BatchSpanProcessor({ exporter })],
      });
      this.tracer = this.tracerProvider.getTracer('claude-gateway', version);
    }
    if (settings.metricsUrl && exporters.metrics) {
      const exporter = new LoggedMetricExporter(
        exporters.metrics,
        new ExportHealth(logger, 'metrics', settings.metricsUrl),
      );
      this.meterProvider = new MeterProvider({
        resource,
        readers: [
          new PeriodicExportingMetricReader({
            exporter,
            exportIntervalMillis: settings.metricsIntervalMs,
            exportTimeoutMillis: Math.min(30_000, settings.metricsIntervalMs),
          }),
        ],
      });
      const meter = this.meterProvider.getMeter('claude-gateway', version);
      this.instruments = {
        tokenUsage: meter.createHistogram(GEN_AI_METRICS.tokenUsage, {
          description: 'Number of input and output tokens used',
          unit: '{token}',
          advice: { explicitBucketBoundaries: [...GEN_AI_BUCKETS.tokens] },
        }),
        requestDuration: meter.createHistogram(GEN_AI_METRICS.requestDuration, {
          description: 'Generative AI server request duration such as time-to-last byte or last output token',
          unit: 's',
          advice: { explicitBucketBoundaries: [...GEN_AI_BUCKETS.durationSeconds] },
        }),
        timeToFirstToken: meter.createHistogram(GEN_AI_METRICS.timeToFirstToken, {
          description: 'Time to generate first token for successful responses',
          unit: 's',
          advice: { explicitBucketBoundaries: [...GEN_AI_BUCKETS.firstTokenSeconds] },
        }),
      };
    }
  }

  startRequest(start: RequestStart): RequestTelemetry {
    return new OtelRequest(this, start);
  }

  async shutdown(): Promise<void> {
    const done = Promise.allSettled([this.tracerProvider?.shutdown(), this.meterProvider?.shutdown()]);
    await Promise.race([done, new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref())]);
  }
}

function numberField(body: Readonly<Record<string, unknown>>, name: string): number | undefined {
  const value = body[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** One request's spans and metrics. */
class OtelRequest implements RequestTelemetry {
  private readonly span: Span | undefined;
  private readonly parent: Context;
  private readonly operation: string;
  private readonly attemptSpans = new Map<AttemptReport, Span>();
  private finished = false;
  readonly engineOptions: RequestTelemetry['engineOptions'];

  constructor(
    private readonly owner: OtelTelemetry,
    start: RequestStart,
  ) {
    this.operation = operationName(start.operation);
    // The client's trace context (W3C traceparent) is the request span's parent; without one a trace starts here.
    const clientContext = propagator.extract(ROOT_CONTEXT, start, headerGetter);
    this.span = owner.tracer?.startSpan(
      this.operation,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [GEN_AI.operationName]: this.operation,
          [GATEWAY.requestId]: start.requestId,
          [GATEWAY.dialect]: start.dialect,
        },
      },
      clientContext,
    );
    // With tracing off (metrics only) the client's context still goes upstream unchanged.
    this.parent = this.span ? trace.setSpan(ROOT_CONTEXT, this.span) : clientContext;
    this.engineOptions = {
      attemptHeaders: (report) => this.attemptStarted(report),
      onAttempt: (report) => this.attemptEnded(report),
    };
  }

  request(body: Readonly<Record<string, unknown>>): void {
    if (!this.span) return;
    const maxTokens = numberField(body, 'max_tokens');
    const temperature = numberField(body, 'temperature');
    const topP = numberField(body, 'top_p');
    const topK = numberField(body, 'top_k');
    const stop = body['stop_sequences'];
    this.span.setAttributes({
      ...(maxTokens !== undefined ? { [GEN_AI.requestMaxTokens]: maxTokens } : {}),
      ...(temperature !== undefined ? { [GEN_AI.requestTemperature]: temperature } : {}),
      ...(topP !== undefined ? { [GEN_AI.requestTopP]: topP } : {}),
      ...(topK !== undefined ? { [GEN_AI.requestTopK]: topK } : {}),
      ...(Array.isArray(stop) && stop.every((item) => typeof item === 'string')
        ? { [GEN_AI.requestStopSequences]: stop as string[] }
        : {}),
    });
  }

  private attemptStarted(report: AttemptReport): Record<string, string> {
    const headers: Record<string, string> = {};
    const tracer = this.owner.tracer;
    if (!tracer) {
      propagator.inject(this.parent, headers, defaultTextMapSetter);
      return headers;
    }
    const target = report.target;
    const provider = providerName(target.platform);
    const span = tracer.startSpan(
      `${this.operation} ${target.modelId}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [GEN_AI.operationName]: this.operation,
          ...(provider ? { [GEN_AI.providerName]: provider } : {}),
          [GEN_AI.requestModel]: target.modelId,
          [GATEWAY.attempt]: report.attempt,
          [GATEWAY.platform]: target.platform,
          ...(target.region ? { [GATEWAY.region]: target.region } : {}),
          [GATEWAY.target]: targetKey(target),
        },
      },
      this.parent,
    );
    this.attemptSpans.set(report, span);
    // The upstream request carries the attempt's span as its parent: a platform that traces joins this trace.
    propagator.inject(trace.setSpan(ROOT_CONTEXT, span), headers, defaultTextMapSetter);
    return headers;
  }

  private attemptEnded(report: AttemptReport): void {
    const span = this.attemptSpans.get(report);
    if (!span) return;
    span.setAttributes({
      [GATEWAY.outcome]: report.outcome,
      ...(report.status !== undefined ? { [GENERAL.httpStatus]: report.status } : {}),
      ...(report.error ? { [GENERAL.errorType]: report.error.upstreamCode ?? report.error.type } : {}),
    });
    // A successful attempt goes on while its answer streams: it ends with the request, with the usage.
    if (report.outcome === 'success') return;
    if (report.error) span.setStatus({ code: SpanStatusCode.ERROR, message: report.error.message });
    this.attemptSpans.delete(report);
    span.end();
  }

  finish(record: Readonly<RequestFacts>): void {
    if (this.finished) return;
    this.finished = true;
    const provider = providerName(record.platform);
    const answered = record.status < 400 && record.upstreamModelId !== undefined;
    const inputTokens = record.inputTokens + record.cacheReadTokens + record.cacheWriteTokens;
    // A count-tokens answer is a count, not usage.
    const hasUsage = this.operation === 'chat' && (inputTokens > 0 || record.outputTokens > 0);
    const usage: Attributes = hasUsage
      ? {
          // The conventions count every input token, cached ones included, in input_tokens.
          [GEN_AI.usageInputTokens]: inputTokens,
          [GEN_AI.usageOutputTokens]: record.outputTokens,
          [GEN_AI.usageCacheReadInputTokens]: record.cacheReadTokens,
          [GEN_AI.usageCacheCreationInputTokens]: record.cacheWriteTokens,
        }
      : {};
    const response: Attributes = {
      ...(answered ? { [GEN_AI.responseModel]: record.upstreamModelId as string } : {}),
      ...(record.stopReason ? { [GEN_AI.responseFinishReasons]: [record.stopReason] } : {}),
    };
    const error = record.errorType;
    // An HTTP server span is an error for a 5xx, and for an answer that failed after its first byte.
    const failed = record.status >= 500 || (record.status < 400 && error !== undefined);

    for (const [report, span] of this.attemptSpans) {
      span.setAttributes(report.outcome === 'success' ? { ...usage, ...response } : {});
      if (report.outcome === 'success' && failed)
        span.setStatus({ code: SpanStatusCode.ERROR, message: record.errorMessage ?? '' });
      span.end();
    }
    this.attemptSpans.clear();

    if (this.span) {
      if (record.requestedModel) this.span.updateName(`${this.operation} ${record.requestedModel}`);
      this.span.setAttributes({
        ...(provider ? { [GEN_AI.providerName]: provider } : {}),
        ...(record.requestedModel ? { [GEN_AI.requestModel]: record.requestedModel } : {}),
        [GEN_AI.requestStream]: record.stream,
        ...response,
        ...usage,
        ...(record.sessionId
          ? { [GEN_AI.conversationId]: record.sessionId, [GATEWAY.session]: record.sessionId }
          : {}),
        ...(record.keyName ? { [GATEWAY.keyName]: record.keyName } : {}),
        ...(record.costUsd !== undefined ? { [GATEWAY.costUsd]: record.costUsd } : {}),
        ...(record.costEstimated ? { [GATEWAY.costEstimated]: true } : {}),
        ...(record.model ? { [GATEWAY.model]: record.model } : {}),
        ...(record.platform ? { [GATEWAY.platform]: record.platform } : {}),
        ...(record.region ? { [GATEWAY.region]: record.region } : {}),
        [GATEWAY.attempts]: record.attemptCount,
        ...(record.changes.length > 0 ? { [GATEWAY.changes]: [...record.changes] } : {}),
        ...(record.clientDisconnected ? { [GATEWAY.clientDisconnected]: true } : {}),
        [GENERAL.httpStatus]: record.status,
        ...(error ? { [GENERAL.errorType]: error } : {}),
      });
      if (failed) this.span.setStatus({ code: SpanStatusCode.ERROR, message: record.errorMessage ?? '' });
      this.span.end();
    }

    const instruments = this.owner.instruments;
    if (!instruments) return;
    // Metric attributes stay few: a model the catalog does not know is `other` (clients may send any string).
    const attributes: Attributes = {
      [GEN_AI.operationName]: this.operation,
      ...(provider ? { [GEN_AI.providerName]: provider } : {}),
      ...(record.requestedModel ? { [GEN_AI.requestModel]: record.model ?? 'other' } : {}),
      ...(answered
        ? { [GEN_AI.responseModel]: record.model ? (record.upstreamModelId as string) : 'other' }
        : {}),
      ...(error ? { [GENERAL.errorType]: error } : {}),
    };
    if (record.durationMs !== undefined)
      instruments.requestDuration.record(record.durationMs / 1000, attributes);
    if (hasUsage) {
      instruments.tokenUsage.record(inputTokens, { ...attributes, [GEN_AI.tokenType]: 'input' });
      instruments.tokenUsage.record(record.outputTokens, { ...attributes, [GEN_AI.tokenType]: 'output' });
    }
    if (record.stream && answered && !error && record.ttfbMs !== undefined)
      instruments.timeToFirstToken.record(record.ttfbMs / 1000, attributes);
  }
}
