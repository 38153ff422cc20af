import type { JsonValue } from './json-value.js';

/** Where a syntax error was found, as a character offset into the raw text. */
export interface JsonSyntaxError {
  message: string;
  offset: number;
}

/** What an unfinished JSON text still lacks. */
export interface IncompleteJson {
  /** The path of the value being written when the text stopped, e.g. `['lines_of_text', 41]`. */
  path: (string | number)[];
  /** The token the text stopped in (`nothing`: no value has started). */
  inside: 'nothing' | 'value' | 'object' | 'array' | 'key' | 'string' | 'number' | 'literal';
  /** The quote and brackets still open, innermost first, e.g. `"]}`. */
  closers: string;
}

/** The read side of a partial JSON parser. */
export interface PartialJsonState {
  /** The live value so far, updated in place by later fragments: clone it to keep a copy. */
  readonly snapshot: JsonValue | undefined;
  /** Whether a value has started (the text is not only whitespace). */
  readonly hasValue: boolean;
  /** Whether the top-level value has closed. */
  readonly isComplete: boolean;
  /** Whether no syntax error was found so far. */
  readonly isValid: boolean;
  readonly error: JsonSyntaxError | undefined;
  /** All the text pushed so far, also after an error. */
  readonly rawText: string;
  readonly rawLength: number;
  /** What the text still lacks, or `undefined` when it is complete or invalid. */
  incomplete(): IncompleteJson | undefined;
}
