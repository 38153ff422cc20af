/**
 * Incremental partial JSON: fed one `input_json_delta` fragment at a time, it
 * keeps a live best-effort value of the JSON text so far.
 *
 * Why our own parser. We evaluated the two candidates for linear-time,
 * tolerant parsing with live partial snapshots:
 * - `partial-json` (`parse(text, Allow.ALL)`) is a stateless function: every
 *   snapshot re-parses the whole buffer, so a snapshot per delta is O(N²)
 *   (the same flaw as the official SDK's `partialParse`, which also hides
 *   unfinished strings).
 * - `@streamparser/json` is linear, but with `emitPartialTokens` and
 *   `emitPartialValues` it reports a growing string through a callback and
 *   does not put it into the parent object, so a snapshot needs an adapter
 *   that patches every partial value into its parent; it re-encodes every
 *   fragment to UTF-8 bytes and decodes them back; it counts no work, so
 *   linearity cannot be tested without timing; and it is a devDependency here,
 *   so using it would add a runtime dependency.
 * This parser is a character state machine that updates one live value in
 * place: completed scalars, objects and arrays are written into their parent
 * as they finish or open, and the one string that can be open at a time grows
 * by pieces joined only when the snapshot is read (see `GrowingText`).
 *
 * Snapshot rules:
 * - objects and arrays hold the members seen so far (`{}` as soon as `{` arrives);
 * - a string value shows its text so far (an unfinished escape such as `\u00`
 *   shows once its last character arrives);
 * - a number is omitted until a character after it shows it has ended
 *   (`12` could still become `123`); a top-level number completes on `end()`;
 * - `true`, `false`, `null` are omitted until complete;
 * - a member whose value has not started is omitted.
 * So every snapshot extends the previous one: strings grow, members are added,
 * nothing changes value. On a syntax error the snapshot stops changing, the raw
 * text keeps growing and nothing throws.
 */
import { GrowingText } from './growing-text.js';
import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  isJsonWhitespace,
  LOWER_F,
  LOWER_N,
  LOWER_T,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
} from './json-characters.js';
import {
  firstNumberPhase,
  isCompleteNumberPhase,
  NUMBER_ENDS,
  NUMBER_INVALID,
  NumberPhase,
  nextNumberPhase,
  startsNumber,
} from './json-number.js';
import { JsonStringReader } from './json-string-reader.js';
import { type JsonObject, type JsonValue, setMember } from './json-value.js';
import type { IncompleteJson, JsonSyntaxError, PartialJsonState } from './partial-json-state.js';

interface Frame {
  container: JsonObject | JsonValue[];
  isArray: boolean;
  /** The member being read, in an object. */
  key: string;
  /** This container's key or index in its parent. */
  keyInParent: string | number;
}

const EXPECT_VALUE = 0;
const EXPECT_VALUE_OR_END = 1;
const EXPECT_KEY_OR_END = 2;
const EXPECT_KEY = 3;
const EXPECT_COLON = 4;
const AFTER_VALUE = 5;
const IN_STRING = 6;
const IN_NUMBER = 7;
const IN_LITERAL = 8;
const DONE = 9;
const FAILED = 10;

/**
 * Parses JSON text fed in fragments, keeping a live snapshot; never throws.
 * Work is proportional to the fragment (see `steps`).
 *
 * @example
 * const parser = new IncrementalJsonParser();
 * parser.push('{"lines": ["Roses are r');
 * parser.snapshot; // { lines: ['Roses are r'] }
 * parser.push('ed"]}');
 * parser.isComplete; // true
 */
export class IncrementalJsonParser implements PartialJsonState {
  #state = EXPECT_VALUE;
  #frames: Frame[] = [];
  #root: JsonValue | undefined = undefined;
  #hasValue = false;
  #complete = false;
  #error: JsonSyntaxError | undefined = undefined;
  #raw = new GrowingText();
  /** Characters of raw text before the fragment being read. */
  #offset = 0;
  #steps = 0;

  #string = new JsonStringReader();
  #stringIsKey = false;
  #stringContainer: JsonObject | JsonValue[] | undefined = undefined;
  #stringKey: string | number = '';

  #numberText = '';
  #numberPhase: NumberPhase = NumberPhase.Integer;

  #literal = '';
  #literalValue: JsonValue = null;
  #literalIndex = 0;

  get snapshot(): JsonValue | undefined {
    this.#flushOpenString();
    return this.#root;
  }

  get hasValue(): boolean {
    return this.#hasValue;
  }

  get isComplete(): boolean {
    return this.#complete;
  }

  get isValid(): boolean {
    return this.#error === undefined;
  }

  get error(): JsonSyntaxError | undefined {
    return this.#error;
  }

  get rawText(): string {
    return this.#raw.toString();
  }

  get rawLength(): number {
    return this.#raw.length;
  }

  /** Characters examined and joined so far: a work counter for tests that must not time anything. */
  get steps(): number {
    return this.#steps;
  }

  /** Feeds the next fragment of JSON text. */
  push(fragment: string): void {
    if (typeof fragment !== 'string' || fragment.length === 0) return;
    const length = fragment.length;
    this.#raw.append(fragment);
    let index = 0;
    while (index < length && this.#state !== FAILED) {
      const state = this.#state;
      if (state === IN_STRING) {
        index = this.#readString(fragment, index);
      } else if (state === IN_NUMBER) {
        index = this.#readNumber(fragment, index);
      } else {
        this.#readStructure(fragment.charCodeAt(index), index);
        index++;
      }
    }
    this.#offset += length;
  }

  /** Says the text is over: a top-level number then counts as complete. */
  end(): void {
    if (this.#state === IN_NUMBER && this.#frames.length === 0 && isCompleteNumberPhase(this.#numberPhase)) {
      this.#finishNumber();
    }
  }

  incomplete(): IncompleteJson | undefined {
    const state = this.#state;
    if (state === DONE || state === FAILED) return undefined;
    const frames = this.#frames;
    const top = frames[frames.length - 1];
    const path: (string | number)[] = [];
    for (let level = 1; level < frames.length; level++) path.push((frames[level] as Frame).keyInParent);
    const inside = this.#inside(top);
    if (top !== undefined && inside !== 'key' && inside !== 'object' && inside !== 'array') {
      path.push(state === IN_STRING ? this.#stringKey : this.#memberKey(top));
    }
    let closers = state === IN_STRING ? '"' : '';
    for (let level = frames.length - 1; level >= 0; level--) {
      closers += (frames[level] as Frame).isArray ? ']' : '}';
    }
    return { path, inside, closers };
  }

  #inside(top: Frame | undefined): IncompleteJson['inside'] {
    switch (this.#state) {
      case IN_STRING:
        return this.#stringIsKey ? 'key' : 'string';
      case IN_NUMBER:
        return 'number';
      case IN_LITERAL:
        return 'literal';
      case EXPECT_VALUE:
      case EXPECT_COLON:
        return this.#hasValue ? 'value' : 'nothing';
      default:
        return top?.isArray ? 'array' : 'object';
    }
  }

  #readStructure(code: number, index: number): void {
    this.#steps++;
    const state = this.#state;
    if (state === IN_LITERAL) {
      this.#readLiteral(code, index);
      return;
    }
    if (isJsonWhitespace(code)) return;
    switch (state) {
      case EXPECT_VALUE:
        this.#startValue(code, index);
        return;
      case EXPECT_VALUE_OR_END:
        if (code === CLOSE_BRACKET) this.#close();
        else this.#startValue(code, index);
        return;
      case EXPECT_KEY_OR_END:
      case EXPECT_KEY:
        if (code === QUOTE) this.#startString(true);
        else if (code === CLOSE_BRACE && state === EXPECT_KEY_OR_END) this.#close();
        else this.#fail(index, code, 'expected a member name in double quotes');
        return;
      case EXPECT_COLON:
        if (code === COLON) this.#state = EXPECT_VALUE;
        else this.#fail(index, code, "expected ':' after the member name");
        return;
      case AFTER_VALUE: {
        const isArray = (this.#frames[this.#frames.length - 1] as Frame).isArray;
        if (code === COMMA) this.#state = isArray ? EXPECT_VALUE : EXPECT_KEY;
        else if (code === (isArray ? CLOSE_BRACKET : CLOSE_BRACE)) this.#close();
        else this.#fail(index, code, isArray ? "expected ',' or ']'" : "expected ',' or '}'");
        return;
      }
      default:
        this.#fail(index, code, 'expected the end of the text after the complete value');
    }
  }

  #startValue(code: number, index: number): void {
    if (code === QUOTE) {
      this.#startString(false);
    } else if (code === OPEN_BRACE) {
      this.#open({}, false);
      this.#state = EXPECT_KEY_OR_END;
    } else if (code === OPEN_BRACKET) {
      this.#open([], true);
      this.#state = EXPECT_VALUE_OR_END;
    } else if (startsNumber(code)) {
      this.#numberText = String.fromCharCode(code);
      this.#numberPhase = firstNumberPhase(code);
      this.#state = IN_NUMBER;
    } else if (code === LOWER_T || code === LOWER_F || code === LOWER_N) {
      this.#literal = code === LOWER_T ? 'true' : code === LOWER_F ? 'false' : 'null';
      this.#literalValue = code === LOWER_T ? true : code === LOWER_F ? false : null;
      this.#literalIndex = 1;
      this.#state = IN_LITERAL;
    } else {
      this.#fail(index, code, 'expected a value');
    }
  }

  #memberKey(frame: Frame): string | number {
    return frame.isArray ? (frame.container as JsonValue[]).length : frame.key;
  }

  #place(value: JsonValue): void {
    const frame = this.#frames[this.#frames.length - 1];
    if (frame === undefined) {
      this.#root = value;
      this.#hasValue = true;
    } else if (frame.isArray) {
      (frame.container as JsonValue[]).push(value);
    } else {
      setMember(frame.container as JsonObject, frame.key, value);
    }
  }

  #open(container: JsonObject | JsonValue[], isArray: boolean): void {
    const parent = this.#frames[this.#frames.length - 1];
    const keyInParent = parent === undefined ? '' : this.#memberKey(parent);
    this.#place(container);
    this.#frames.push({ container, isArray, key: '', keyInParent });
  }

  #close(): void {
    this.#frames.pop();
    this.#afterValue();
  }

  #afterValue(): void {
    if (this.#frames.length === 0) {
      this.#state = DONE;
      this.#complete = true;
    } else {
      this.#state = AFTER_VALUE;
    }
  }

  #startString(isKey: boolean): void {
    this.#string.start();
    this.#stringIsKey = isKey;
    if (!isKey) {
      const frame = this.#frames[this.#frames.length - 1];
      this.#stringContainer = frame?.container;
      this.#stringKey = frame === undefined ? '' : this.#memberKey(frame);
      this.#place('');
    }
    this.#state = IN_STRING;
  }

  #readString(fragment: string, start: number): number {
    const reader = this.#string;
    const index = reader.read(fragment, start);
    if (reader.status === 'open') {
      this.#steps += index - start;
    } else if (reader.status === 'closed') {
      this.#steps += index - start;
      this.#closeString();
    } else {
      this.#steps += index + 1 - start;
      this.#fail(index, fragment.charCodeAt(index), reader.expectation);
    }
    return index;
  }

  #closeString(): void {
    const text = this.#string.text;
    this.#steps += text.pendingLength;
    const value = text.toString();
    text.clear();
    if (this.#stringIsKey) {
      (this.#frames[this.#frames.length - 1] as Frame).key = value;
      this.#state = EXPECT_COLON;
    } else {
      this.#writeString(value);
      this.#afterValue();
    }
  }

  #writeString(value: string): void {
    const container = this.#stringContainer;
    if (container === undefined) this.#root = value;
    else if (Array.isArray(container)) container[this.#stringKey as number] = value;
    else setMember(container, this.#stringKey as string, value);
  }

  /** Writes the open string's new pieces into the snapshot: O(new pieces). */
  #flushOpenString(): void {
    const text = this.#string.text;
    if (this.#state === IN_STRING && !this.#stringIsKey && text.pendingLength > 0) {
      this.#steps += text.pendingLength;
      this.#writeString(text.toString());
    }
  }

  #readNumber(fragment: string, start: number): number {
    const length = fragment.length;
    let phase = this.#numberPhase;
    let index = start;
    while (index < length) {
      const code = fragment.charCodeAt(index);
      const next = nextNumberPhase(phase, code);
      if (next === NUMBER_ENDS || next === NUMBER_INVALID) {
        this.#numberText += fragment.slice(start, index);
        this.#numberPhase = phase;
        this.#steps += index + 1 - start;
        if (next === NUMBER_ENDS) this.#finishNumber();
        else
          this.#fail(index, code, `the number ${JSON.stringify(this.#numberText)} cannot continue this way`);
        return index;
      }
      phase = next;
      index++;
    }
    this.#numberText += fragment.slice(start, index);
    this.#numberPhase = phase;
    this.#steps += index - start;
    return index;
  }

  #finishNumber(): void {
    this.#place(Number(this.#numberText));
    this.#numberText = '';
    this.#afterValue();
  }

  #readLiteral(code: number, index: number): void {
    const literal = this.#literal;
    if (code !== literal.charCodeAt(this.#literalIndex)) {
      this.#fail(index, code, `expected ${literal}`);
      return;
    }
    if (++this.#literalIndex === literal.length) {
      this.#place(this.#literalValue);
      this.#afterValue();
    }
  }

  #fail(index: number, code: number, expectation: string): void {
    this.#flushOpenString();
    const offset = this.#offset + index;
    const found = JSON.stringify(String.fromCharCode(code));
    this.#error = { message: `Unexpected ${found} at offset ${offset}: ${expectation}.`, offset };
    this.#state = FAILED;
  }
}
