import { describe, expect, it } from 'vitest';
import { IncrementalJsonParser } from './partial-json/incremental-json-parser.js';
import { describeToolInput } from './tool-input-report.js';

function parsed(text: string): IncrementalJsonParser {
  const parser = new IncrementalJsonParser();
  parser.push(text);
  parser.end();
  return parser;
}

describe('describeToolInput', () => {
  it('says nothing is wrong with complete JSON or an empty input', () => {
    expect(describeToolInput(parsed('{"a": 1}'))).toEqual({
      rawJson: '{"a": 1}',
      isComplete: true,
      isValid: true,
      error: undefined,
      incomplete: undefined,
    });
    expect(describeToolInput(parsed(' ')).error).toBeUndefined();
  });

  it('says where unfinished JSON stopped', () => {
    const report = describeToolInput(parsed('{"lines": ["a", "b'));
    expect(report.isComplete).toBe(false);
    expect(report.error).toBe(
      'The tool input stopped inside a string at $.lines[1] (still open: "]}). A max_tokens stop can cut tool input short.',
    );
  });

  it('says where invalid JSON broke', () => {
    expect(describeToolInput(parsed('{"a": tru}')).error).toBe(
      'The tool input is not valid JSON: Unexpected "}" at offset 9: expected true.',
    );
  });
});
