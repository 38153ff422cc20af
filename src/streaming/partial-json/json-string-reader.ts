import { GrowingText } from './growing-text.js';
import { BACKSLASH, LOWER_U, QUOTE, SPACE } from './json-characters.js';

const ESCAPE_NONE = 0;
const ESCAPE_START = 1;
const ESCAPE_UNICODE = 2;

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}

/**
 * Reads the content of one JSON string (after its opening quote) across
 * fragments split anywhere, also inside an escape such as `\u00e9`. Runs of
 * plain characters are appended as slices; escapes are decoded one by one.
 * A surrogate pair (raw or as two `\u` escapes) is kept as its two UTF-16
 * units, so a pair split between fragments joins up when both have arrived.
 *
 * @example
 * const reader = new JsonStringReader();
 * reader.start();
 * reader.read('caf\\u00', 0); // 8: the fragment ended inside the string
 * reader.read('e9" tail', 0); // 3: just after the closing quote
 * reader.status; // 'closed'
 * reader.text.toString(); // 'café'
 */
export class JsonStringReader {
  /** The decoded text so far. */
  readonly text = new GrowingText();
  status: 'open' | 'closed' | 'failed' = 'open';
  /** What was expected where a syntax error was found. */
  expectation = '';
  #escape = ESCAPE_NONE;
  #unicodeDigits = 0;
  #unicodeValue = 0;

  /** Starts a new string. */
  start(): void {
    this.text.clear();
    this.status = 'open';
    this.#escape = ESCAPE_NONE;
  }

  /**
   * Reads from `start` to the closing quote or the fragment's end. Returns the
   * index after the closing quote (status `closed`), the fragment's length
   * (status `open`), or the index of the offending character (status `failed`).
   */
  read(fragment: string, start: number): number {
    const length = fragment.length;
    const text = this.text;
    let index = start;
    let segmentStart = start;
    while (index < length) {
      if (this.#escape !== ESCAPE_NONE) {
        if (!this.#readEscape(fragment.charCodeAt(index))) return index;
        index++;
        segmentStart = index;
        continue;
      }
      const code = fragment.charCodeAt(index);
      if (code === QUOTE) {
        if (index > segmentStart) text.append(fragment.slice(segmentStart, index));
        this.status = 'closed';
        return index + 1;
      }
      if (code === BACKSLASH || code < SPACE) {
        if (index > segmentStart) text.append(fragment.slice(segmentStart, index));
        if (code !== BACKSLASH) return this.#failed(index, 'a control character in a string must be escaped');
        this.#escape = ESCAPE_START;
        segmentStart = index + 1;
      }
      index++;
    }
    if (index > segmentStart) text.append(fragment.slice(segmentStart, index));
    return index;
  }

  #readEscape(code: number): boolean {
    if (this.#escape === ESCAPE_START) {
      if (code === LOWER_U) {
        this.#escape = ESCAPE_UNICODE;
        this.#unicodeDigits = 0;
        this.#unicodeValue = 0;
        return true;
      }
      const replacement = SIMPLE_ESCAPES[String.fromCharCode(code)];
      if (replacement === undefined) return this.#failedEscape('invalid escape sequence in a string');
      this.text.append(replacement);
      this.#escape = ESCAPE_NONE;
      return true;
    }
    const digit = hexValue(code);
    if (digit < 0) return this.#failedEscape('expected four hexadecimal digits after \\u');
    this.#unicodeValue = this.#unicodeValue * 16 + digit;
    if (++this.#unicodeDigits === 4) {
      this.text.append(String.fromCharCode(this.#unicodeValue));
      this.#escape = ESCAPE_NONE;
    }
    return true;
  }

  #failed(index: number, expectation: string): number {
    this.status = 'failed';
    this.expectation = expectation;
    return index;
  }

  #failedEscape(expectation: string): false {
    this.#failed(0, expectation);
    return false;
  }
}
