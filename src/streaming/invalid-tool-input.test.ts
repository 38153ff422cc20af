import { describe, expect, it } from 'vitest';
import { buildInvalidToolResult, wrapInvalidJson } from './invalid-tool-input.js';

const NASTY = '{"a": "quote \\" back\\\\slash\nnewline\ttab \u0001 😀 \ud800';

describe('wrapInvalidJson', () => {
  it('wraps the raw text under INVALID_JSON, round-tripping through JSON text', () => {
    const wrapped = wrapInvalidJson(NASTY);
    expect(Object.keys(wrapped)).toEqual(['INVALID_JSON']);
    const text = JSON.stringify(wrapped);
    expect(text).not.toContain('\n');
    expect(text).toContain('\\ud800');
    expect(JSON.parse(text)).toEqual({ INVALID_JSON: NASTY });
  });

  it('takes another key, also __proto__, as an own member', () => {
    expect(wrapInvalidJson('x', 'raw_input')).toEqual({ raw_input: 'x' });
    expect(Object.keys(wrapInvalidJson('x', '__proto__'))).toEqual(['__proto__']);
  });
});

describe('buildInvalidToolResult', () => {
  it('builds an error tool_result whose content is the wrapped JSON text', () => {
    const result = buildInvalidToolResult('toolu_01', '{"lines": ["a", "b');
    expect(result).toEqual({
      type: 'tool_result',
      tool_use_id: 'toolu_01',
      is_error: true,
      content: '{"INVALID_JSON":"{\\"lines\\": [\\"a\\", \\"b"}',
    });
    expect(JSON.parse(result.content as string)).toEqual({ INVALID_JSON: '{"lines": ["a", "b' });
  });

  it('puts an explanation before the wrapped text when given one', () => {
    const result = buildInvalidToolResult('toolu_02', NASTY, {
      key: 'RAW',
      explanation: 'Your input was not valid JSON.',
    });
    expect(result.content).toEqual([
      { type: 'text', text: 'Your input was not valid JSON.' },
      { type: 'text', text: JSON.stringify({ RAW: NASTY }) },
    ]);
  });
});
