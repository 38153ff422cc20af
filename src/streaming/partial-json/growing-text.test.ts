import { describe, expect, it } from 'vitest';
import { GrowingText } from './growing-text.js';

describe('GrowingText', () => {
  it('joins pieces when read and keeps the join', () => {
    const text = new GrowingText();
    text.append('ab');
    text.append('');
    text.append('c');
    expect(text.length).toBe(3);
    expect(text.pendingLength).toBe(3);
    expect(text.toString()).toBe('abc');
    expect(text.pendingLength).toBe(0);
    text.append('d');
    expect(text.pendingLength).toBe(1);
    expect(text.toString()).toBe('abcd');
    expect(text.toString()).toBe('abcd');
  });

  it('starts over on clear', () => {
    const text = new GrowingText();
    text.append('old');
    text.toString();
    text.clear();
    text.append('new');
    expect(text.toString()).toBe('new');
    expect(text.length).toBe(3);
  });
});
