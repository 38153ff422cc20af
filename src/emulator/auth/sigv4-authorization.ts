import { type AwsAuthFailure, awsAuthFailure } from './aws-auth-failure.js';

/** The parts of an `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header. */
export interface SigV4AuthorizationHeader {
  algorithm: string;
  /** `AKID/20250101/us-east-1/bedrock/aws4_request`, as sent. */
  credential: string;
  /** Lower-case header names, in the order sent. */
  signedHeaders: string[];
  signature: string;
}

/** The five parts of a credential scope. */
export interface SigV4CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
}

const requiredParameters = ['Credential', 'Signature', 'SignedHeaders'] as const;

/**
 * Splits a SigV4 `Authorization` header into its parts, answering as AWS does
 * (`IncompleteSignatureException`) when a part or the date header is missing.
 *
 * @example
 * parseSigV4Authorization('AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/bedrock/aws4_request, ' +
 *   'SignedHeaders=host;x-amz-date, Signature=abc', '20250101T000000Z');
 * // { algorithm: 'AWS4-HMAC-SHA256', credential: 'AKID/…', signedHeaders: ['host', 'x-amz-date'], signature: 'abc' }
 */
export function parseSigV4Authorization(
  header: string,
  amzDate: string | undefined,
): SigV4AuthorizationHeader | AwsAuthFailure {
  const trimmed = header.trim();
  const space = trimmed.search(/\s/);
  const algorithm = space === -1 ? trimmed : trimmed.slice(0, space);
  const rest = space === -1 ? '' : trimmed.slice(space + 1);
  const parameters = new Map<string, string>();
  for (const part of rest.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const equals = item.indexOf('=');
    if (equals === -1) {
      return awsAuthFailure(
        'IncompleteSignatureException',
        `'${item}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`,
      );
    }
    parameters.set(item.slice(0, equals).trim(), item.slice(equals + 1).trim());
  }
  let missing = '';
  for (const name of requiredParameters) {
    if (!parameters.get(name)) missing += `Authorization header requires '${name}' parameter. `;
  }
  if (amzDate === undefined) {
    missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (missing !== '') {
    return awsAuthFailure('IncompleteSignatureException', `${missing}Authorization=${header}`);
  }
  return {
    algorithm,
    credential: parameters.get('Credential') ?? '',
    signedHeaders: (parameters.get('SignedHeaders') ?? '')
      .split(';')
      .map((name) => name.trim().toLowerCase()),
    signature: parameters.get('Signature') ?? '',
  };
}

/**
 * Splits a credential into its five scope parts (a trailing slash is ignored, as AWS does).
 *
 * @example
 * parseCredentialScope('AKID/20250101/us-east-1/sts/aws4_request');
 * // { accessKeyId: 'AKID', date: '20250101', region: 'us-east-1', service: 'sts', terminator: 'aws4_request' }
 */
export function parseCredentialScope(credential: string): SigV4CredentialScope | AwsAuthFailure {
  const parts = credential.replace(/\/+$/, '').split('/');
  const [accessKeyId, date, region, service, terminator] = parts;
  if (
    parts.length !== 5 ||
    accessKeyId === undefined ||
    date === undefined ||
    region === undefined ||
    service === undefined ||
    terminator === undefined
  ) {
    return awsAuthFailure(
      'IncompleteSignatureException',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  return { accessKeyId, date, region, service, terminator };
}

/**
 * Reads an ISO-8601 basic-format date (`20250101T120000Z`), or `undefined` when it is not one.
 *
 * @example
 * parseAmzDate('20250101T120000Z')?.toISOString(); // '2025-01-01T12:00:00.000Z'
 */
export function parseAmzDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const date = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second));
  return Number.isNaN(date.getTime()) || formatAmzDate(date) !== text ? undefined : date;
}

/**
 * Writes a date in ISO-8601 basic format, as `x-amz-date` carries it.
 *
 * @example
 * formatAmzDate(new Date('2025-01-01T12:00:00.123Z')); // '20250101T120000Z'
 */
export function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}
