/**
 * Where OpenTelemetry data goes, from the configuration's `telemetry:`
 * section and the standard OTEL_* environment variables. Pure: nothing here
 * loads the SDK, so a gateway without an endpoint pays nothing for it.
 */

/** The `telemetry:` section as the schema leaves it. */
export interface TelemetryConfig {
  /** Base URL of an OTLP/HTTP receiver; `/v1/traces` and `/v1/metrics` are appended. */
  otlpEndpoint?: string | undefined;
  /** Headers sent with every export (an API key for a hosted backend). */
  headers?: Readonly<Record<string, string>> | undefined;
  serviceName?: string | undefined;
  /** How often metrics are exported. */
  metricsIntervalMs?: number | undefined;
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

/** One signal's receiver URL: the file's endpoint wins, then the signal's own variable, then the shared one. */
function signalUrl(
  config: TelemetryConfig | undefined,
  env: Env,
  signal: 'TRACES' | 'METRICS',
  path: string,
): string | undefined {
  if (envValue(env, `OTEL_${signal}_EXPORTER`) === 'none') return undefined;
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
  const headersFor = (signal: 'TRACES' | 'METRICS') => ({
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
  };
}
