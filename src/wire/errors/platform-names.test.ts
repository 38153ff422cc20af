import { describe, expect, it } from 'vitest';
import { seconds, sentence } from './platform-names.js';

describe('message helpers', () => {
  it('counts seconds in words', () => {
    expect([seconds(1), seconds(0.5), seconds(30)]).toEqual(['1 second', '0.5 seconds', '30 seconds']);
  });

  it('capitalises the first letter only', () => {
    expect(sentence('the Anthropic API answered')).toBe('The Anthropic API answered');
    expect(sentence('')).toBe('');
  });
});
