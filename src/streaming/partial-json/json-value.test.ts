import { describe, expect, it } from 'vitest';
import { formatJsonPath, type JsonObject, setMember } from './json-value.js';

describe('setMember', () => {
  it('sets __proto__ as an own member, as JSON.parse does', () => {
    const object: JsonObject = {};
    setMember(object, '__proto__', { x: 1 });
    expect(Object.keys(object)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(object).toEqual(JSON.parse('{"__proto__": {"x": 1}}'));
  });
});

describe('formatJsonPath', () => {
  it('writes identifiers with dots and other keys quoted', () => {
    expect(formatJsonPath([])).toBe('$');
    expect(formatJsonPath(['lines_of_text', 3])).toBe('$.lines_of_text[3]');
    expect(formatJsonPath(['a key', 'b'])).toBe('$["a key"].b');
  });
});
