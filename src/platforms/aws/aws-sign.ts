import { hash } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { UpstreamRequest } from '../types.js';
import type { AwsCredentials } from './aws-credentials.js';
import { NodeSha256 } from './node-sha256.js';

/**
 * The AWS signing names this package signs for: Bedrock (runtime, control plane,
 * and the Messages API on bedrock-runtime), Bedrock Mantle, Claude Platform on AWS, STS.
 */
export type AwsSigningService = 'bedrock' | 'bedrock-mantle' | 'aws-external-anthropic' | 'sts';

export interface AwsSignOptions {
  service: AwsSigningService;
  region: string;
  credentials: AwsCredentials;
  /** The signing time; now by default. */
  signingDate?: Date;
}

/** Headers a proxy may change or drop on the way, so a signature must not cover them. */
const UNSIGNABLE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
]);

/** Headers of an earlier signature, replaced when a request is signed again (a retry). */
export const SIGNATURE_HEADERS = new Set([
  'authorization',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
]);

/**
 * Signs a request with AWS Signature Version 4 (the AWS SDK's own signer):
 * adds `x-amz-date`, `x-amz-content-sha256`, `x-amz-security-token` for
 * temporary credentials, and `authorization`. The `host` header is set and
 * signed as it goes on the wire (with a non-default port); `connection` and
 * other hop-by-hop headers are neither signed nor sent. The path is signed as
 * it is in the URL (a model id's `%3A` is signed as `%253A`, like the AWS SDK).
 *
 * @example
 * const signed = await signAwsRequest(
 *   { method: 'POST', url: 'https://bedrock-runtime.us-east-1.amazonaws.com/model/m%3A0/invoke', headers: {}, body: '{}' },
 *   { service: 'bedrock', region: 'us-east-1', credentials: await source.get() },
 * );
 */
export async function signAwsRequest(
  request: UpstreamRequest,
  options: AwsSignOptions,
): Promise<UpstreamRequest> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (!UNSIGNABLE_HEADERS.has(lower) && !SIGNATURE_HEADERS.has(lower)) {
      headers[lower] = value;
    }
  }
  headers['host'] = url.host;
  // The payload's hash, one-shot: the signer takes a given x-amz-content-sha256 as the hash (and
  // signs it), where it would make a hash object, feed it and hex the digest itself.
  if (request.body !== undefined) headers['x-amz-content-sha256'] = hash('sha256', request.body, 'hex');
  const query: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    const values = query[name] ?? [];
    values.push(value);
    query[name] = values;
  }
  const signer = new SignatureV4({
    service: options.service,
    region: options.region,
    credentials: options.credentials,
    sha256: NodeSha256,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port === '' ? {} : { port: Number(url.port) }),
      path: url.pathname,
      query,
      headers,
      body: request.body,
    }),
    options.signingDate === undefined ? {} : { signingDate: options.signingDate },
  );
  return { ...request, headers: { ...signed.headers } };
}
