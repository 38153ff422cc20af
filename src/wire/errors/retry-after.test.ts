import { describe, expect, it } from 'vitest';
import { formatRetryAfter, parseRetryAfterSeconds } from './retry-after.js';

const NOW = Date.parse('2025-10-21T07:27:00Z');

describe('parseRetryAfterSeconds', () => {
  it('reads seconds', () => {
    expect(parseRetryAfterSeconds({ 'retry-after': '30' }, NOW)).toBe(30);
    expect(parseRetryAfterSeconds({ 'Retry-After': ' 2.5 ' }, NOW)).toBe(2.5);
  });

  it('reads an HTTP-date against now, and a past date as 0', () => {
    expect(parseRetryAfterSeconds({ 'retry-after': 'Tue, 21 Oct 2025 07:28:00 GMT' }, NOW)).toBe(60);
    expect(parseRetryAfterSeconds({ 'retry-after': 'Tue, 21 Oct 2025 07:00:00 GMT' }, NOW)).toBe(0);
  });

  it('prefers retry-after-ms, as the Anthropic SDK does', () => {
    expect(parseRetryAfterSeconds({ 'retry-after-ms': '1500', 'retry-after': '30' }, NOW)).toBe(1.5);
  });

  it('reads fetch Headers too', () => {
    expect(parseRetryAfterSeconds(new Headers({ 'Retry-After': '7' }), NOW)).toBe(7);
  });

  it('gives undefined for an absent or unreadable header', () => {
    expect(parseRetryAfterSeconds({}, NOW)).toBeUndefined();
    expect(parseRetryAfterSeconds(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfterSeconds({ 'retry-after': 'soon' }, NOW)).toBeUndefined();
    expect(parseRetryAfterSeconds({ 'retry-after': '-5' }, NOW)).toBeUndefined();
    expect(parseRetryAfterSeconds({ 'retry-after': '' }, NOW)).toBeUndefined();
  });
});

describe('formatRetryAfter', () => {
  it('rounds up to whole seconds', () => {
    expect(formatRetryAfter(1.2)).toBe('2');
    expect(formatRetryAfter(30)).toBe('30');
    expect(formatRetryAfter(0)).toBe('0');
  });
});
