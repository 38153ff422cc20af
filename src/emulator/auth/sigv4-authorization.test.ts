import { describe, expect, it } from 'vitest';
import {
  formatAmzDate,
  parseAmzDate,
  parseCredentialScope,
  parseSigV4Authorization,
} from './sigv4-authorization.js';

describe('parseSigV4Authorization', () => {
  it('splits the header into its parts', () => {
    const header =
      'AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/bedrock/aws4_request, ' +
      'SignedHeaders=Host;X-Amz-Date, Signature=abc123';
    expect(parseSigV4Authorization(header, '20250101T000000Z')).toEqual({
      algorithm: 'AWS4-HMAC-SHA256',
      credential: 'AKID/20250101/us-east-1/bedrock/aws4_request',
      signedHeaders: ['host', 'x-amz-date'],
      signature: 'abc123',
    });
  });

  it('names what is missing, as AWS does', () => {
    const header =
      'AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/bedrock/aws4_request, SignedHeaders=host';
    expect(parseSigV4Authorization(header, undefined)).toMatchObject({
      errorType: 'IncompleteSignatureException',
      message:
        "Authorization header requires 'Signature' parameter. Authorization header requires existence of either " +
        `a 'X-Amz-Date' or a 'Date' header. Authorization=${header}`,
    });
  });

  it('rejects a parameter without an equal sign', () => {
    expect(parseSigV4Authorization('AWS4-HMAC-SHA256 Credential', '20250101T000000Z')).toMatchObject({
      errorType: 'IncompleteSignatureException',
      message: expect.stringContaining("'Credential' not a valid key=value pair (missing equal-sign)"),
    });
  });
});

describe('parseCredentialScope', () => {
  it('ignores a trailing slash', () => {
    expect(parseCredentialScope('AKID/20250101/eu-west-1/sts/aws4_request/')).toEqual({
      accessKeyId: 'AKID',
      date: '20250101',
      region: 'eu-west-1',
      service: 'sts',
      terminator: 'aws4_request',
    });
  });

  it('rejects a scope without five parts', () => {
    expect(parseCredentialScope('AKID/20250101/bedrock')).toMatchObject({
      errorType: 'IncompleteSignatureException',
    });
  });
});

describe('amz dates', () => {
  it('round-trips the basic format', () => {
    const date = parseAmzDate('20250601T120000Z');
    expect(date?.toISOString()).toBe('2025-06-01T12:00:00.000Z');
    expect(date && formatAmzDate(date)).toBe('20250601T120000Z');
  });

  it('refuses other formats and impossible dates', () => {
    expect(parseAmzDate('2025-06-01T12:00:00Z')).toBeUndefined();
    expect(parseAmzDate('20250230T120000Z')).toBeUndefined();
  });
});
