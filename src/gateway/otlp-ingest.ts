import type { OtlpSignal } from '../telemetry/otlp-schema.js';
import type { CallerIdentity } from '../telemetry/otlp-stamp.js';
import type { ForwardSettings } from '../telemetry/settings.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import type { Caller } from './callers.js';
import type { GatewayContext } from './context.js';
import { bodyError, type Exchange } from './exchange.js';
import { forwardOverGrpc } from './otlp-forward-grpc.js';

/** The OTLP/HTTP paths Claude Code exports to, under OTEL_EXPORTER_OTLP_ENDPOINT. */
export const OTLP_PATHS: Readonly<Record<string, OtlpSignal>> = {
  '/v1/traces': 'traces',
  '/v1/metrics': 'metrics',
  '/v1/logs': 'logs',
};

/**
 * protobufjs and the OTLP schema (about 2 MB of RSS), loaded with the first export: most
 * gateways never receive one, and none needs them before.
 */
let codecLoading: Promise<typeof import('../telemetry/otlp-stamp.js') & { rpcStatus: RpcStatus }> | undefined;
type RpcStatus = typeof import('../telemetry/otlp-schema.js')['RPC_STATUS'];
function otlpCodec() {
  codecLoading ??= Promise.all([
    import('../telemetry/otlp-schema.js'),
    import('../telemetry/otlp-stamp.js'),
  ]).then(([schema, stamp]) => ({ ...stamp, rpcStatus: schema.RPC_STATUS }));
  return codecLoading;
}

/** The largest export taken, after decompression (an OpenTelemetry collector's default is 20 MiB). */
const MAX_EXPORT_BYTES = 16 * 1024 * 1024;
/** The longest the receiver may take to answer a forwarded export. */
const FORWARD_TIMEOUT_MS = 10_000;

/** google.rpc.Code for an HTTP status, as OTLP/HTTP pairs them. */
function rpcCode(status: number): number {
  if (status === 401) return 16; // UNAUTHENTICATED
  if (status === 403) return 7; // PERMISSION_DENIED
  if (status === 404) return 5; // NOT_FOUND
  if (status === 405) return 12; // UNIMPLEMENTED
  if (status === 413 || status === 429) return 8; // RESOURCE_EXHAUSTED
  if (status === 502 || status === 503 || status === 504) return 14; // UNAVAILABLE
  if (status >= 500) return 13; // INTERNAL
  return 3; // INVALID_ARGUMENT
}

type Encoding = 'json' | 'protobuf';

function encodingOf(contentType: string | undefined): Encoding | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  return undefined;
}

/** An OTLP/HTTP error answer: a google.rpc.Status in the request's own encoding (JSON when it has none). */
async function sendStatus(
  exchange: Exchange,
  encoding: Encoding | undefined,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Promise<void> {
  const body = { code: rpcCode(status), message };
  if (encoding === 'protobuf') {
    const { rpcStatus } = await otlpCodec();
    exchange.send(
      status,
      { 'content-type': 'application/x-protobuf', ...headers },
      Buffer.from(rpcStatus.encode(body).finish()),
    );
    return;
  }
  exchange.send(status, { 'content-type': 'application/json', ...headers }, JSON.stringify(body));
}

/** The caller as the stamp names it; user and group when the caller signed in as one. */
function identityOf(caller: Caller): CallerIdentity {
  // Users and groups come with sign-in; a gateway without it has only keys.
  const signedIn = caller as Caller & {
    user?: { id?: string; name?: string; email?: string };
    group?: string;
  };
  return {
    keyId: caller.key?.id,
    keyName: caller.key?.name,
    userId: signedIn.user?.id,
    userName: signedIn.user?.name,
    userEmail: signedIn.user?.email,
    group: signedIn.group,
  };
}

/** Says once when the receiver stops answering and once when it is back, not on every export. */
class ReceiverHealth {
  private failing = false;
  constructor(private readonly context: GatewayContext) {}
  failed(url: string, reason: string): void {
    if (this.failing) return;
    this.failing = true;
    this.context.logger.warn(
      { component: 'telemetry', url, reason },
      `cannot forward Claude Code's telemetry to ${url} (${reason}): clients get 503 and retry until it answers`,
    );
  }
  answered(url: string): void {
    if (!this.failing) return;
    this.failing = false;
    this.context.logger.info({ component: 'telemetry', url }, "Claude Code's telemetry is forwarded again");
  }
}

const receiverHealth = new WeakMap<GatewayContext, ReceiverHealth>();

/**
 * Receives Claude Code's own OpenTelemetry export (OTLP/HTTP, JSON or
 * protobuf, gzip or not) at `/v1/metrics`, `/v1/logs` or `/v1/traces`:
 * authenticates it with the gateway credential the client sends
 * (OTEL_EXPORTER_OTLP_HEADERS, e.g. `x-api-key=…` or `Authorization=Bearer …`),
 * stamps every resource with the caller's key, user and group, and forwards it
 * in the same encoding to the configured receiver, whose answer (status and
 * body: a partial success, a refusal) goes back as it came. A receiver whose
 * protocol is `grpc` gets it over OTLP/gRPC instead (./otlp-forward-grpc.ts). Errors are OTLP's
 * google.rpc.Status, never the gateway's internals.
 */
export async function handleOtlpExport(
  context: GatewayContext,
  exchange: Exchange,
  signal: OtlpSignal,
  forward: ForwardSettings | undefined,
): Promise<void> {
  const encoding = encodingOf(exchange.header('content-type'));
  const url = forward?.urls[signal];
  if (!forward || !url) {
    return sendStatus(
      exchange,
      encoding,
      404,
      forward
        ? `This gateway has no receiver for ${signal}: set telemetry.otlpEndpoint or OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT.`
        : "This gateway does not receive Claude Code's telemetry: set telemetry.forwardClaudeCode: true (with telemetry.otlpEndpoint) to forward it to your OpenTelemetry receiver.",
    );
  }
  const count = (status: number) => context.metrics.otlpExport(signal, status);
  if (exchange.method !== 'POST') {
    count(405);
    return sendStatus(exchange, encoding, 405, `OTLP exports are POSTed to /v1/${signal}.`, {
      allow: 'POST',
    });
  }
  if (!encoding) {
    count(415);
    return sendStatus(
      exchange,
      encoding,
      415,
      'An OTLP/HTTP export is application/x-protobuf or application/json (OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf or http/json).',
    );
  }
  let caller: Caller;
  try {
    caller = await context.callers.identify(exchange);
  } catch (error) {
    const refusal = GatewayError.from(error);
    count(refusal.status);
    exchange.request.resume();
    return sendStatus(
      exchange,
      encoding,
      refusal.status,
      `${refusal.message} Claude Code sends the gateway key with its telemetry through OTEL_EXPORTER_OTLP_HEADERS ("x-api-key=<key>" or "Authorization=Bearer <key>").`,
    );
  }
  const body = await exchange.readBody(MAX_EXPORT_BYTES);
  if (!body.ok) {
    if (body.reason === 'aborted') return;
    const error = bodyError(body, MAX_EXPORT_BYTES);
    count(error.status);
    return sendStatus(exchange, encoding, error.status, error.message);
  }
  const { identityAttributes, OtlpInputError, stampJson, stampProtobuf } = await otlpCodec();
  const attributes = identityAttributes(identityOf(caller));
  const grpc = forward.grpc[signal];
  let stamped: Uint8Array | string;
  try {
    if (encoding === 'protobuf') stamped = stampProtobuf(body.bytes, signal, attributes);
    else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.bytes.toString('utf8'));
      } catch (error) {
        throw new OtlpInputError(`the body is not valid JSON: ${(error as Error).message}`);
      }
      const json = stampJson(parsed, signal, attributes);
      // gRPC carries protobuf only.
      stamped = grpc
        ? (await import('../telemetry/otlp-json-protobuf.js')).otlpJsonToProtobuf(signal, json)
        : JSON.stringify(json);
    }
  } catch (error) {
    if (!(error instanceof OtlpInputError)) throw error;
    count(400);
    return sendStatus(exchange, encoding, 400, `Malformed OTLP ${signal} export: ${error.message}.`);
  }

  const health = receiverHealth.get(context) ?? new ReceiverHealth(context);
  receiverHealth.set(context, health);
  const unreachable = (reason: string) => {
    health.failed(url, reason);
    count(503);
    return sendStatus(
      exchange,
      encoding,
      503,
      'The gateway cannot reach its telemetry receiver right now; retry later.',
      { 'retry-after': '5' },
    );
  };
  if (grpc) {
    const answer = await forwardOverGrpc(context, {
      signal,
      url,
      transport: grpc,
      headers: forward.headers[signal],
      bytes: typeof stamped === 'string' ? Buffer.from(stamped) : stamped,
      encoding,
      abort: exchange.signal,
      timeoutMs: FORWARD_TIMEOUT_MS,
    });
    if (exchange.signal.aborted) return;
    if ('unreachable' in answer) return unreachable(answer.unreachable);
    health.answered(url);
    if ('refused' in answer) {
      count(answer.refused);
      return sendStatus(
        exchange,
        encoding,
        answer.refused,
        answer.message,
        answer.retryAfter ? { 'retry-after': answer.retryAfter } : {},
      );
    }
    count(answer.status);
    return exchange.send(answer.status, { 'content-type': answer.contentType }, answer.body);
  }
  let answer: Response;
  try {
    answer = await fetch(url, {
      method: 'POST',
      headers: {
        ...forward.headers[signal],
        'content-type': encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json',
      },
      body: stamped,
      signal: AbortSignal.any([exchange.signal, AbortSignal.timeout(FORWARD_TIMEOUT_MS)]),
    });
  } catch (error) {
    if (exchange.signal.aborted) return;
    return unreachable(
      (error as Error).cause ? String((error as Error & { cause: unknown }).cause) : String(error),
    );
  }
  const reply = Buffer.from(await answer.arrayBuffer().catch(() => new ArrayBuffer(0)));
  if (answer.status < 500) health.answered(url);
  else health.failed(url, `HTTP ${answer.status}`);
  count(answer.status);
  const retryAfter = answer.headers.get('retry-after');
  exchange.send(
    answer.status,
    {
      'content-type': answer.headers.get('content-type') ?? 'application/octet-stream',
      ...(retryAfter ? { 'retry-after': retryAfter } : {}),
    },
    reply,
  );
}
