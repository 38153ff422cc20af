/**
 * Reading error bodies that may not be what they claim: JSON parsed without
 * throwing, and text kept as the message when the body is not JSON (a
 * proxy's HTML page, a plain "Bad Gateway").
 */

/** Longest non-JSON body kept as a message; the rest is counted, not kept. */
export const MAX_TEXT_MESSAGE_LENGTH = 4000;

/**
 * The parsed JSON, or undefined when the text is not JSON.
 *
 * @example
 * parseJsonSafely('{"a":1}'); // { a: 1 }
 * parseJsonSafely('<html>'); // undefined
 */
export function parseJsonSafely(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A non-JSON body as an error message: trimmed, undefined when empty, and cut
 * at `MAX_TEXT_MESSAGE_LENGTH` characters with a note of what was cut.
 *
 * @example
 * textAsMessage('  Bad Gateway\n'); // 'Bad Gateway'
 * textAsMessage(''); // undefined
 */
export function textAsMessage(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (trimmed.length <= MAX_TEXT_MESSAGE_LENGTH) return trimmed;
  const cut = trimmed.length - MAX_TEXT_MESSAGE_LENGTH;
  return `${trimmed.slice(0, MAX_TEXT_MESSAGE_LENGTH)}… (${cut} more characters)`;
}

/**
 * A message field as text: strings as they are, anything else (an object a
 * platform put there) as JSON, absent values as undefined.
 *
 * @example
 * messageText('Overloaded'); // 'Overloaded'
 * messageText({ detail: 'x' }); // '{"detail":"x"}'
 */
export function messageText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
