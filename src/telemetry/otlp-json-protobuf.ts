/**
 * OTLP/JSON to protobuf and back, for forwarding an OTLP/HTTP JSON export
 * over gRPC (which carries protobuf only). OTLP/JSON is protobuf's JSON
 * mapping with two differences (the OTLP specification's "JSON Protobuf
 * Encoding"): trace and span ids are hex, not base64, and enums are
 * integers; protobufjs reads the rest. Fields newer than ../telemetry/otlp-schema.ts
 * are dropped on the way: byte-exact forwarding needs http/protobuf.
 */

import { EXPORT_REQUESTS, EXPORT_RESPONSES, type OtlpSignal } from './otlp-schema.js';
import { OtlpInputError } from './otlp-stamp.js';

const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

/** A copy with hex ids as bytes, as protobufjs' fromObject takes them. */
function idsAsBytes(value: unknown, key = ''): unknown {
  if (ID_FIELDS.has(key) && typeof value === 'string') {
    if (!/^([0-9a-f]{2})*$/i.test(value)) throw new OtlpInputError(`${key} "${value}" is not hex`);
    return Buffer.from(value, 'hex');
  }
  if (Array.isArray(value)) return value.map((item) => idsAsBytes(item));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, idsAsBytes(item, name)]));
}

/** An OTLP/JSON export request (parsed) as the protobuf bytes of the same request. */
export function otlpJsonToProtobuf(signal: OtlpSignal, json: unknown): Uint8Array {
  const type = EXPORT_REQUESTS[signal].type;
  try {
    return type.encode(type.fromObject(idsAsBytes(json) as Record<string, unknown>)).finish();
  } catch (error) {
    if (error instanceof OtlpInputError) throw error;
    throw new OtlpInputError((error as Error).message);
  }
}

/** A collector's protobuf answer (empty, or a partial success) in OTLP/JSON. */
export function otlpResponseToJson(signal: OtlpSignal, bytes: Uint8Array): string {
  const type = EXPORT_RESPONSES[signal];
  return JSON.stringify(type.toObject(type.decode(bytes), { longs: String }));
}
