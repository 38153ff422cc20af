import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BEDROCK_EXCEPTIONS,
  bedrockNameForStreamException,
  isBedrockExceptionName,
  sanitizeBedrockErrorCode,
} from './bedrock-exceptions.js';

interface ServiceModel {
  shapes: Record<string, { exception?: boolean; error?: { httpStatusCode?: number }; members?: object }>;
}

const model = JSON.parse(
  readFileSync(
    new URL('../../../test/fixtures/aws-models/bedrock-runtime-2023-09-30.service-2.json', import.meta.url),
    'utf8',
  ),
) as ServiceModel;

describe('BEDROCK_EXCEPTIONS', () => {
  it("agrees with the service model's status for every exception the model declares", () => {
    for (const [name, shape] of Object.entries(model.shapes)) {
      if (!shape.exception || name === 'ConflictException') continue; // ConflictException: not on the invoke operations
      expect(isBedrockExceptionName(name), name).toBe(true);
      if (isBedrockExceptionName(name))
        expect(BEDROCK_EXCEPTIONS[name].status, name).toBe(shape.error?.httpStatusCode);
    }
  });

  it("streams each exception as a member the model's ResponseStream declares", () => {
    const members = Object.keys(model.shapes['ResponseStream']?.members ?? {});
    for (const definition of Object.values(BEDROCK_EXCEPTIONS)) {
      expect(members).toContain(definition.stream);
    }
  });
});

describe('sanitizeBedrockErrorCode', () => {
  it.each([
    ['ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/', 'ThrottlingException'],
    [
      'AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/#AccessDeniedException',
      'AccessDeniedException',
    ],
    ['com.amazon.coral.service#UnrecognizedClientException', 'UnrecognizedClientException'],
    ['ValidationException,Other', 'ValidationException'],
    ['ValidationException', 'ValidationException'],
  ])('reads %s as %s', (raw, name) => {
    expect(sanitizeBedrockErrorCode(raw)).toBe(name);
  });
});

describe('bedrockNameForStreamException', () => {
  it('capitalises the frame type', () => {
    expect(bedrockNameForStreamException('modelStreamErrorException')).toBe('ModelStreamErrorException');
  });
});
