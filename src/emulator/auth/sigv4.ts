import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../platforms/aws/node-sha256.js';
import { type AwsAuthFailure, awsAuthFailure, awsAuthMessages } from './aws-auth-failure.js';
import type { AwsCredentialLookup, AwsCredentialRecord } from './aws-credentials.js';
import { normalizeHeaders, type SignedRequest } from './signed-request.js';
import {
  formatAmzDate,
  parseAmzDate,
  parseCredentialScope,
  parseSigV4Authorization,
  type SigV4AuthorizationHeader,
  type SigV4CredentialScope,
} from './sigv4-authorization.js';

/** A request whose signature checked out. */
export interface SigV4Success {
  ok: true;
  accessKeyId: string;
  region: string;
  service: string;
  credential: AwsCredentialRecord;
}

export type SigV4Result = SigV4Success | AwsAuthFailure;

export interface SigV4VerifyOptions {
  lookupCredential: AwsCredentialLookup;
  /** The signing name(s) the endpoint accepts: `bedrock` for runtime and control plane, `sts` for STS. */
  service: string | readonly string[];
  /** The clock; the signature date must be within 15 minutes of it. */
  now?: () => Date;
  /** Which regions a credential scope may name; by default any well-formed AWS region name. */
  isValidRegion?: (region: string) => boolean;
}

const algorithm = 'AWS4-HMAC-SHA256';
const allowedSkewMilliseconds = 15 * 60 * 1000;
const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * Verifies an AWS Signature Version 4 the way AWS does: it recomputes the signature with the AWS SDK's own
 * signer from the raw request and compares. The canonical URI is taken from the path as the client sent it
 * (the AWS SDK signs `%3A` as `%253A`, the Anthropic SDK signs a raw `:` as `%3A`); the host is tried with and
 * without its port. Failures carry AWS's error type and wording.
 *
 * @example
 * const result = await verifySigV4(await signedRequestFromWebRequest(request), {
 *   lookupCredential: awsCredentialLookup([emulatorAwsCredential(resolveEmulatorCredentials())]),
 *   service: 'bedrock',
 * });
 * if (!result.ok) return awsJsonAuthErrorResponse(result);
 */
export async function verifySigV4(request: SignedRequest, options: SigV4VerifyOptions): Promise<SigV4Result> {
  const headers = normalizeHeaders(request.headers);
  const authorization = headers.get('authorization');
  if (authorization === undefined || authorization.trim() === '') {
    return awsAuthFailure('MissingAuthenticationTokenException', awsAuthMessages.missingAuthenticationToken);
  }
  const amzDateText = headers.get('x-amz-date') ?? headers.get('date');
  const parsed = parseSigV4Authorization(authorization, amzDateText);
  if ('ok' in parsed) return parsed;
  const now = options.now?.() ?? new Date();
  const signingDate = checkSigningDate(amzDateText, now);
  if (!(signingDate instanceof Date)) return signingDate;
  if (!parsed.signedHeaders.includes('host') && !parsed.signedHeaders.includes(':authority')) {
    return awsAuthFailure(
      'InvalidSignatureException',
      "'Host' must be a 'SignedHeader' in the AWS Authorization.",
    );
  }
  if (parsed.algorithm !== algorithm) {
    return awsAuthFailure(
      'IncompleteSignatureException',
      `Unsupported AWS 'algorithm': '${parsed.algorithm}' (only ${algorithm} for now). `,
    );
  }
  const scope = parseCredentialScope(parsed.credential);
  if ('ok' in scope) return scope;
  const scopeProblem = checkScope(scope, signingDate, options);
  if (scopeProblem) return scopeProblem;
  const credential = options.lookupCredential(scope.accessKeyId);
  if (!credential) return awsAuthFailure('UnrecognizedClientException', awsAuthMessages.unrecognizedClient);
  const contentHash = headers.get('x-amz-content-sha256');
  if (contentHash !== undefined && contentHash !== sha256Hex(request.body)) {
    return awsAuthFailure('InvalidSignatureException', awsAuthMessages.contentHashMismatch);
  }
  if (!(await signatureMatches(request, headers, parsed, scope, credential, signingDate))) {
    return awsAuthFailure('InvalidSignatureException', awsAuthMessages.signatureMismatch);
  }
  const tokenProblem = checkSessionToken(headers.get('x-amz-security-token'), credential, now);
  if (tokenProblem) return tokenProblem;
  return {
    ok: true,
    accessKeyId: scope.accessKeyId,
    region: scope.region,
    service: scope.service,
    credential,
  };
}

function checkSigningDate(amzDate: string | undefined, now: Date): Date | AwsAuthFailure {
  const date = amzDate === undefined ? undefined : parseAmzDate(amzDate);
  if (amzDate === undefined || date === undefined) {
    return awsAuthFailure(
      'IncompleteSignatureException',
      `Date must be in ISO-8601 'basic format'. Got '${amzDate ?? ''}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  const earliest = new Date(now.getTime() - allowedSkewMilliseconds);
  const latest = new Date(now.getTime() + allowedSkewMilliseconds);
  if (date < earliest) {
    return awsAuthFailure(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(earliest)} (${formatAmzDate(now)} - 15 min.)`,
    );
  }
  if (date > latest) {
    return awsAuthFailure(
      'InvalidSignatureException',
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(latest)} (${formatAmzDate(now)} + 15 min.)`,
    );
  }
  return date;
}

function checkScope(
  scope: SigV4CredentialScope,
  signingDate: Date,
  options: SigV4VerifyOptions,
): AwsAuthFailure | undefined {
  const services = typeof options.service === 'string' ? [options.service] : options.service;
  const isValidRegion = options.isValidRegion ?? ((region: string) => regionPattern.test(region));
  const amzDate = formatAmzDate(signingDate);
  let message = '';
  if (!isValidRegion(scope.region)) {
    message += `Credential should be scoped to a valid region, not '${scope.region}'. `;
  }
  if (!services.includes(scope.service)) {
    message += `Credential should be scoped to correct service: '${services[0] ?? ''}'. `;
  }
  if (scope.terminator !== 'aws4_request') {
    message += `Credential should be scoped with a valid terminator: 'aws4_request', not '${scope.terminator}'. `;
  }
  if (scope.date !== amzDate.slice(0, 8)) {
    message +=
      'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
      `'${scope.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`;
  }
  return message === '' ? undefined : awsAuthFailure('InvalidSignatureException', message.trim());
}

function checkSessionToken(
  sent: string | undefined,
  credential: AwsCredentialRecord,
  now: Date,
): AwsAuthFailure | undefined {
  if (sent !== credential.sessionToken) {
    return awsAuthFailure('UnrecognizedClientException', awsAuthMessages.invalidSecurityToken);
  }
  if (credential.expiration !== undefined && credential.expiration <= now) {
    return awsAuthFailure('ExpiredTokenException', awsAuthMessages.expiredToken);
  }
  return undefined;
}

async function signatureMatches(
  request: SignedRequest,
  headers: Map<string, string>,
  parsed: SigV4AuthorizationHeader,
  scope: SigV4CredentialScope,
  credential: AwsCredentialRecord,
  signingDate: Date,
): Promise<boolean> {
  const signer = new SignatureV4({
    service: scope.service,
    region: scope.region,
    credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey },
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const query = parseQuery(request.query);
  const authority = request.authority ?? headers.get('host') ?? '';
  for (const path of pathCandidates(request.path)) {
    for (const host of authorityCandidates(authority)) {
      const signed = await signer.sign(
        new HttpRequest({
          method: request.method.toUpperCase(),
          protocol: 'https:',
          hostname: host,
          path,
          query,
          headers: signedHeaderValues(parsed.signedHeaders, headers, host),
          body: request.body,
        }),
        { signingDate, signableHeaders: new Set(parsed.signedHeaders) },
      );
      if (sameSignature(signatureOf(signed.headers['authorization']), parsed.signature)) return true;
    }
  }
  return false;
}

/** The path as sent, and decoded once: a proxy may have encoded what the client signed raw. */
function pathCandidates(path: string): string[] {
  const candidates = [path];
  try {
    const decoded = path
      .split('/')
      .map((segment) => decodeURIComponent(segment))
      .join('/');
    if (decoded !== path) candidates.push(decoded);
  } catch {
    // A malformed escape: only the path as sent can match.
  }
  return candidates;
}

/** The authority as sent and without its port: some signers sign the host name alone. */
function authorityCandidates(authority: string): string[] {
  const withoutPort = authority.replace(/:\d+$/, '');
  return withoutPort === authority ? [authority] : [authority, withoutPort];
}

function signedHeaderValues(
  signedHeaders: readonly string[],
  headers: Map<string, string>,
  host: string,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = name === 'host' || name === ':authority' ? host : headers.get(name);
    if (value !== undefined) values[name] = value;
  }
  return values;
}

function parseQuery(query: string): Record<string, string[]> {
  const parameters: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(query)) {
    const existing = parameters[name];
    if (existing) existing.push(value);
    else parameters[name] = [value];
  }
  return parameters;
}

function signatureOf(authorization: string | undefined): string {
  return /Signature=([0-9a-f]+)/.exec(authorization ?? '')?.[1] ?? '';
}

function sameSignature(computed: string, sent: string): boolean {
  const left = Buffer.from(computed);
  const right = Buffer.from(sent.toLowerCase());
  return left.length > 0 && left.length === right.length && timingSafeEqual(left, right);
}

function sha256Hex(body: Uint8Array | string): string {
  return createHash('sha256').update(body).digest('hex');
}
