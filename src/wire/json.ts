/**
 * JSON from upstreams: parse text safely, and quote bad input in error
 * messages without flooding logs.
 */

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
