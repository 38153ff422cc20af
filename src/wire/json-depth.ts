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

/** What a scan of a JSON text found wrong with it. */
export type JsonScanProblem =
  | { kind: 'too-deep' }
  /** An object names `key` twice; `path` is where that object is, `''` for the top level. */
  | { kind: 'duplicate-key'; key: string; path: string };

const COMMA = 0x2c;

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
  return scanJson(bytes, limit, false)?.kind === 'too-deep';
}

/**
 * One pass over a JSON text that `JSON.parse` accepted: too deep (as
 * {@link jsonNestsDeeperThan}), or an object that names a key twice. Parsers
 * disagree on which of two equal keys counts (`JSON.parse` takes the last,
 * others the first or refuse), so a body with one would be read one way by
 * the gateway's policy and another way upstream. Keys are compared decoded
 * (`"mo\u0064el"` is `"model"`).
 *
 * Keys are not turned into strings: each is hashed from its bytes and
 * compared with the keys of its own object only (bytes, when hashes agree).
 *
 * @example
 * scanJson(Buffer.from('{"a":{"b":1,"b":2}}')); // { kind: 'duplicate-key', key: 'b', path: 'a' }
 */
export function scanJson(
  bytes: Uint8Array,
  limit = MAX_JSON_DEPTH,
  duplicates = true,
): JsonScanProblem | undefined {
  const keys = new KeyStack(bytes);
  let depth = 0;
  // Per level: whether it is an array; where the object's keys begin on the stack; the last
  // key (a stack index) of an object, or the index reached in an array (for the path).
  const isArray: boolean[] = [];
  const base: number[] = [];
  const where: number[] = [];
  let expectKey = false;
  const length = bytes.length;
  for (let index = 0; index < length; index++) {
    const byte = bytes[index];
    if (byte === QUOTE) {
      const start = index;
      // Jump to the closing quote with indexOf (memchr): strings are most of a body's bytes.
      for (;;) {
        const quote = bytes.indexOf(QUOTE, index + 1);
        if (quote < 0) return undefined;
        index = quote;
        let backslashes = 0;
        while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
        if (backslashes % 2 === 0) break;
      }
      if (expectKey) {
        expectKey = false;
        const at = keys.push(start + 1, index, base[depth] as number);
        if (at < 0) {
          return {
            kind: 'duplicate-key',
            key: keys.text(keys.top),
            path: pathOf(keys, isArray, where, depth),
          };
        }
        where[depth] = at;
      }
    } else if (byte === OPEN_BRACE) {
      depth++;
      if (depth > limit) return { kind: 'too-deep' };
      isArray[depth] = false;
      base[depth] = keys.top + 1;
      expectKey = duplicates;
    } else if (byte === OPEN_BRACKET) {
      depth++;
      if (depth > limit) return { kind: 'too-deep' };
      isArray[depth] = true;
      where[depth] = 0;
      expectKey = false;
    } else if (byte === CLOSE_BRACE) {
      keys.top = (base[depth] as number) - 1;
      depth--;
      expectKey = false;
    } else if (byte === CLOSE_BRACKET) {
      depth--;
      expectKey = false;
    } else if (byte === COMMA && duplicates) {
      if (isArray[depth]) where[depth] = (where[depth] as number) + 1;
      else expectKey = true;
    }
  }
  return undefined;
}

/** Objects with more keys than this look duplicates up in a map, not by walking their keys. */
const LINEAR_KEYS = 16;

/** The keys of the open objects, innermost last: where each is in the text, and its hash. */
class KeyStack {
  top = -1;
  private starts: number[] = [];
  private ends: number[] = [];
  private hashes: number[] = [];
  /** Decoded bytes of keys written with escapes, by stack index. */
  private decoded = new Map<number, Uint8Array>();
  /** For an object with many keys: hash → stack indexes, by the object's base. */
  private maps = new Map<number, Map<number, number[]>>();

  constructor(private readonly bytes: Uint8Array) {}

  /** Adds a key of the object whose keys begin at `from`; the stack index, or -1 when the object has it already. */
  push(start: number, end: number, from: number): number {
    const bytes = this.bytes;
    let hash = 0x811c9dc5;
    let escaped = false;
    for (let index = start; index < end; index++) {
      const byte = bytes[index] as number;
      if (byte === BACKSLASH) escaped = true;
      hash = Math.imul(hash ^ byte, 0x01000193);
    }
    const at = ++this.top;
    this.starts[at] = start;
    this.ends[at] = end;
    if (escaped) {
      const canonical = Buffer.from(
        JSON.parse(`"${Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8')}"`),
        'utf8',
      );
      this.decoded.set(at, canonical);
      hash = 0x811c9dc5;
      for (const byte of canonical) hash = Math.imul(hash ^ byte, 0x01000193);
    } else if (this.decoded.size > 0) {
      this.decoded.delete(at);
    }
    this.hashes[at] = hash;
    const count = at - from;
    if (count < LINEAR_KEYS) {
      if (count === 0 && this.maps.size > 0) this.maps.delete(from);
      for (let other = from; other < at; other++) {
        if (this.hashes[other] === hash && this.same(other, at)) return -1;
      }
      return at;
    }
    let map = this.maps.get(from);
    if (!map) {
      map = new Map();
      for (let other = from; other < at; other++) {
        const list = map.get(this.hashes[other] as number);
        if (list) list.push(other);
        else map.set(this.hashes[other] as number, [other]);
      }
      this.maps.set(from, map);
    }
    const list = map.get(hash);
    if (list) {
      for (const other of list) if (this.same(other, at)) return -1;
      list.push(at);
    } else {
      map.set(hash, [at]);
    }
    return at;
  }

  /** A key as text. */
  text(at: number): string {
    const bytes = this.decoded.get(at) ?? this.raw(at);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  }

  private raw(at: number): Uint8Array {
    return this.bytes.subarray(this.starts[at], this.ends[at]);
  }

  private same(a: number, b: number): boolean {
    const escapes = this.decoded.size > 0;
    const left = (escapes && this.decoded.get(a)) || this.raw(a);
    const right = (escapes && this.decoded.get(b)) || this.raw(b);
    if (left.length !== right.length) return false;
    for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
    return true;
  }
}

/** `messages[0].content`: where an object sits, from the keys and indexes above it. */
function pathOf(
  keys: KeyStack,
  isArray: readonly boolean[],
  where: readonly number[],
  depth: number,
): string {
  let path = '';
  // Level 1 is the top-level value itself; the path starts at the key or index inside it.
  for (let level = 1; level < depth; level++) {
    const step = where[level] as number;
    if (isArray[level]) path += `[${step}]`;
    else path += path ? `.${keys.text(step)}` : keys.text(step);
  }
  return path;
}
