/**
 * OTLP/gRPC's own rules for the receiver's address and its transport
 * security, as the OTLP exporter specification writes them: the endpoint is
 * used as it is (no `/v1/traces` path; the service names the signal), its
 * scheme says plaintext (`http://`) or TLS (`https://`), and an endpoint
 * without a scheme (`collector:4317`) is TLS unless OTEL_EXPORTER_OTLP_INSECURE
 * (or the signal's `_INSECURE`) is `true`. Certificates come from
 * OTEL_EXPORTER_OTLP_CERTIFICATE, _CLIENT_KEY and _CLIENT_CERTIFICATE (or the
 * signal's own), read here so a missing file stops the start naming its variable.
 */

import { readFileSync } from 'node:fs';

type Env = Readonly<Record<string, string | undefined>>;

export type GrpcSignal = 'TRACES' | 'METRICS' | 'LOGS';

/** How the gateway connects to an OTLP/gRPC receiver. */
export interface GrpcTransport {
  /** Plaintext (h2c) rather than TLS. */
  insecure: boolean;
  /** PEM: the CA certificates to trust instead of the system's. */
  certificate?: Buffer;
  /** PEM: a client key and certificate, for receivers that ask for mutual TLS. */
  clientKey?: Buffer;
  clientCertificate?: Buffer;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * An OTLP/gRPC endpoint as written (`http://collector:4317`, `https://…`, or
 * `collector:4317`); throws, naming `source`, for anything else.
 */
export function grpcEndpoint(value: string, source: string): string {
  const fail = () =>
    new Error(
      `${source}: "${value}" is not an OTLP/gRPC endpoint (e.g. http://127.0.0.1:4317 for plaintext, https://collector:4317 or collector:4317 for TLS)`,
    );
  let parsed: URL;
  try {
    parsed = new URL(SCHEME.test(value) ? value : `https://${value}`);
  } catch {
    throw fail();
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw fail();
  if (!parsed.hostname) throw fail();
  return value;
}

function envValue(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** The signal's variable, else the shared one: its name and value. */
function variable(env: Env, signal: GrpcSignal, suffix: string): { name: string; value: string } | undefined {
  for (const name of [`OTEL_EXPORTER_OTLP_${signal}_${suffix}`, `OTEL_EXPORTER_OTLP_${suffix}`]) {
    const value = envValue(env, name);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

function pemFile(env: Env, signal: GrpcSignal, suffix: string): Buffer | undefined {
  const found = variable(env, signal, suffix);
  if (!found) return undefined;
  try {
    return readFileSync(found.value);
  } catch (error) {
    throw new Error(
      `${found.name}: cannot read "${found.value}" (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}

/** Plaintext or TLS for `endpoint` (already checked by grpcEndpoint), with the certificates the environment names. */
export function grpcTransport(endpoint: string, env: Env, signal: GrpcSignal): GrpcTransport {
  const scheme = SCHEME.test(endpoint) ? new URL(endpoint).protocol : undefined;
  const insecure =
    scheme === 'http:' ||
    (scheme === undefined && variable(env, signal, 'INSECURE')?.value.toLowerCase() === 'true');
  if (insecure) return { insecure };
  const certificate = pemFile(env, signal, 'CERTIFICATE');
  const clientKey = pemFile(env, signal, 'CLIENT_KEY');
  const clientCertificate = pemFile(env, signal, 'CLIENT_CERTIFICATE');
  if (!clientKey !== !clientCertificate) {
    throw new Error(
      `OTEL_EXPORTER_OTLP_CLIENT_KEY and OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE go together (for ${signal.toLowerCase()}): set both or neither`,
    );
  }
  return {
    insecure,
    ...(certificate ? { certificate } : {}),
    ...(clientKey && clientCertificate ? { clientKey, clientCertificate } : {}),
  };
}
