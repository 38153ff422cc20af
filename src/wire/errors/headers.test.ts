import { describe, expect, it } from 'vitest';
import { readHeader } from './headers.js';

describe('readHeader', () => {
  it('reads records whatever the case', () => {
    expect(readHeader({ 'X-Amzn-RequestId': 'abc' }, 'x-amzn-requestid')).toBe('abc');
  });

  it('joins repeated values as fetch does', () => {
    expect(readHeader({ via: ['a', 'b'] }, 'Via')).toBe('a, b');
  });

  it('reads fetch Headers', () => {
    expect(readHeader(new Headers({ 'request-id': 'req_1' }), 'Request-Id')).toBe('req_1');
  });

  it('gives undefined when absent', () => {
    expect(readHeader({ other: 'x', 'request-id': undefined }, 'request-id')).toBeUndefined();
    expect(readHeader(undefined, 'request-id')).toBeUndefined();
    expect(readHeader(new Headers(), 'request-id')).toBeUndefined();
  });
});
