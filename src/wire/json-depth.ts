/**
 * How deep a JSON text nests, checked on the raw bytes before anyone walks the
 * parsed value. `JSON.parse` in V8 accepts any depth, but `JSON.stringify`,
 * `structuredClone` and every recursive walker overflow the stack somewhere
 * between 1,000 and 5,000 levels, so a request nested that deep must be
 * refused up front with a 400, not fail later as an internal error.
 * No library does this check on bytes; a reviver or a parsed-value walk costs
 * several times more on the hot path than this scan (memchr over strings).
 */

/** The deepest nesting a request body may have: far beyond any real Messages body (tool schemas nest a few dozen levels). */
export const MAX_JSON_DEPTH = 512;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * True when the JSON text in `bytes` opens more than `limit` arrays or objects
 * inside one another. Brackets inside strings do not count. Meant for text
 * that `JSON.parse` accepted; on invalid text the answer is only an estimate.
 *
 * @example
 * jsonNestsDeeperThan(Buffer.from('{"a":[[1]]}'), 2); // true (three levels)
 * jsonNestsDeeperThan(Buffer.from('{"a":"[[[["}'), 2); // false
 */
export function jsonNestsDeeperThan(bytes: Uint8Array, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  const length = bytes.length;
  for (let index = 0; index < length; index++) {
    const byte = bytes[index];
    if (byte === QUOTE) {
      // Jump to the closing quote with indexOf (memchr): strings are most of a body's bytes.
      for (;;) {
        const quote = bytes.indexOf(QUOTE, index + 1);
        if (quote < 0) return false;
        index = quote;
        let backslashes = 0;
        while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
        if (backslashes % 2 === 0) break;
      }
    } else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      depth++;
      if (depth > limit) return true;
    } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) {
      depth--;
    }
  }
  return false;
}
