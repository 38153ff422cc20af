/**
 * Stamps an OTLP export (a batch of Claude Code's metrics, logs or traces)
 * with who sent it: every resource in it gets the caller's `claude_gateway.*`
 * attributes, and any `claude_gateway.*` attribute the client set itself is
 * removed first, so a client cannot speak for another key or user.
 *
 * Protobuf is rewritten at the wire level: the request is decoded once to
 * check it is well formed, then only the resources' attribute lists are
 * rebuilt and every other byte is copied as it came, fields unknown to this
 * schema included. JSON is parsed, checked in the parts it changes, and
 * written again.
 */

import protobuf from 'protobufjs';
import { EXPORT_REQUESTS, KEY_VALUE, type OtlpSignal } from './otlp-schema.js';

/** The prefix of the attributes the gateway owns on forwarded telemetry. */
export const STAMP_PREFIX = 'claude_gateway.';

/** Who sent the telemetry, as the gateway authenticated them. */
export interface CallerIdentity {
  keyId?: string | undefined;
  keyName?: string | undefined;
  userId?: string | undefined;
  userName?: string | undefined;
  userEmail?: string | undefined;
  group?: string | undefined;
}

/** A body that is not the OTLP it says it is; the message says what is wrong. */
export class OtlpInputError extends Error {
  override name = 'OtlpInputError';
}

/** The resource attributes for an identity: `claude_gateway.key_id`, `.key_name`, `.user_id`, `.user_name`, `.user_email`, `.group`. */
export function identityAttributes(identity: CallerIdentity): Record<string, string> {
  const attributes: Record<string, string> = {};
  const names: [keyof CallerIdentity, string][] = [
    ['keyId', 'key_id'],
    ['keyName', 'key_name'],
    ['userId', 'user_id'],
    ['userName', 'user_name'],
    ['userEmail', 'user_email'],
    ['group', 'group'],
  ];
  for (const [field, name] of names) {
    const value = identity[field];
    if (value) attributes[`${STAMP_PREFIX}${name}`] = value;
  }
  return attributes;
}

// --- JSON ------------------------------------------------------------------

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The JSON export request with every resource stamped. Throws OtlpInputError
 * when the body is not an export request of this signal.
 */
export function stampJson(body: unknown, signal: OtlpSignal, attributes: Record<string, string>): unknown {
  const field = EXPORT_REQUESTS[signal].resources;
  if (!isObject(body)) throw new OtlpInputError(`the body must be a JSON object with "${field}"`);
  const resources = body[field];
  if (resources === undefined) return body;
  if (!Array.isArray(resources)) throw new OtlpInputError(`"${field}" must be an array`);
  const stamped = Object.entries(attributes).map(([key, value]) => ({ key, value: { stringValue: value } }));
  resources.forEach((item: unknown, index) => {
    if (!isObject(item)) throw new OtlpInputError(`"${field}[${index}]" must be an object`);
    const resource = item['resource'] ?? {};
    if (!isObject(resource)) throw new OtlpInputError(`"${field}[${index}].resource" must be an object`);
    const own = resource['attributes'] ?? [];
    if (!Array.isArray(own))
      throw new OtlpInputError(`"${field}[${index}].resource.attributes" must be an array`);
    const kept = own.filter((attribute: unknown, at) => {
      if (!isObject(attribute) || typeof attribute['key'] !== 'string')
        throw new OtlpInputError(
          `"${field}[${index}].resource.attributes[${at}]" must be an object with a string "key"`,
        );
      return !attribute['key'].startsWith(STAMP_PREFIX);
    });
    item['resource'] = { ...resource, attributes: [...kept, ...stamped] };
  });
  return body;
}

// --- protobuf --------------------------------------------------------------

const LENGTH_DELIMITED = 2;

/** A protobuf field as it came: its number, wire type, whole bytes (tag included) and, when length-delimited, its payload. */
interface RawField {
  number: number;
  wireType: number;
  raw: Uint8Array;
  payload?: Uint8Array;
}

function fieldsOf(bytes: Uint8Array): RawField[] {
  const reader = protobuf.Reader.create(bytes);
  const fields: RawField[] = [];
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const tag = reader.uint32();
    const number = tag >>> 3;
    const wireType = tag & 7;
    if (number === 0) throw new OtlpInputError('the protobuf body has a field numbered 0');
    let payload: Uint8Array | undefined;
    if (wireType === LENGTH_DELIMITED) payload = reader.bytes();
    else reader.skipType(wireType);
    fields.push({
      number,
      wireType,
      raw: bytes.subarray(start, reader.pos),
      ...(payload ? { payload } : {}),
    });
  }
  return fields;
}

/** A length-delimited field: tag, length, payload. */
function lengthDelimited(number: number, payload: Uint8Array): Uint8Array {
  const header = protobuf.Writer.create()
    .uint32((number << 3) | LENGTH_DELIMITED)
    .uint32(payload.length)
    .finish();
  return Buffer.concat([header, payload]);
}

/** A Resource's content with the caller's attributes instead of any `claude_gateway.*` the client sent. */
function stampResource(content: Uint8Array, stamped: readonly Uint8Array[]): Uint8Array {
  const kept = fieldsOf(content).filter((field) => {
    if (field.number !== 1 || !field.payload) return true;
    const key = (KEY_VALUE.decode(field.payload) as unknown as { key?: string }).key ?? '';
    return !key.startsWith(STAMP_PREFIX);
  });
  return Buffer.concat([...kept.map((field) => field.raw), ...stamped]);
}

/**
 * The protobuf export request with every resource stamped, other bytes kept
 * as they came. Throws OtlpInputError when the body does not decode as an
 * export request of this signal.
 */
export function stampProtobuf(
  bytes: Uint8Array,
  signal: OtlpSignal,
  attributes: Record<string, string>,
): Uint8Array {
  try {
    EXPORT_REQUESTS[signal].type.decode(bytes);
  } catch (error) {
    throw new OtlpInputError(
      `the body is not a protobuf ${EXPORT_REQUESTS[signal].type.name}: ${(error as Error).message}`,
    );
  }
  const stamped = Object.entries(attributes).map(([key, value]) =>
    lengthDelimited(1, KEY_VALUE.encode({ key, value: { stringValue: value } }).finish()),
  );
  const out: Uint8Array[] = [];
  for (const field of fieldsOf(bytes)) {
    // Field 1 of each export request is its repeated ResourceSpans / ResourceMetrics / ResourceLogs.
    if (field.number !== 1 || !field.payload) {
      out.push(field.raw);
      continue;
    }
    const inner = fieldsOf(field.payload);
    // A message given twice is merged (protobuf's rule): the resource's parts are joined, then stamped once.
    const resource = Buffer.concat(
      inner.filter((part) => part.number === 1 && part.payload).map((part) => part.payload as Uint8Array),
    );
    const rest = inner.filter((part) => part.number !== 1).map((part) => part.raw);
    out.push(
      lengthDelimited(1, Buffer.concat([lengthDelimited(1, stampResource(resource, stamped)), ...rest])),
    );
  }
  return Buffer.concat(out);
}
