/**
 * The JSON bytes of an edited shallow copy of a parsed object, made from the
 * bytes it was parsed from: each top-level value the copy kept (the same value
 * as the original's) is copied as the client wrote it, and only the edited
 * ones are serialized. For a 100 KB Messages body whose edits are a few
 * top-level keys (`model`, `stream`, `anthropic_version`, `anthropic_beta`),
 * that skips `JSON.stringify` of the whole tree and the UTF-8 encoding of its
 * text (twice: for the signature's hash and for the socket). No library
 * splices JSON at the byte level; the scan follows `json-depth.ts` (strings
 * skipped with `indexOf`).
 *
 * The result parses to exactly what `JSON.stringify(edited)` parses to. Where
 * a copied value could parse otherwise than its re-serialized form (a number
 * that is `-0`, written with an exponent or with hundreds of digits, which
 * `JSON.stringify` turns into `0` or `null`; bytes that are not UTF-8, which
 * the parse read as U+FFFD), or the bytes are not one object, the answer is
 * undefined and the caller serializes.
 */
import { isUtf8 } from 'node:buffer';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/** Longer number tokens are not copied: from 309 digits on, a number parses to Infinity (serialized as `null`). */
const MAX_NUMBER_CHARS = 300;

/** Where a top-level value's bytes are: [start, end). */
type ValueRange = [start: number, end: number];

/**
 * The bytes of `JSON.stringify(edited)`'s value, where `edited` is a shallow
 * copy of `original` (the parse of `raw`) with keys deleted, set or added.
 * Undefined when the bytes cannot be used (see the file's comment).
 *
 * @example
 * const raw = Buffer.from('{"model":"m", "messages":[{"role":"user","content":"hi"}]}');
 * const original = JSON.parse(raw.toString());
 * const { model, ...edited } = original;
 * spliceJsonObject(raw, original, { ...edited, anthropic_version: 'v' })?.toString();
 * // '{"messages":[{"role":"user","content":"hi"}],"anthropic_version":"v"}'
 */
export function spliceJsonObject(
  raw: Uint8Array,
  original: Record<string, unknown>,
  edited: Record<string, unknown>,
): Buffer | undefined {
  const members = topLevelMembers(raw);
  if (!members || !isUtf8(raw)) return undefined;
  const source = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const parts: Buffer[] = [];
  let total = 0;
  let first = true;
  for (const key of Object.keys(edited)) {
    const value = edited[key];
    if (value === undefined) continue;
    const range = value === original[key] && Object.hasOwn(original, key) ? members.get(key) : undefined;
    const head = `${first ? '{' : ','}${JSON.stringify(key)}:`;
    const part = range
      ? [Buffer.from(head), source.subarray(range[0], range[1])]
      : [Buffer.from(head + JSON.stringify(value))];
    for (const bytes of part) {
      parts.push(bytes);
      total += bytes.byteLength;
    }
    first = false;
  }
  parts.push(Buffer.from(first ? '{}' : '}'));
  return Buffer.concat(parts, total + (first ? 2 : 1));
}

/**
 * The top-level members of the JSON object in `bytes`: each key (decoded) and
 * where its value's bytes are (the last one for a key given twice, as
 * `JSON.parse` reads it). Undefined when the bytes are not one object, or a
 * value holds a number that would not survive a parse and serialize unchanged.
 */
export function topLevelMembers(bytes: Uint8Array): Map<string, ValueRange> | undefined {
  const members = new Map<string, ValueRange>();
  const length = bytes.length;
  let index = skipSpace(bytes, 0);
  if (bytes[index] !== OPEN_BRACE) return undefined;
  index = skipSpace(bytes, index + 1);
  if (bytes[index] === CLOSE_BRACE) return skipSpace(bytes, index + 1) === length ? members : undefined;
  for (;;) {
    if (bytes[index] !== QUOTE) return undefined;
    const keyEnd = stringEnd(bytes, index);
    if (keyEnd < 0) return undefined;
    const key = keyText(bytes, index + 1, keyEnd);
    if (key === undefined) return undefined;
    index = skipSpace(bytes, keyEnd + 1);
    if (bytes[index] !== COLON) return undefined;
    const start = skipSpace(bytes, index + 1);
    const end = valueEnd(bytes, start);
    if (end < 0) return undefined;
    members.set(key, [start, end]);
    index = skipSpace(bytes, end);
    if (bytes[index] === COMMA) {
      index = skipSpace(bytes, index + 1);
      continue;
    }
    if (bytes[index] !== CLOSE_BRACE) return undefined;
    return skipSpace(bytes, index + 1) === length ? members : undefined;
  }
}

function skipSpace(bytes: Uint8Array, index: number): number {
  for (;;) {
    const byte = bytes[index];
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return index;
    index++;
  }
}

/** Strings are looked at byte by byte up to this length, then with `indexOf` (a native call costs as much as ~20 bytes). */
const SHORT_STRING = 24;

/** The index of the quote that closes the string opening at `open`, or -1. */
function stringEnd(bytes: Uint8Array, open: number): number {
  const short = Math.min(open + SHORT_STRING, bytes.length);
  let index = open + 1;
  for (; index < short; index++) {
    const byte = bytes[index];
    if (byte === QUOTE) return index;
    if (byte === BACKSLASH) index++;
  }
  index = Math.min(index, bytes.length) - 1;
  for (;;) {
    const quote = bytes.indexOf(QUOTE, index + 1);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    index = quote;
  }
}

function keyText(bytes: Uint8Array, start: number, end: number): string | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
  if (!text.includes('\\')) return text;
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return undefined;
  }
}

/**
 * The end (exclusive) of the value starting at `start`: a string, an object
 * or array (brackets matched, strings skipped), or a literal or number. -1
 * when it does not end or holds a number that must not be copied.
 */
function valueEnd(bytes: Uint8Array, start: number): number {
  const length = bytes.length;
  const first = bytes[start];
  if (first === QUOTE) {
    const end = stringEnd(bytes, start);
    return end < 0 ? -1 : end + 1;
  }
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let index = start;
    while (index < length && isTokenByte(bytes[index] as number)) index++;
    if (index === start) return -1;
    return isCopyableNumber(bytes, start, index) ? index : -1;
  }
  let depth = 0;
  for (let index = start; index < length; index++) {
    const byte = bytes[index] as number;
    if (byte === QUOTE) {
      index = stringEnd(bytes, index);
      if (index < 0) return -1;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth++;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return index + 1;
    } else if (byte === MINUS || (byte >= ZERO && byte <= NINE)) {
      // Outside strings, only numbers hold digits and minus signs (true, false and null hold neither).
      let end = index + 1;
      while (end < length && isTokenByte(bytes[end] as number)) end++;
      if (!isCopyableNumber(bytes, index, end)) return -1;
      index = end - 1;
    }
  }
  return -1;
}

/** Bytes of a literal or number token: letters, digits, `+ - .`. */
function isTokenByte(byte: number): boolean {
  return (
    (byte >= ZERO && byte <= NINE) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    (byte >= 0x41 && byte <= 0x5a) ||
    byte === 0x2b ||
    byte === MINUS ||
    byte === 0x2e
  );
}

/**
 * Whether a number token (or literal) parses to what its re-serialized form
 * parses to. Refused: `-0…` (`-0` serializes as `0`), exponents (`1e400` is
 * Infinity, serialized `null`) and very long numbers. Conservative: these are
 * rare in Messages bodies, and refusing only costs a serialization.
 */
function isCopyableNumber(bytes: Uint8Array, start: number, end: number): boolean {
  const first = bytes[start] as number;
  if (first !== MINUS && (first < ZERO || first > NINE)) return true; // true, false, null
  if (end - start > MAX_NUMBER_CHARS) return false;
  if (first === MINUS && bytes[start + 1] === ZERO) return false;
  for (let index = start; index < end; index++) {
    const byte = bytes[index];
    if (byte === LOWER_E || byte === UPPER_E) return false;
  }
  return true;
}
