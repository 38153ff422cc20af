import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { awsCredentialLookup, awsCredentialRecord } from '../../emulator/auth/aws-credentials.js';
import { verifySigV4 } from '../../emulator/auth/sigv4.js';
import type { UpstreamRequest } from '../types.js';
import { signAwsRequest } from './aws-sign.js';

const account = '123456789012';
const longTerm = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' };
const temporary = {
  accessKeyId: 'ASIATEST',
  secretAccessKey: 'temporary-secret',
  sessionToken: 'session-token',
  expiration: new Date(Date.now() + 3_600_000),
};
const lookupCredential = awsCredentialLookup([
  awsCredentialRecord({ ...longTerm, account }),
  awsCredentialRecord({ ...temporary, account }),
]);

function verify(request: UpstreamRequest, service = 'bedrock') {
  const url = new URL(request.url);
  const rawPath = request.url.slice(url.origin.length).split('?')[0] ?? '/';
  return verifySigV4(
    {
      method: request.method,
      path: rawPath,
      query: url.search.slice(1),
      headers: request.headers,
      authority: url.host,
      body: request.body ?? '',
    },
    { lookupCredential, service },
  );
}

const invoke: UpstreamRequest = {
  method: 'POST',
  url: 'http://127.0.0.1:4567/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke',
  headers: { 'Content-Type': 'application/json', connection: 'keep-alive', accept: 'application/json' },
  body: '{"max_tokens":5}',
};

describe('signAwsRequest', () => {
  it('produces a signature AWS accepts for the raw path', async () => {
    const signed = await signAwsRequest(invoke, {
      service: 'bedrock',
      region: 'us-west-2',
      credentials: longTerm,
    });
    const result = await verify(signed);
    expect(result).toMatchObject({
      ok: true,
      region: 'us-west-2',
      service: 'bedrock',
      accessKeyId: 'AKIDTEST',
    });
    expect(signed.headers['authorization']).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-west-2\/bedrock\/aws4_request/,
    );
  });

  it('signs the host with its non-default port and leaves connection out', async () => {
    const signed = await signAwsRequest(invoke, {
      service: 'bedrock',
      region: 'us-east-1',
      credentials: longTerm,
    });
    expect(signed.headers['host']).toBe('127.0.0.1:4567');
    expect(signed.headers['connection']).toBeUndefined();
    const signedHeaders = /SignedHeaders=([^,]+)/
      .exec(signed.headers['authorization'] ?? '')?.[1]
      ?.split(';');
    expect(signedHeaders).toContain('host');
    expect(signedHeaders).toContain('content-type');
    expect(signedHeaders).not.toContain('connection');
  });

  it('omits a default port from the host', async () => {
    const signed = await signAwsRequest(
      { ...invoke, url: 'https://bedrock-runtime.us-east-1.amazonaws.com:443/model/m/invoke' },
      { service: 'bedrock', region: 'us-east-1', credentials: longTerm },
    );
    expect(signed.headers['host']).toBe('bedrock-runtime.us-east-1.amazonaws.com');
  });

  it('sends the session token of temporary credentials', async () => {
    const signed = await signAwsRequest(invoke, {
      service: 'bedrock',
      region: 'us-east-1',
      credentials: temporary,
    });
    expect(signed.headers['x-amz-security-token']).toBe('session-token');
    expect(await verify(signed)).toMatchObject({ ok: true, accessKeyId: 'ASIATEST' });
  });

  it('signs query strings and the sts signing name', async () => {
    const signed = await signAwsRequest(
      {
        method: 'GET',
        url: 'http://127.0.0.1:4567/inference-profiles?type=SYSTEM_DEFINED&nextToken=a%2Bb%3D',
        headers: {},
      },
      { service: 'sts', region: 'eu-west-1', credentials: longTerm },
    );
    expect(await verify(signed, 'sts')).toMatchObject({ ok: true, service: 'sts' });
    expect((await verify(signed, 'bedrock')).ok).toBe(false);
  });

  it('replaces an earlier signature when a request is signed again', async () => {
    const first = await signAwsRequest(invoke, {
      service: 'bedrock',
      region: 'us-east-1',
      credentials: temporary,
    });
    const again = await signAwsRequest(first, {
      service: 'bedrock',
      region: 'us-east-1',
      credentials: longTerm,
    });
    expect(again.headers['x-amz-security-token']).toBeUndefined();
    expect(await verify(again)).toMatchObject({ ok: true, accessKeyId: 'AKIDTEST' });
  });

  it('fails verification when the body changes after signing', async () => {
    const signed = await signAwsRequest(invoke, {
      service: 'bedrock',
      region: 'us-east-1',
      credentials: longTerm,
    });
    expect((await verify({ ...signed, body: '{"max_tokens":6}' })).ok).toBe(false);
  });

  it("gives the AWS SDK's own signature (its JavaScript SHA-256, nothing preset) for the same request", async () => {
    const signingDate = new Date('2026-03-04T05:06:07Z');
    const bodies = ['{"max_tokens":5,"text":"é✓"}', new TextEncoder().encode('{"bytes":"é"}'), ''];
    for (const credentials of [longTerm, temporary]) {
      for (const body of bodies) {
        for (let round = 0; round < 2; round++) {
          const request: UpstreamRequest = { ...invoke, body };
          const ours = await signAwsRequest(request, {
            service: 'bedrock',
            region: 'eu-west-3',
            credentials,
            signingDate,
          });
          const sdk = new SignatureV4({
            service: 'bedrock',
            region: 'eu-west-3',
            credentials,
            sha256: Sha256,
          });
          const theirs = await sdk.sign(
            new HttpRequest({
              method: 'POST',
              protocol: 'http:',
              hostname: '127.0.0.1',
              port: 4567,
              path: '/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke',
              headers: {
                'content-type': 'application/json',
                accept: 'application/json',
                host: '127.0.0.1:4567',
              },
              body,
            }),
            { signingDate },
          );
          expect(ours.headers).toEqual(theirs.headers);
        }
      }
    }
  });
});
