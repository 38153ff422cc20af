import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { forwardSettings, parseKeyValueList, samplerSettings, telemetrySettings } from './settings.js';

describe('telemetrySettings', () => {
  it('is off without an endpoint in the file or the environment', () => {
    expect(telemetrySettings(undefined, {})).toBeUndefined();
    expect(
      telemetrySettings({ serviceName: 'x', headers: { a: 'b' } }, { OTEL_SERVICE_NAME: 'y' }),
    ).toBeUndefined();
  });

  it('appends the signal paths to OTEL_EXPORTER_OTLP_ENDPOINT and takes the per-signal variables as they are', () => {
    expect(
      telemetrySettings(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }),
    ).toMatchObject({
      tracesUrl: 'http://collector:4318/v1/traces',
      metricsUrl: 'http://collector:4318/v1/metrics',
      serviceName: 'claude-gateway',
      metricsIntervalMs: 60_000,
    });
    const split = telemetrySettings(undefined, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/custom',
    });
    expect(split?.tracesUrl).toBe('https://traces.example/custom');
    expect(split?.metricsUrl).toBe('http://collector:4318/v1/metrics');
    const tracesOnly = telemetrySettings(undefined, {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:4318/v1/traces',
    });
    expect(tracesOnly?.tracesUrl).toBe('http://t:4318/v1/traces');
    expect(tracesOnly?.metricsUrl).toBeUndefined();
  });

  it("lets the file's keys win over the environment, headers merged by name", () => {
    const settings = telemetrySettings(
      {
        otlpEndpoint: 'http://file:4318',
        headers: { 'x-key': 'file' },
        serviceName: 'from-file',
        metricsIntervalMs: 5000,
      },
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://env-traces:4318/v1/traces',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-key=env,x-tenant=acme%20corp',
        OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'x-metrics=1',
        OTEL_SERVICE_NAME: 'from-env',
        OTEL_METRIC_EXPORT_INTERVAL: '1000',
      },
    );
    expect(settings).toMatchObject({
      tracesUrl: 'http://file:4318/v1/traces',
      metricsUrl: 'http://file:4318/v1/metrics',
      tracesHeaders: { 'x-key': 'file', 'x-tenant': 'acme corp' },
      metricsHeaders: { 'x-key': 'file', 'x-tenant': 'acme corp', 'x-metrics': '1' },
      serviceName: 'from-file',
      metricsIntervalMs: 5000,
    });
  });

  it('reads the service name and resource attributes from the environment', () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-resource,deployment.environment.name=prod',
      OTEL_METRIC_EXPORT_INTERVAL: '15000',
    };
    expect(telemetrySettings(undefined, env)).toMatchObject({
      serviceName: 'from-resource',
      resourceAttributes: { 'deployment.environment.name': 'prod' },
      metricsIntervalMs: 15_000,
    });
    expect(telemetrySettings(undefined, { ...env, OTEL_SERVICE_NAME: 'named' })?.serviceName).toBe('named');
  });

  it('turns off with OTEL_SDK_DISABLED, and one signal with OTEL_<SIGNAL>_EXPORTER=none', () => {
    expect(
      telemetrySettings({ otlpEndpoint: 'http://c:4318' }, { OTEL_SDK_DISABLED: 'true' }),
    ).toBeUndefined();
    const metricsOnly = telemetrySettings(
      { otlpEndpoint: 'http://c:4318' },
      { OTEL_TRACES_EXPORTER: 'none' },
    );
    expect(metricsOnly?.tracesUrl).toBeUndefined();
    expect(metricsOnly?.metricsUrl).toBe('http://c:4318/v1/metrics');
  });

  it('names the variable whose endpoint is not an http(s) URL', () => {
    expect(() => telemetrySettings(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" is not an http\(s\) URL/,
    );
  });
});

describe('parseKeyValueList', () => {
  it('reads k=v pairs with percent-encoded values and skips malformed ones', () => {
    expect(parseKeyValueList('a=1, b = two%2Cthree ,broken,=x,c=')).toEqual({
      a: '1',
      b: 'two,three',
      c: '',
    });
    expect(parseKeyValueList(undefined)).toEqual({});
  });
});

describe('the OTLP encoding', () => {
  const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
  it('is JSON by default, protobuf when asked for, per signal too; the file wins', () => {
    expect(telemetrySettings(undefined, endpoint)).toMatchObject({
      tracesProtocol: 'http/json',
      metricsProtocol: 'http/json',
    });
    expect(
      telemetrySettings(undefined, {
        ...endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json',
      }),
    ).toMatchObject({ tracesProtocol: 'http/protobuf', metricsProtocol: 'http/json' });
    expect(
      telemetrySettings(
        { protocol: 'http/protobuf' },
        { ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
      ),
    ).toMatchObject({ tracesProtocol: 'http/protobuf', metricsProtocol: 'http/protobuf' });
  });

  it('refuses a transport it does not have, naming the variable', () => {
    expect(() =>
      telemetrySettings(undefined, { ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/xml' }),
    ).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL: "http\/xml" is not supported; use grpc, http\/protobuf or http\/json/,
    );
  });
});

describe('OTLP over gRPC', () => {
  const grpc = { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' };

  it('uses every endpoint as it is (no /v1/ path), per signal too', () => {
    const settings = telemetrySettings(undefined, {
      ...grpc,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'https://metrics:4317',
    });
    expect(settings).toMatchObject({
      tracesUrl: 'http://collector:4317',
      metricsUrl: 'https://metrics:4317',
      tracesProtocol: 'grpc',
      metricsProtocol: 'grpc',
    });
    const mixed = telemetrySettings(undefined, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4317',
    });
    expect(mixed).toMatchObject({ tracesUrl: 'http://collector:4317', tracesProtocol: 'grpc' });
    expect(mixed).toMatchObject({
      metricsUrl: 'http://collector:4318/v1/metrics',
      metricsProtocol: 'http/json',
    });
    expect(mixed?.metricsGrpc).toBeUndefined();
    expect(telemetrySettings({ otlpEndpoint: 'http://c:4317', protocol: 'grpc' }, {})?.tracesUrl).toBe(
      'http://c:4317',
    );
  });

  it('is plaintext for http://, TLS for https://, and without a scheme TLS unless OTEL_EXPORTER_OTLP_INSECURE=true', () => {
    const transport = (env: Record<string, string>) => telemetrySettings(undefined, { ...grpc, ...env });
    expect(transport({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317' })?.tracesGrpc).toEqual({
      insecure: true,
    });
    expect(
      transport({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c:4317', OTEL_EXPORTER_OTLP_INSECURE: 'true' })
        ?.tracesGrpc,
    ).toEqual({ insecure: false });
    expect(transport({ OTEL_EXPORTER_OTLP_ENDPOINT: 'c:4317' })?.tracesGrpc).toEqual({ insecure: false });
    const bare = transport({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'c:4317',
      OTEL_EXPORTER_OTLP_INSECURE: 'TRUE',
      OTEL_EXPORTER_OTLP_METRICS_INSECURE: 'false',
    });
    expect(bare?.tracesUrl).toBe('c:4317');
    expect(bare?.tracesGrpc).toEqual({ insecure: true });
    expect(bare?.metricsGrpc).toEqual({ insecure: false });
  });

  it('reads the certificates the environment names, and names a variable whose file is missing', () => {
    const folder = mkdtempSync(join(tmpdir(), 'cgw-grpc-settings-'));
    try {
      const ca = join(folder, 'ca.pem');
      writeFileSync(ca, 'PEM');
      expect(
        telemetrySettings(undefined, {
          ...grpc,
          OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c:4317',
          OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE: ca,
        })?.tracesGrpc?.certificate?.toString(),
      ).toBe('PEM');
      expect(() =>
        telemetrySettings(undefined, {
          ...grpc,
          OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c:4317',
          OTEL_EXPORTER_OTLP_CERTIFICATE: join(folder, 'missing.pem'),
        }),
      ).toThrow(/^OTEL_EXPORTER_OTLP_CERTIFICATE: cannot read ".*missing\.pem" \(ENOENT\)/);
      expect(() =>
        telemetrySettings(undefined, {
          ...grpc,
          OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c:4317',
          OTEL_EXPORTER_OTLP_CLIENT_KEY: ca,
        }),
      ).toThrow(/OTEL_EXPORTER_OTLP_CLIENT_KEY and OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE go together/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('names the variable whose endpoint is not a receiver address', () => {
    expect(() =>
      telemetrySettings(undefined, { ...grpc, OTEL_EXPORTER_OTLP_ENDPOINT: 'unix:///tmp/otlp.sock' }),
    ).toThrow(/^OTEL_EXPORTER_OTLP_ENDPOINT: "unix:\/\/\/tmp\/otlp.sock" is not an OTLP\/gRPC endpoint/);
  });

  it('forwards Claude Code over gRPC when the signal is exported so', () => {
    const forward = forwardSettings(
      { forwardClaudeCode: true },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'grpc' },
    );
    expect(forward?.urls).toEqual({
      traces: 'http://c:4317/v1/traces',
      metrics: 'http://c:4317/v1/metrics',
      logs: 'http://c:4317',
    });
    expect(forward?.grpc).toEqual({ logs: { insecure: true } });
  });
});

describe('samplerSettings', () => {
  it('defaults to parentbased_always_on and reads the ratio', () => {
    expect(samplerSettings(undefined, {})).toEqual({ name: 'always_on', parentBased: true, ratio: 1 });
    expect(
      samplerSettings(undefined, { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }),
    ).toEqual({ name: 'traceidratio', parentBased: false, ratio: 0.25 });
    expect(samplerSettings(undefined, { OTEL_TRACES_SAMPLER: 'parentbased_always_off' })).toMatchObject({
      name: 'always_off',
      parentBased: true,
    });
  });

  it('refuses an unknown sampler or a ratio outside 0–1, naming the variable', () => {
    expect(() => samplerSettings(undefined, { OTEL_TRACES_SAMPLER: 'jaeger_remote' })).toThrow(
      /OTEL_TRACES_SAMPLER:/,
    );
    expect(() =>
      samplerSettings(undefined, { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' }),
    ).toThrow(/OTEL_TRACES_SAMPLER_ARG: "2"/);
  });
});

describe('telemetry.sampler in the file', () => {
  const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };

  it('wins over OTEL_TRACES_SAMPLER and its argument, which are then not read', () => {
    const env = { ...endpoint, OTEL_TRACES_SAMPLER: 'xray', OTEL_TRACES_SAMPLER_ARG: 'half' };
    expect(
      telemetrySettings({ sampler: { type: 'parentbased_traceidratio', ratio: 0.1 } }, env)?.sampler,
    ).toEqual({
      name: 'traceidratio',
      parentBased: true,
      ratio: 0.1,
    });
    expect(telemetrySettings({ sampler: { type: 'always_off' } }, env)?.sampler).toEqual({
      name: 'always_off',
      parentBased: false,
      ratio: 1,
    });
    expect(telemetrySettings({ sampler: { type: 'traceidratio' } }, env)?.sampler.ratio).toBe(1);
  });

  it('leaves the environment in charge when left out', () => {
    const env = { ...endpoint, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.5' };
    expect(telemetrySettings({}, env)?.sampler).toEqual({
      name: 'traceidratio',
      parentBased: false,
      ratio: 0.5,
    });
  });

  it('is validated with errors naming the key', () => {
    const parse = (sampler: unknown) => () => parseConfig({ telemetry: { sampler } }, {});
    expect(parse({ type: 'parentbased_traceidratio', ratio: 0.25 })).not.toThrow();
    expect(parse({ type: 'xray' })).toThrow(
      /telemetry\.sampler\.type: Invalid option: expected one of "always_on"/,
    );
    expect(parse({ type: 'traceidratio', ratio: 1.5 })).toThrow(/telemetry\.sampler\.ratio: Too big/);
    expect(parse({ type: 'always_on', ratio: 0.5 })).toThrow(
      /telemetry\.sampler\.ratio: only traceidratio and parentbased_traceidratio take a ratio/,
    );
    expect(parse({ type: 'always_on', arg: 0.5 })).toThrow(/telemetry\.sampler\.arg: unknown key/);
    expect(parse({ ratio: 0.5 })).toThrow(/telemetry\.sampler\.type: /);
  });

  it('takes its values from the environment through variable references, as OpenTelemetry configuration files do', () => {
    const config = parseConfig(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a reference as a configuration file writes it
      { telemetry: { sampler: { type: '${OTEL_TRACES_SAMPLER:-parentbased_always_on}' } } },
      { OTEL_TRACES_SAMPLER: 'always_off' },
    );
    expect(config.telemetry.sampler).toEqual({ type: 'always_off' });
  });
});

describe('forwardSettings', () => {
  it("is off unless asked for, and forwards every signal, logs included, to the gateway's receiver", () => {
    expect(forwardSettings({ otlpEndpoint: 'http://c:4318' }, {})).toBeUndefined();
    expect(
      forwardSettings(
        { forwardClaudeCode: true, headers: { 'x-key': 'k' } },
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' },
      ),
    ).toEqual({
      urls: {
        traces: 'http://c:4318/v1/traces',
        metrics: 'http://c:4318/v1/metrics',
        logs: 'http://c:4318/v1/logs',
      },
      headers: { traces: { 'x-key': 'k' }, metrics: { 'x-key': 'k' }, logs: { 'x-key': 'k' } },
      grpc: {},
    });
  });

  it('stops the start when there is nowhere to forward to', () => {
    expect(() => forwardSettings({ forwardClaudeCode: true }, {})).toThrow(/telemetry.otlpEndpoint/);
  });
});
