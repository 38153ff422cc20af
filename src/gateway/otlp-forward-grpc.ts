/**
 * Forwarding Claude Code's telemetry over OTLP/gRPC, when the receiver's
 * protocol for that signal is `grpc`: protobuf exports go as they are,
 * JSON ones are encoded as protobuf first (gRPC carries nothing else), and
 * the receiver's answer comes back as an OTLP/HTTP answer in the request's
 * encoding. @grpc/grpc-js is loaded on the first such export, never otherwise.
 */

import type { GrpcTransport } from '../telemetry/grpc-settings.js';
import type { GrpcForwarder } from '../telemetry/otlp-grpc.js';
import type { OtlpSignal } from '../telemetry/otlp-schema.js';
import type { GatewayContext } from './context.js';

/** What the receiver answered, as the OTLP/HTTP answer to send: its response, its refusal, or why it could not be reached. */
export type ForwardAnswer =
  | { status: 200; contentType: string; body: Buffer | string }
  | { refused: number; message: string; retryAfter?: string }
  | { unreachable: string };

const forwarders = new WeakMap<GatewayContext, Map<OtlpSignal, Promise<GrpcForwarder>>>();

/** google.rpc.Code (gRPC's status) as the HTTP status OTLP/HTTP gives the same failure. */
function httpStatus(code: number): number {
  if (code === 3) return 400; // INVALID_ARGUMENT
  if (code === 16) return 401; // UNAUTHENTICATED
  if (code === 7) return 403; // PERMISSION_DENIED
  if (code === 5 || code === 12) return 404; // NOT_FOUND, UNIMPLEMENTED: the receiver does not take this signal
  if (code === 8) return 429; // RESOURCE_EXHAUSTED
  // The codes OTLP calls retryable: CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, DATA_LOSS.
  if (code === 1 || code === 4 || code === 10 || code === 11 || code === 15) return 503;
  return 502;
}

function forwarderFor(
  context: GatewayContext,
  signal: OtlpSignal,
  url: string,
  transport: GrpcTransport,
): Promise<GrpcForwarder> {
  const bySignal = forwarders.get(context) ?? new Map<OtlpSignal, Promise<GrpcForwarder>>();
  forwarders.set(context, bySignal);
  let forwarder = bySignal.get(signal);
  if (!forwarder) {
    forwarder = import('../telemetry/otlp-grpc.js').then(
      ({ GrpcForwarder }) => new GrpcForwarder(url, transport),
    );
    bySignal.set(signal, forwarder);
  }
  return forwarder;
}

/** Sends one stamped export (protobuf bytes) to the signal's OTLP/gRPC receiver. */
export async function forwardOverGrpc(
  context: GatewayContext,
  options: {
    signal: OtlpSignal;
    url: string;
    transport: GrpcTransport;
    headers: Readonly<Record<string, string>>;
    bytes: Uint8Array;
    /** The encoding the client sent, and wants its answer in. */
    encoding: 'json' | 'protobuf';
    abort: AbortSignal;
    timeoutMs: number;
  },
): Promise<ForwardAnswer> {
  const forwarder = await forwarderFor(context, options.signal, options.url, options.transport);
  const result = await forwarder.export(
    options.signal,
    options.bytes,
    options.headers,
    options.abort,
    options.timeoutMs,
  );
  if (result.ok) {
    return options.encoding === 'protobuf'
      ? { status: 200, contentType: 'application/x-protobuf', body: result.response }
      : {
          status: 200,
          contentType: 'application/json',
          body: (await import('../telemetry/otlp-json-protobuf.js')).otlpResponseToJson(
            options.signal,
            result.response,
          ),
        };
  }
  // UNAVAILABLE: no connection (or the receiver says it cannot take data now).
  if (result.code === 14) return { unreachable: `gRPC UNAVAILABLE: ${result.details}` };
  const status = httpStatus(result.code);
  return {
    refused: status,
    message: `The telemetry receiver refused the export: ${result.details}`,
    ...(status === 429 || status === 503 ? { retryAfter: '5' } : {}),
  };
}

/** Closes the gRPC channels a gateway opened to forward (at its stop). */
export async function closeGrpcForwarders(context: GatewayContext): Promise<void> {
  const bySignal = forwarders.get(context);
  forwarders.delete(context);
  for (const forwarder of bySignal?.values() ?? []) (await forwarder.catch(() => undefined))?.close();
}
