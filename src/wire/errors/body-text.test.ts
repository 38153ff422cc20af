import { describe, expect, it } from 'vitest';
import { MAX_TEXT_MESSAGE_LENGTH, messageText, parseJsonSafely, textAsMessage } from './body-text.js';

describe('parseJsonSafely', () => {
  it('parses JSON and gives undefined for anything else', () => {
    expect(parseJsonSafely('[{"a":1}]')).toEqual([{ a: 1 }]);
    expect(parseJsonSafely('<html>Bad Gateway</html>')).toBeUndefined();
    expect(parseJsonSafely('')).toBeUndefined();
  });
});

describe('textAsMessage', () => {
  it('trims, and gives undefined for blank text', () => {
    expect(textAsMessage('\n Bad Gateway \n')).toBe('Bad Gateway');
    expect(textAsMessage('  ')).toBeUndefined();
  });

  it('cuts very long bodies and says how much was cut', () => {
    const message = textAsMessage('x'.repeat(MAX_TEXT_MESSAGE_LENGTH + 25));
    expect(message).toBe(`${'x'.repeat(MAX_TEXT_MESSAGE_LENGTH)}… (25 more characters)`);
  });
});

describe('messageText', () => {
  it('keeps strings and writes anything else as JSON', () => {
    expect(messageText('Overloaded')).toBe('Overloaded');
    expect(messageText('')).toBe('');
    expect(messageText({ detail: 'x' })).toBe('{"detail":"x"}');
    expect(messageText(null)).toBeUndefined();
    expect(messageText(undefined)).toBeUndefined();
  });
});
