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

/**
 * Below this many bytes splicing costs more than it saves: its fixed cost
 * (about 3 us) is more than serializing and encoding a small body. Measured
 * break-even: between 1 and 2 KB.
 */
export const MIN_SPLICE_BYTES = 2048;

/** Longer number tokens are not copied: from 309 digits on, a number parses to Infinity (serialized as `null`). */
const MAX_NUMBER_CHARS = 300;

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
  // Pieces in order: text to write, or the index of a member whose value bytes are copied.
  const pieces: Array<string | number> = [];
  let text = '{';
  let total = 0;
  let first = true;
  for (const key of Object.keys(edited)) {
    const value = edited[key];
    if (value === undefined) continue;
    text += `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    const member = value === original[key] && Object.hasOwn(original, key) ? members.find(key) : -1;
    if (member < 0) {
      text += JSON.stringify(value);
      continue;
    }
    pieces.push(text, member);
    total += Buffer.byteLength(text) + members.valueLength(member);
    text = '';
  }
  text += '}';
  pieces.push(text);
  total += Buffer.byteLength(text);
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (const piece of pieces) {
    if (typeof piece === 'string') at += out.write(piece, at);
    else at += members.copyValue(piece, out, at);
  }
  return out;
}

/**
 * The top-level members of a JSON object's bytes: where each key and value
 * is. Keys stay bytes; only one written with escapes or non-ASCII bytes is
 * decoded (a Messages body's keys are plain ASCII).
 */
export class TopLevelMembers {
  /** Per member: key start, key end (inside the quotes), value start, value end. */
  readonly offsets: number[] = [];
  /** Decoded keys of the members whose keys need decoding, by member index. */
  private readonly decoded = new Map<number, string>();

  constructor(private readonly bytes: Uint8Array) {}

  get count(): number {
    return this.offsets.length / 4;
  }

  /** @returns false when the key cannot be decoded. */
  add(keyStart: number, keyEnd: number, valueStart: number, valueEnd: number): boolean {
    const bytes = this.bytes;
    for (let index = keyStart; index < keyEnd; index++) {
      const byte = bytes[index] as number;
      if (byte === BACKSLASH || byte >= 0x80) {
        const key = decodeKey(bytes, keyStart, keyEnd);
        if (key === undefined) return false;
        this.decoded.set(this.count, key);
        break;
      }
    }
    this.offsets.push(keyStart, keyEnd, valueStart, valueEnd);
    return true;
  }

  /** The member holding `key` (the last one when given twice, as `JSON.parse` reads it), or -1. */
  find(key: string): number {
    for (let member = this.count - 1; member >= 0; member--) if (this.keyIs(member, key)) return member;
    return -1;
  }

  key(member: number): string {
    const decoded = this.decoded.get(member);
    if (decoded !== undefined) return decoded;
    const start = this.offsets[member * 4] as number;
    const end = this.offsets[member * 4 + 1] as number;
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, end - start).toString('latin1');
  }

  /** The value's bytes as text (for tests and messages). */
  valueText(member: number): string {
    const start = this.offsets[member * 4 + 2] as number;
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, this.valueLength(member)).toString();
  }

  valueLength(member: number): number {
    return (this.offsets[member * 4 + 3] as number) - (this.offsets[member * 4 + 2] as number);
  }

  /** Copies the value's bytes into `target` at `at`; their length. */
  copyValue(member: number, target: Uint8Array, at: number): number {
    const start = this.offsets[member * 4 + 2] as number;
    const end = this.offsets[member * 4 + 3] as number;
    target.set(this.bytes.subarray(start, end), at);
    return end - start;
  }

  private keyIs(member: number, key: string): boolean {
    if (this.decoded.size > 0) {
      const decoded = this.decoded.get(member);
      if (decoded !== undefined) return decoded === key;
    }
    const start = this.offsets[member * 4] as number;
    if ((this.offsets[member * 4 + 1] as number) - start !== key.length) return false;
    const bytes = this.bytes;
    for (let index = 0; index < key.length; index++) {
      if (bytes[start + index] !== key.charCodeAt(index)) return false;
    }
    return true;
  }
}

/**
 * The top-level members of the JSON object in `bytes`. Undefined when the
 * bytes are not one object, or a value holds a number that would not
 * survive a parse and serialize unchanged.
 */
export function topLevelMembers(bytes: Uint8Array): TopLevelMembers | undefined {
  const members = new TopLevelMembers(bytes);
  const length = bytes.length;
  let index = skipSpace(bytes, 0);
  if (bytes[index] !== OPEN_BRACE) return undefined;
  index = skipSpace(bytes, index + 1);
  if (bytes[index] === CLOSE_BRACE) return skipSpace(bytes, index + 1) === length ? members : undefined;
  for (;;) {
    if (bytes[index] !== QUOTE) return undefined;
    const keyEnd = stringEnd(bytes, index);
    if (keyEnd < 0) return undefined;
    const keyStart = index + 1;
    index = skipSpace(bytes, keyEnd + 1);
    if (bytes[index] !== COLON) return undefined;
    const start = skipSpace(bytes, index + 1);
    const end = valueEnd(bytes, start);
    if (end < 0 || !members.add(keyStart, keyEnd, start, end)) return undefined;
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

function decodeKey(bytes: Uint8Array, start: number, end: number): string | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
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
