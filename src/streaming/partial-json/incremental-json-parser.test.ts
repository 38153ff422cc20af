import { describe, expect, it } from 'vitest';
import { IncrementalJsonParser } from './incremental-json-parser.js';
import type { JsonValue } from './json-value.js';

const TRICKY_DOCUMENTS: Record<string, string> = {
  escapes: String.raw`{"s": "quote \" backslash \\ slash \/ controls \b\f\n\r\t unicode \u00e9\u20AC end\\"}`,
  'escaped surrogate pairs': String.raw`{"emoji": "\ud83d\ude00 and \uD834\uDD1E", "lone": "\ud800"}`,
  'raw surrogate pairs': '{"emoji": "😀 𝄞 🇫🇷", "mixed": ["é", "€", "😀"]}',
  numbers: '[0, -0, 1.5, -1.5e-10, 1E+3, 2e-0, 123456789012345678901234567890, 0.000001, 1e400, -12.75E2]',
  literals: '{"t": true, "f": false, "n": null, "nested": [true, [false, [null]]]}',
  whitespace: ' \n\t{ "a" : [ 1 , 2 ] , "b" : { } , "c" : "x" } \r\n',
  'empty containers': '{"a": {}, "b": [], "c": [[]], "d": [{}], "e": ""}',
  'odd keys': String.raw`{"k\"ey": 1, "__proto__": {"x": 1}, "": 2, "constructor": "c", "a b": [3]}`,
  'tool input': JSON.stringify({
    path: 'poems/ocean.txt',
    lines_of_text: ['The sea, "the sea"', 'goes on\\and on', 'tab\there', '— à la ligne —'],
    options: { overwrite: true, mode: 420, encoding: null, ratio: -0.25 },
  }),
  'top-level string': '"just \\"a\\" string"',
  'top-level array': '[[1, [2, [3]]], {"deep": {"deeper": [null]}}]',
};

/** Whether `later` extends `earlier`: strings grow, members and items are added, nothing else changes. */
function extendsValue(earlier: JsonValue | undefined, later: JsonValue | undefined): boolean {
  if (earlier === undefined) return true;
  if (typeof earlier === 'string') return typeof later === 'string' && later.startsWith(earlier);
  if (Array.isArray(earlier)) {
    return (
      Array.isArray(later) &&
      later.length >= earlier.length &&
      earlier.every((item, index) => extendsValue(item, later[index]))
    );
  }
  if (typeof earlier === 'object' && earlier !== null) {
    if (typeof later !== 'object' || later === null || Array.isArray(later)) return false;
    return Object.keys(earlier).every(
      (key) => Object.hasOwn(later, key) && extendsValue(earlier[key], later[key]),
    );
  }
  return Object.is(earlier, later);
}

function parseInPieces(pieces: readonly string[]): IncrementalJsonParser {
  const parser = new IncrementalJsonParser();
  for (const piece of pieces) parser.push(piece);
  parser.end();
  return parser;
}

/** A small deterministic random generator (mulberry32), so failures reproduce. */
function randomGenerator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function randomPieces(text: string, random: () => number, maximum: number): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length; ) {
    const length = 1 + Math.floor(random() * maximum);
    pieces.push(text.slice(start, start + length));
    start += length;
  }
  return pieces;
}

describe('IncrementalJsonParser', () => {
  describe('gives JSON.parse of the whole at every split point', () => {
    for (const [name, text] of Object.entries(TRICKY_DOCUMENTS)) {
      it(name, () => {
        const expected = JSON.parse(text) as JsonValue;
        for (let split = 0; split <= text.length; split++) {
          const parser = parseInPieces([text.slice(0, split), text.slice(split)]);
          expect(parser.snapshot, `split at ${split}`).toEqual(expected);
          expect(parser.isComplete && parser.isValid, `split at ${split}`).toBe(true);
        }
        const random = randomGenerator(text.length);
        for (let round = 0; round < 50; round++) {
          expect(parseInPieces(randomPieces(text, random, 7)).snapshot).toEqual(expected);
        }
      });
    }
  });

  describe('keeps every snapshot an extension of the one before', () => {
    for (const [name, text] of Object.entries(TRICKY_DOCUMENTS)) {
      it(name, () => {
        const parser = new IncrementalJsonParser();
        let previous: JsonValue | undefined;
        for (const character of text) {
          for (const unit of character.length === 2
            ? [character[0] ?? '', character[1] ?? '']
            : [character]) {
            parser.push(unit);
            const current = structuredClone(parser.snapshot);
            expect(extendsValue(previous, current), `after ${JSON.stringify(parser.rawText)}`).toBe(true);
            previous = current;
          }
        }
      });
    }

    it('the extension check itself rejects a changed value', () => {
      expect(extendsValue({ a: [1] }, { a: [2] })).toBe(false);
      expect(extendsValue({ a: 'ab' }, { a: 'a' })).toBe(false);
      expect(extendsValue({ a: 1 }, {})).toBe(false);
      expect(extendsValue({ a: 'a' }, { a: 'ab', b: [] })).toBe(true);
    });
  });

  it('shows a partial string as it grows, and hides partial numbers, literals and unstarted values', () => {
    const parser = new IncrementalJsonParser();
    const steps: [string, JsonValue | undefined][] = [
      ['{"name": "Ro', { name: 'Ro' }],
      ['ses \\u00', { name: 'Roses ' }],
      ['e9", "count": 12', { name: 'Roses é' }],
      ['3, "ok": tr', { name: 'Roses é', count: 123 }],
      ['ue, "next":', { name: 'Roses é', count: 123, ok: true }],
      [' [', { name: 'Roses é', count: 123, ok: true, next: [] }],
      ['"a\\', { name: 'Roses é', count: 123, ok: true, next: ['a'] }],
      ['"b"]}', { name: 'Roses é', count: 123, ok: true, next: ['a"b'] }],
    ];
    for (const [fragment, expected] of steps) {
      parser.push(fragment);
      expect(parser.snapshot, `after ${JSON.stringify(fragment)}`).toEqual(expected);
    }
    expect(parser.isComplete).toBe(true);
  });

  it('completes a top-level number only at end()', () => {
    const parser = new IncrementalJsonParser();
    parser.push('-12.5e');
    parser.push('2');
    expect(parser.snapshot).toBeUndefined();
    expect(parser.isComplete).toBe(false);
    parser.end();
    expect(parser.snapshot).toBe(-1250);
    expect(parser.isComplete).toBe(true);
  });

  it('reports an unfinished document (a max_tokens stop) as valid, incomplete, with what is missing', () => {
    const parser = parseInPieces(['{"path": "a.txt", "lines_of_text": ["one", "tw']);
    expect(parser.isValid).toBe(true);
    expect(parser.isComplete).toBe(false);
    expect(parser.snapshot).toEqual({ path: 'a.txt', lines_of_text: ['one', 'tw'] });
    expect(parser.incomplete()).toEqual({ path: ['lines_of_text', 1], inside: 'string', closers: '"]}' });

    const cutAfterColon = parseInPieces(['{"a": {"b": ']);
    expect(cutAfterColon.snapshot).toEqual({ a: {} });
    expect(cutAfterColon.incomplete()).toEqual({ path: ['a', 'b'], inside: 'value', closers: '}}' });

    expect(parseInPieces(['']).incomplete()).toEqual({ path: [], inside: 'nothing', closers: '' });
    expect(parseInPieces(['{}']).incomplete()).toBeUndefined();
  });

  it('flags invalid JSON without throwing, freezes the snapshot and keeps the raw text', () => {
    const parser = new IncrementalJsonParser();
    parser.push('{"a": 1, "b": tru');
    parser.push('}');
    expect(parser.isValid).toBe(false);
    expect(parser.error).toEqual({ message: 'Unexpected "}" at offset 17: expected true.', offset: 17 });
    expect(parser.snapshot).toEqual({ a: 1 });
    parser.push(', "c": "more"}');
    expect(parser.snapshot).toEqual({ a: 1 });
    expect(parser.rawText).toBe('{"a": 1, "b": tru}, "c": "more"}');
    expect(parser.isComplete).toBe(false);
    expect(parser.incomplete()).toBeUndefined();
  });

  it('keeps the valid part of a string cut by an error', () => {
    const parser = parseInPieces(['{"a": "line one', '\nline two"}']);
    expect(parser.isValid).toBe(false);
    expect(parser.error?.offset).toBe(15);
    expect(parser.snapshot).toEqual({ a: 'line one' });
  });

  it('accepts exactly what JSON.parse accepts, on random corruptions split anywhere', () => {
    const random = randomGenerator(7);
    const alphabet = '{}[]":,\\ 0123456789.-+eEtrufalsn\u00e9\n\t/bx';
    const sources = Object.values(TRICKY_DOCUMENTS);
    let rejected = 0;
    for (let round = 0; round < 3000; round++) {
      const source = sources[round % sources.length] ?? '';
      let text = source;
      const edits = 1 + Math.floor(random() * 3);
      for (let edit = 0; edit < edits; edit++) {
        const at = Math.floor(random() * (text.length + 1));
        const character = alphabet[Math.floor(random() * alphabet.length)] ?? '';
        const kind = random();
        if (kind < 0.4) text = text.slice(0, at) + character + text.slice(at);
        else if (kind < 0.7) text = text.slice(0, at) + text.slice(at + 1);
        else if (kind < 0.85) text = text.slice(0, at) + character + text.slice(at + 1);
        else text = text.slice(0, at);
      }
      let expected: { value: unknown } | undefined;
      try {
        expected = { value: JSON.parse(text) };
      } catch {
        expected = undefined;
        rejected++;
      }
      const parser = parseInPieces(randomPieces(text, random, 5));
      expect(parser.isValid && parser.isComplete, `for ${JSON.stringify(text)}`).toBe(expected !== undefined);
      if (expected !== undefined)
        expect(parser.snapshot, `for ${JSON.stringify(text)}`).toEqual(expected.value);
    }
    expect(rejected).toBeGreaterThan(1000);
  });

  it('does work linear in the input for 1 MB in 16-character deltas read after every delta', () => {
    const lines = Array.from(
      { length: 20_000 },
      (_, index) => `Line ${index}: "quoted" \\ text \u00e9 😀 ${'x'.repeat(index % 40)}`,
    );
    const text = JSON.stringify({
      lines_of_text: lines,
      meta: { count: lines.length, nested: [{ ok: true }] },
    });
    expect(text.length).toBeGreaterThan(1_000_000);
    const parser = new IncrementalJsonParser();
    for (let start = 0; start < text.length; start += 16) {
      parser.push(text.slice(start, start + 16));
      parser.snapshot;
    }
    expect(parser.steps).toBeLessThanOrEqual(2 * text.length);
    expect(parser.snapshot).toEqual(JSON.parse(text));
  });

  it('does work linear in the input for one 1 MB string read after every delta', () => {
    const text = JSON.stringify({ content: 'abc\\"\u00e9\n'.repeat(120_000) });
    const parser = new IncrementalJsonParser();
    let shown = 0;
    for (let start = 0; start < text.length; start += 16) {
      parser.push(text.slice(start, start + 16));
      const content = (parser.snapshot as { content?: string }).content ?? '';
      if (content.length < shown) throw new Error('the string shrank');
      shown = content.length;
    }
    expect(shown).toBe(840_000);
    expect(parser.steps).toBeLessThanOrEqual(2 * text.length);
    expect(JSON.stringify(parser.snapshot)).toBe(text);
  });
});
