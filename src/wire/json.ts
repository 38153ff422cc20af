/**
 * JSON of stream events: parse upstream text safely, keep an event's serialized
 * form beside the parsed one so encoders need not stringify it again, and
 * quote bad input in error messages without flooding logs.
 */

import type { StreamEvent } from './anthropic-events.js';

/** The outcome of {@link safeParseJson}: never throws. */
export type JsonParseResult = { ok: true; value: unknown } | { ok: false; error: Error };

/**
 * Parses JSON text from upstream without throwing.
 *
 * @example
 * const result = safeParseJson('{"type":"ping"}');
 * if (result.ok) console.log(result.value); // { type: 'ping' }
 * else console.error(result.error.message);
 */
export function safeParseJson(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/**
 * Shortens text for an error message: at most `maxLength` characters, then an
 * ellipsis and the full length.
 *
 * @example
 * previewText('x'.repeat(500)); // 'xxx…(500 characters)' with 200 x's
 */
export function previewText(text: string, maxLength = 200): string {
  if (text.length <= maxLength) return text;
  return `${text.slice(0, maxLength)}…(${text.length} characters)`;
}

/** True for a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An event together with its JSON text, as it arrived from upstream.
 * Encoders write `json` as is, so a decoded upstream event is forwarded
 * byte for byte without a second `JSON.stringify`.
 */
export interface SerializedStreamEvent {
  event: StreamEvent;
  json: string;
}

/** What the encoders accept: an event (stringified once) or an event with its JSON. */
export type EncodableStreamEvent = StreamEvent | SerializedStreamEvent;

/**
 * Returns the event and its JSON text, stringifying only when no JSON came along.
 *
 * @example
 * serializeStreamEvent({ type: 'ping' }); // { event: { type: 'ping' }, json: '{"type":"ping"}' }
 * serializeStreamEvent({ event, json });  // returned as is
 */
export function serializeStreamEvent(input: EncodableStreamEvent): SerializedStreamEvent {
  if (isSerializedStreamEvent(input)) return input;
  return { event: input, json: JSON.stringify(input) };
}

function isSerializedStreamEvent(input: EncodableStreamEvent): input is SerializedStreamEvent {
  // A stream event always has a string `type`; the serialized form has none.
  const candidate: { type?: unknown; json?: unknown; event?: unknown } = input;
  return (
    typeof candidate.type !== 'string' && typeof candidate.json === 'string' && isJsonObject(candidate.event)
  );
}
