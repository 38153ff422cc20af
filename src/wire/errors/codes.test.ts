import { describe, expect, it } from 'vitest';
import { formatErrorMessage, GATEWAY_ERROR_CODES, isGatewayErrorCode } from './codes.js';
import { ANTHROPIC_ERROR_STATUS } from './types.js';

describe('gateway error codes', () => {
  it('are upper snake case, each with an error status, a documented type and a message', () => {
    for (const [code, definition] of Object.entries(GATEWAY_ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
      expect(definition.status).toBeGreaterThanOrEqual(400);
      expect(Object.keys(ANTHROPIC_ERROR_STATUS)).toContain(definition.type);
      expect(definition.message.length).toBeGreaterThan(10);
    }
  });

  it('are recognised by name only', () => {
    expect(isGatewayErrorCode('INVALID_JSON')).toBe(true);
    expect(isGatewayErrorCode('invalid_json')).toBe(false);
    expect(isGatewayErrorCode('hasOwnProperty')).toBe(false);
  });
});

describe('formatErrorMessage', () => {
  it('fills every placeholder, numbers included', () => {
    expect(formatErrorMessage('{a} and {b}, {a} again', { a: 'x', b: 2 })).toBe('x and 2, x again');
  });

  it('leaves a placeholder without a parameter visible', () => {
    expect(formatErrorMessage('model {model}', {})).toBe('model {model}');
    expect(formatErrorMessage('model {constructor}')).toBe('model {constructor}');
  });

  it('does not read replacement patterns in values', () => {
    expect(formatErrorMessage('say {word}', { word: '$& $1' })).toBe('say $& $1');
  });
});
