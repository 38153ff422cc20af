/**
 * Where OpenTelemetry data goes, from the configuration's `telemetry:`
 * section and the standard OTEL_* environment variables. Nothing here loads
 * the SDK (a gateway without an endpoint pays nothing for it); the only I/O
 * is reading the certificate files OTLP/gRPC's variables name (./grpc-settings.ts).
 */

import { type GrpcTransport, grpcEndpoint, grpcTransport } from './grpc-settings.js';
import { TRACE_SAMPLERS, type TraceSamplerName } from './samplers.js';

/** The `telemetry:` section as the schema leaves it. */
export interface TelemetryConfig {
  /** Base URL of an OTLP/HTTP receiver (`/v1/traces` and `/v1/metrics` are appended), or an OTLP/gRPC receiver's address. */
  otlpEndpoint?: string | undefined;
  /** Headers sent with every export (an API key for a hosted backend). */
  headers?: Readonly<Record<string, string>> | undefined;
  serviceName?: string | undefined;
  /** How often metrics are exported. */
  metricsIntervalMs?: number | undefined;
  /** The OTLP transport: HTTP with JSON or binary protobuf, or gRPC. */
  protocol?: OtlpProtocol | undefined;
  /** Which traces are kept; when set, OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG are not read. */
  sampler?: { type: TraceSamplerName; ratio?: number | undefined } | undefined;
  /** Accept Claude Code's own OTLP at /v1/metrics, /v1/logs and /v1/traces and forward it to the receiver. */
  forwardClaudeCode?: boolean | undefined;
}

/** The OTLP transports the exporters speak, by OTEL_EXPORTER_OTLP_PROTOCOL's names. */
export type OtlpProtocol = 'http/json' | 'http/protobuf' | 'grpc';

/** Which traces are kept: `telemetry.sampler`, or OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG, checked. */
export interface SamplerSettings {
  name: 'always_on' | 'always_off' | 'traceidratio';
  /** Whether a client's sampled flag decides for its requests (the `parentbased_*` samplers). */
  parentBased: boolean;
  /** For `traceidratio`: the share of new traces kept, 0 to 1. */
  ratio: number;
}

/** Where Claude Code's telemetry goes: the receiver's URL per signal, and the export headers. */
export interface ForwardSettings {
  urls: { traces?: string; metrics?: string; logs?: string };
  headers: { traces: Record<string, string>; metrics: Record<string, string>; logs: Record<string, string> };
  /** The signals forwarded over OTLP/gRPC (their URL is then the receiver's address), with their transport. */
  grpc: { traces?: GrpcTransport; metrics?: GrpcTransport; logs?: GrpcTransport };
}

/** What the exporters are started with. */
export interface TelemetrySettings {
  /** Full URL of the traces receiver; undefined: no traces. */
  tracesUrl?: string;
  /** Full URL of the metrics receiver; undefined: no metrics. */
  metricsUrl?: string;
  tracesHeaders: Record<string, string>;
  metricsHeaders: Record<string, string>;
  serviceName: string;
  /** `OTEL_RESOURCE_ATTRIBUTES`, parsed. */
  resourceAttributes: Record<string, string>;
  metricsIntervalMs: number;
  tracesProtocol: OtlpProtocol;
  metricsProtocol: OtlpProtocol;
  /** With gRPC: plaintext or TLS, and the certificates. */
  tracesGrpc?: GrpcTransport;
  metricsGrpc?: GrpcTransport;
  sampler: SamplerSettings;
}

type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_SERVICE_NAME = 'claude-gateway';
const DEFAULT_METRICS_INTERVAL_MS = 60_000;

function envValue(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/**
 * `key=value,key2=value2` with percent-encoded values, as the OTLP exporter
 * specification writes `OTEL_EXPORTER_OTLP_HEADERS` and `OTEL_RESOURCE_ATTRIBUTES`.
 * A pair without `=` is skipped.
 */
export function parseKeyValueList(text: string | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const key = decodeOrKeep(pair.slice(0, at).trim());
    if (!key) continue;
    result[key] = decodeOrKeep(pair.slice(at + 1).trim());
  }
  return result;
}

function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function checkedUrl(value: string, source: string): string {
  try {
    const parsed = new URL(value);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
    return value;
  } catch {
    throw new Error(`${source}: "${value}" is not an http(s) URL (e.g. http://127.0.0.1:4318)`);
  }
}

function appendPath(base: string, path: string): string {
  return `${base.endsWith('/') ? base : `${base}/`}${path}`;
}

type Signal = 'TRACES' | 'METRICS' | 'LOGS';

/** One signal's receiver URL, unless OTEL_<SIGNAL>_EXPORTER=none turns the gateway's own export of it off. */
function signalUrl(
  config: TelemetryConfig | undefined,
  env: Env,
  signal: Signal,
  protocol: OtlpProtocol,
): string | undefined {
  if (envValue(env, `OTEL_${signal}_EXPORTER`) === 'none') return undefined;
  return receiverUrl(config, env, signal, protocol);
}

/**
 * A signal's receiver URL, whether or not the gateway itself exports that
 * signal: the file's endpoint wins, then the signal's own variable, then the
 * shared one. Over HTTP the shared endpoint is a base URL and gets
 * `/v1/<signal>`; over gRPC every endpoint is the receiver's address, used as it is.
 */
function receiverUrl(
  config: TelemetryConfig | undefined,
  env: Env,
  signal: Signal,
  protocol: OtlpProtocol,
): string | undefined {
  const path = `v1/${signal.toLowerCase()}`;
  const checked = (value: string, source: string) =>
    protocol === 'grpc' ? grpcEndpoint(value, source) : checkedUrl(value, source);
  const base = (value: string, source: string) =>
    protocol === 'grpc' ? checked(value, source) : appendPath(checked(value, source), path);
  if (config?.otlpEndpoint) return base(config.otlpEndpoint, 'telemetry.otlpEndpoint');
  const specificName = `OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`;
  const specific = envValue(env, specificName);
  // The signal's own variable is the full URL, used as it is (the specification says so).
  if (specific) return checked(specific, specificName);
  const shared = envValue(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (shared) return base(shared, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  return undefined;
}

const PROTOCOLS: readonly string[] = ['http/json', 'http/protobuf', 'grpc'];

/** A signal's OTLP transport: the file's, then the signal's variable, then the shared one; JSON over HTTP by default. */
function signalProtocol(config: TelemetryConfig | undefined, env: Env, signal: Signal): OtlpProtocol {
  if (config?.protocol) return config.protocol;
  for (const name of [`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`, 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
    const value = envValue(env, name);
    if (!value) continue;
    if (PROTOCOLS.includes(value)) return value as OtlpProtocol;
    throw new Error(`${name}: "${value}" is not supported; use grpc, http/protobuf or http/json`);
  }
  return 'http/json';
}

/** A sampler name split into the root sampler and whether a client's sampled flag decides first. */
function samplerOf(value: TraceSamplerName, ratio: number): SamplerSettings {
  return {
    name: value.replace(/^parentbased_/, '') as SamplerSettings['name'],
    parentBased: value.startsWith('parentbased_'),
    ratio,
  };
}

/**
 * Which traces are kept. The file's `telemetry.sampler` wins, and then the
 * environment is not read at all (OpenTelemetry's declarative configuration
 * does the same: with a file, OTEL_* variables count only where the file
 * names them, `${OTEL_TRACES_SAMPLER}`). Without it, OTEL_TRACES_SAMPLER and
 * OTEL_TRACES_SAMPLER_ARG as the SDK environment specification defines them
 * (default `parentbased_always_on`; the ratio defaults to 1). A sampler the
 * gateway does not have, or a ratio outside 0–1, throws, naming the variable
 * (the schema checks the file's key).
 */
export function samplerSettings(config: TelemetryConfig['sampler'], env: Env): SamplerSettings {
  if (config) return samplerOf(config.type, config.ratio ?? 1);
  const value = envValue(env, 'OTEL_TRACES_SAMPLER')?.toLowerCase() ?? 'parentbased_always_on';
  if (!(TRACE_SAMPLERS as readonly string[]).includes(value)) {
    throw new Error(`OTEL_TRACES_SAMPLER: "${value}" is not one of ${TRACE_SAMPLERS.join(', ')}`);
  }
  const argument = envValue(env, 'OTEL_TRACES_SAMPLER_ARG');
  let ratio = 1;
  if (value.endsWith('traceidratio') && argument !== undefined) {
    ratio = Number(argument);
    if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
      throw new Error(
        `OTEL_TRACES_SAMPLER_ARG: "${argument}" is not a ratio between 0 and 1 (e.g. 0.25 keeps a quarter of new traces)`,
      );
    }
  }
  return samplerOf(value as TraceSamplerName, ratio);
}

/**
 * Where Claude Code's own telemetry is forwarded (`telemetry.forwardClaudeCode`):
 * the same receiver as the gateway's own, per signal, logs included, with the
 * same headers. Undefined when forwarding is off; throws when it is on with no
 * receiver to forward to.
 */
export function forwardSettings(
  config: TelemetryConfig | undefined,
  env: Env = process.env,
): ForwardSettings | undefined {
  if (!config?.forwardClaudeCode) return undefined;
  const protocols = {
    traces: signalProtocol(config, env, 'TRACES'),
    metrics: signalProtocol(config, env, 'METRICS'),
    logs: signalProtocol(config, env, 'LOGS'),
  };
  const traces = receiverUrl(config, env, 'TRACES', protocols.traces);
  const metrics = receiverUrl(config, env, 'METRICS', protocols.metrics);
  const logs = receiverUrl(config, env, 'LOGS', protocols.logs);
  if (!traces && !metrics && !logs) {
    throw new Error(
      'telemetry.forwardClaudeCode needs a receiver to forward to: set telemetry.otlpEndpoint (or OTEL_EXPORTER_OTLP_ENDPOINT)',
    );
  }
  const shared = parseKeyValueList(envValue(env, 'OTEL_EXPORTER_OTLP_HEADERS'));
  const headersFor = (signal: Signal) => ({
    ...shared,
    ...parseKeyValueList(envValue(env, `OTEL_EXPORTER_OTLP_${signal}_HEADERS`)),
    ...config.headers,
  });
  return {
    urls: { ...(traces ? { traces } : {}), ...(metrics ? { metrics } : {}), ...(logs ? { logs } : {}) },
    headers: { traces: headersFor('TRACES'), metrics: headersFor('METRICS'), logs: headersFor('LOGS') },
    grpc: {
      ...(traces && protocols.traces === 'grpc' ? { traces: grpcTransport(traces, env, 'TRACES') } : {}),
      ...(metrics && protocols.metrics === 'grpc' ? { metrics: grpcTransport(metrics, env, 'METRICS') } : {}),
      ...(logs && protocols.logs === 'grpc' ? { logs: grpcTransport(logs, env, 'LOGS') } : {}),
    },
  };
}

/**
 * The exporters' settings, or undefined when telemetry is off: no endpoint
 * in the file or the environment, or `OTEL_SDK_DISABLED=true`. The file's
 * keys win over the environment; headers merge (the file's win per name).
 * Throws, naming the setting, for an endpoint that is not an http(s) URL
 * (or, over gRPC, a receiver's address) or a certificate file it cannot read.
 */
export function telemetrySettings(
  config: TelemetryConfig | undefined,
  env: Env = process.env,
): TelemetrySettings | undefined {
  if (envValue(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return undefined;
  const tracesProtocol = signalProtocol(config, env, 'TRACES');
  const metricsProtocol = signalProtocol(config, env, 'METRICS');
  const tracesUrl = signalUrl(config, env, 'TRACES', tracesProtocol);
  const metricsUrl = signalUrl(config, env, 'METRICS', metricsProtocol);
  if (!tracesUrl && !metricsUrl) return undefined;
  const shared = parseKeyValueList(envValue(env, 'OTEL_EXPORTER_OTLP_HEADERS'));
  const headersFor = (signal: Signal) => ({
    ...shared,
    ...parseKeyValueList(envValue(env, `OTEL_EXPORTER_OTLP_${signal}_HEADERS`)),
    ...config?.headers,
  });
  const interval = Number(envValue(env, 'OTEL_METRIC_EXPORT_INTERVAL'));
  const resourceAttributes = parseKeyValueList(envValue(env, 'OTEL_RESOURCE_ATTRIBUTES'));
  return {
    ...(tracesUrl ? { tracesUrl } : {}),
    ...(metricsUrl ? { metricsUrl } : {}),
    tracesHeaders: headersFor('TRACES'),
    metricsHeaders: headersFor('METRICS'),
    serviceName:
      config?.serviceName ??
      envValue(env, 'OTEL_SERVICE_NAME') ??
      resourceAttributes['service.name'] ??
      DEFAULT_SERVICE_NAME,
    resourceAttributes,
    metricsIntervalMs:
      config?.metricsIntervalMs ??
      (Number.isInteger(interval) && interval > 0 ? interval : DEFAULT_METRICS_INTERVAL_MS),
    tracesProtocol,
    metricsProtocol,
    ...(tracesUrl && tracesProtocol === 'grpc'
      ? { tracesGrpc: grpcTransport(tracesUrl, env, 'TRACES') }
      : {}),
    ...(metricsUrl && metricsProtocol === 'grpc'
      ? { metricsGrpc: grpcTransport(metricsUrl, env, 'METRICS') }
      : {}),
    sampler: samplerSettings(config?.sampler, env),
  };
}
