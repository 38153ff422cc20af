import { describe, expect, it } from 'vitest';
import { isJsonObject, previewText, safeParseJson } from './json.js';

describe('safeParseJson', () => {
  it('returns the value of valid JSON', () => {
    expect(safeParseJson('{"type":"ping","n":[1,null]}')).toEqual({
      ok: true,
      value: { type: 'ping', n: [1, null] },
    });
    expect(safeParseJson('null')).toEqual({ ok: true, value: null });
  });

  it('returns the parse error instead of throwing', () => {
    const result = safeParseJson('{"type":');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toBeInstanceOf(SyntaxError);
  });
});

describe('previewText', () => {
  it('keeps short text', () => {
    expect(previewText('short')).toBe('short');
    expect(previewText('x'.repeat(200))).toBe('x'.repeat(200));
  });

  it('cuts long text and says how long it was', () => {
    expect(previewText('x'.repeat(201))).toBe(`${'x'.repeat(200)}…(201 characters)`);
    expect(previewText('abcdef', 3)).toBe('abc…(6 characters)');
  });
});

describe('isJsonObject', () => {
  it('accepts objects only', () => {
    expect(isJsonObject({})).toBe(true);
    expect(isJsonObject([])).toBe(false);
    expect(isJsonObject(null)).toBe(false);
    expect(isJsonObject('{}')).toBe(false);
  });
});
