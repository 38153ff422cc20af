/**
 * Where OpenTelemetry data goes, from the configuration's `telemetry:`
 * section and the standard OTEL_* environment variables. Pure: nothing here
 * loads the SDK, so a gateway without an endpoint pays nothing for it.
 */

import { TRACE_SAMPLERS, type TraceSamplerName } from './samplers.js';

/** The `telemetry:` section as the schema leaves it. */
export interface TelemetryConfig {
  /** Base URL of an OTLP/HTTP receiver; `/v1/traces` and `/v1/metrics` are appended. */
  otlpEndpoint?: string | undefined;
  /** Headers sent with every export (an API key for a hosted backend). */
  headers?: Readonly<Record<string, string>> | undefined;
  serviceName?: string | undefined;
  /** How often metrics are exported. */
  metricsIntervalMs?: number | undefined;
  /** The OTLP/HTTP encoding: JSON or binary protobuf. */
  protocol?: OtlpProtocol | undefined;
  /** Which traces are kept; when set, OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG are not read. */
  sampler?: { type: TraceSamplerName; ratio?: number | undefined } | undefined;
  /** Accept Claude Code's own OTLP at /v1/metrics, /v1/logs and /v1/traces and forward it to the receiver. */
  forwardClaudeCode?: boolean | undefined;
}

/** The OTLP/HTTP encodings the exporters speak (gRPC is not offered). */
export type OtlpProtocol = 'http/json' | 'http/protobuf';

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

/** One signal's receiver URL: the file's endpoint wins, then the signal's own variable, then the shared one. */
function signalUrl(
  config: TelemetryConfig | undefined,
  env: Env,
  signal: Signal,
  path: string,
): string | undefined {
  if (envValue(env, `OTEL_${signal}_EXPORTER`) === 'none') return undefined;
  return receiverUrl(config, env, signal, path);
}

/** A signal's receiver URL, whether or not the gateway itself exports that signal. */
function receiverUrl(
  config: TelemetryConfig | undefined,
  env: Env,
  signal: Signal,
  path: string,
): string | undefined {
  if (config?.otlpEndpoint)
    return appendPath(checkedUrl(config.otlpEndpoint, 'telemetry.otlpEndpoint'), path);
  const specificName = `OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`;
  const specific = envValue(env, specificName);
  // The signal's own variable is the full URL, used as it is (the specification says so).
  if (specific) return checkedUrl(specific, specificName);
  const shared = envValue(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (shared) return appendPath(checkedUrl(shared, 'OTEL_EXPORTER_OTLP_ENDPOINT'), path);
  return undefined;
}

const PROTOCOLS: readonly string[] = ['http/json', 'http/protobuf'];

/** A signal's OTLP encoding: the file's, then the signal's variable, then the shared one; JSON by default. */
function signalProtocol(config: TelemetryConfig | undefined, env: Env, signal: Signal): OtlpProtocol {
  if (config?.protocol) return config.protocol;
  for (const name of [`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`, 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
    const value = envValue(env, name);
    if (!value) continue;
    if (PROTOCOLS.includes(value)) return value as OtlpProtocol;
    throw new Error(
      `${name}: "${value}" is not supported; use http/protobuf or http/json with the receiver's OTLP/HTTP port (4318)` +
        (value === 'grpc' ? ' (the gateway does not export over gRPC)' : ''),
    );
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
  const traces = receiverUrl(config, env, 'TRACES', 'v1/traces');
  const metrics = receiverUrl(config, env, 'METRICS', 'v1/metrics');
  const logs = receiverUrl(config, env, 'LOGS', 'v1/logs');
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
  };
}

/**
 * The exporters' settings, or undefined when telemetry is off: no endpoint
 * in the file or the environment, or `OTEL_SDK_DISABLED=true`. The file's
 * keys win over the environment; headers merge (the file's win per name).
 * Throws, naming the setting, for an endpoint that is not an http(s) URL.
 */
export function telemetrySettings(
  config: TelemetryConfig | undefined,
  env: Env = process.env,
): TelemetrySettings | undefined {
  if (envValue(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return undefined;
  const tracesUrl = signalUrl(config, env, 'TRACES', 'v1/traces');
  const metricsUrl = signalUrl(config, env, 'METRICS', 'v1/metrics');
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
    tracesProtocol: signalProtocol(config, env, 'TRACES'),
    metricsProtocol: signalProtocol(config, env, 'METRICS'),
    sampler: samplerSettings(config?.sampler, env),
  };
}
