import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { awsAuthMessages } from './aws-auth-failure.js';
import { awsCredentialLookup, awsCredentialRecord } from './aws-credentials.js';
import type { SignedRequest } from './signed-request.js';
import { signedRequestFromWebRequest } from './signed-request.js';
import { verifySigV4 } from './sigv4.js';

const signingDate = new Date('2025-06-01T12:00:00Z');
const account = '123456789012';
const longTerm = awsCredentialRecord({
  accessKeyId: 'AKIDEMULATOR',
  secretAccessKey: 'emulator-secret',
  account,
});
const temporary = awsCredentialRecord({
  accessKeyId: 'ASIAEMULATOR',
  secretAccessKey: 'temporary-secret',
  sessionToken: 'session-token',
  expiration: new Date('2025-06-01T13:00:00Z'),
  account,
});
const lookupCredential = awsCredentialLookup([longTerm, temporary]);
const options = { lookupCredential, service: 'bedrock', now: () => signingDate };
const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [] });

interface SignOptions {
  /** The path handed to the signer. */
  signedPath: string;
  /** The path on the wire; defaults to the signed one. */
  wirePath?: string;
  query?: Record<string, string>;
  /** The host value handed to the signer. */
  signedHost?: string;
  /** The authority on the wire. */
  authority?: string;
  hostHeaderName?: 'host' | ':authority';
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  service?: string;
  requestBody?: string;
  /** Whether the signer adds x-amz-content-sha256 (it does unless told otherwise). */
  applyChecksum?: boolean;
}

/** Signs a request the way the AWS SDK and the Anthropic SDK do, and returns it as the emulator receives it. */
async function signed(sign: SignOptions): Promise<SignedRequest & { headers: Record<string, string> }> {
  const authority = sign.authority ?? '127.0.0.1:4000';
  const hostHeaderName = sign.hostHeaderName ?? 'host';
  const signer = new SignatureV4({
    service: sign.service ?? 'bedrock',
    region: 'us-east-1',
    credentials: {
      accessKeyId: sign.accessKeyId ?? 'AKIDEMULATOR',
      secretAccessKey: sign.secretAccessKey ?? 'emulator-secret',
      ...(sign.sessionToken === undefined ? {} : { sessionToken: sign.sessionToken }),
    },
    sha256: Sha256,
    applyChecksum: sign.applyChecksum ?? true,
  });
  const request = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: sign.signedPath,
      query: sign.query ?? {},
      headers: { [hostHeaderName]: sign.signedHost ?? authority, 'content-type': 'application/json' },
      body: sign.requestBody ?? body,
    }),
    { signingDate },
  );
  const headers: Record<string, string> = { ...request.headers, host: authority };
  delete headers[':authority'];
  return {
    method: 'POST',
    path: sign.wirePath ?? sign.signedPath,
    query: new URLSearchParams(sign.query ?? {}).toString(),
    headers,
    authority,
    body: new TextEncoder().encode(body),
  };
}

const encodedPath = '/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke';
const rawPath = '/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke';

describe('verifySigV4', () => {
  it('accepts the AWS SDK form: the path with %3A, signed as sent', async () => {
    const result = await verifySigV4(await signed({ signedPath: encodedPath }), options);
    expect(result).toMatchObject({
      ok: true,
      accessKeyId: 'AKIDEMULATOR',
      region: 'us-east-1',
      service: 'bedrock',
    });
  });

  it('accepts the Anthropic SDK form: a raw colon, signed raw', async () => {
    const result = await verifySigV4(await signed({ signedPath: rawPath }), options);
    expect(result.ok).toBe(true);
  });

  it('accepts a raw-colon signature that arrives percent-encoded by a proxy', async () => {
    const result = await verifySigV4(await signed({ signedPath: rawPath, wirePath: encodedPath }), options);
    expect(result.ok).toBe(true);
  });

  it('rejects a signature made for another path', async () => {
    const request = await signed({
      signedPath: encodedPath,
      wirePath: encodedPath.replace('invoke', 'count-tokens'),
    });
    const result = await verifySigV4(request, options);
    expect(result).toMatchObject({ ok: false, errorType: 'InvalidSignatureException' });
  });

  it('accepts a host signed with or without the port', async () => {
    const withoutPort = await verifySigV4(
      await signed({ signedPath: rawPath, signedHost: '127.0.0.1' }),
      options,
    );
    const withPort = await verifySigV4(
      await signed({ signedPath: rawPath, signedHost: '127.0.0.1:4000' }),
      options,
    );
    expect([withoutPort.ok, withPort.ok]).toEqual([true, true]);
  });

  it('rejects a host that is not the one addressed', async () => {
    const result = await verifySigV4(
      await signed({ signedPath: rawPath, signedHost: 'example.com' }),
      options,
    );
    expect(result.ok).toBe(false);
  });

  it('accepts :authority signed over HTTP/2', async () => {
    const request = await signed({ signedPath: encodedPath, hostHeaderName: ':authority' });
    expect(request.headers['authorization']).toContain('SignedHeaders=:authority;');
    expect((await verifySigV4(request, options)).ok).toBe(true);
  });

  it('covers the query string', async () => {
    const request = await signed({ signedPath: '/inference-profiles', query: { type: 'SYSTEM_DEFINED' } });
    expect((await verifySigV4(request, options)).ok).toBe(true);
    const altered = await verifySigV4({ ...request, query: 'type=APPLICATION' }, options);
    expect(altered.ok).toBe(false);
  });

  it('answers a wrong secret with InvalidSignatureException in AWS wording', async () => {
    const result = await verifySigV4(
      await signed({ signedPath: rawPath, secretAccessKey: 'wrong' }),
      options,
    );
    expect(result).toEqual({
      ok: false,
      status: 403,
      errorType: 'InvalidSignatureException',
      message: awsAuthMessages.signatureMismatch,
    });
  });

  it('answers an unknown key with UnrecognizedClientException', async () => {
    const result = await verifySigV4(
      await signed({ signedPath: rawPath, accessKeyId: 'AKIDUNKNOWN' }),
      options,
    );
    expect(result).toMatchObject({
      errorType: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
  });

  it('answers a request without credentials with MissingAuthenticationTokenException', async () => {
    const request = await signed({ signedPath: rawPath });
    const { authorization: _, ...headers } = request.headers;
    const result = await verifySigV4({ ...request, headers }, options);
    expect(result).toEqual({
      ok: false,
      status: 403,
      errorType: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
  });

  it('answers a malformed Authorization header with IncompleteSignatureException', async () => {
    const request = await signed({ signedPath: rawPath });
    const result = await verifySigV4(
      { ...request, headers: { ...request.headers, authorization: 'AWS4-HMAC-SHA256 Foo=bar' } },
      options,
    );
    expect(result).toMatchObject({
      errorType: 'IncompleteSignatureException',
      message:
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Foo=bar",
    });
  });

  it('answers a credential of the wrong shape with IncompleteSignatureException', async () => {
    const request = await signed({ signedPath: rawPath });
    const authorization = request.headers['authorization']!.replace(
      '/us-east-1/bedrock/aws4_request',
      '/bedrock',
    );
    const result = await verifySigV4({ ...request, headers: { ...request.headers, authorization } }, options);
    expect(result).toMatchObject({
      errorType: 'IncompleteSignatureException',
      message: expect.stringContaining('Credential must have exactly 5 slash-delimited elements'),
    });
  });

  it('answers a signature older than 15 minutes as expired', async () => {
    const request = await signed({ signedPath: rawPath });
    const now = new Date('2025-06-01T12:20:00Z');
    const result = await verifySigV4(request, { ...options, now: () => now });
    expect(result).toMatchObject({
      errorType: 'InvalidSignatureException',
      message:
        'Signature expired: 20250601T120000Z is now earlier than 20250601T120500Z (20250601T122000Z - 15 min.)',
    });
  });

  it('answers a signature from the future as not yet current', async () => {
    const request = await signed({ signedPath: rawPath });
    const now = new Date('2025-06-01T11:40:00Z');
    const result = await verifySigV4(request, { ...options, now: () => now });
    expect(result).toMatchObject({
      errorType: 'InvalidSignatureException',
      message: expect.stringMatching(/^Signature not yet current: 20250601T120000Z is still later than/),
    });
  });

  it('answers a credential scoped to another service', async () => {
    const result = await verifySigV4(await signed({ signedPath: '/', service: 'sts' }), options);
    expect(result).toMatchObject({
      errorType: 'InvalidSignatureException',
      message: "Credential should be scoped to correct service: 'bedrock'.",
    });
  });

  it('rejects a body that does not match x-amz-content-sha256', async () => {
    const request = await signed({ signedPath: rawPath });
    const result = await verifySigV4({ ...request, body: '{"tampered":true}' }, options);
    expect(result).toMatchObject({
      errorType: 'InvalidSignatureException',
      message: awsAuthMessages.contentHashMismatch,
    });
  });

  it('rejects a changed body when no content hash is sent', async () => {
    const request = await signed({ signedPath: rawPath, applyChecksum: false });
    expect(request.headers['x-amz-content-sha256']).toBeUndefined();
    expect((await verifySigV4(request, options)).ok).toBe(true);
    const result = await verifySigV4({ ...request, body: '{"tampered":true}' }, options);
    expect(result).toMatchObject({
      errorType: 'InvalidSignatureException',
      message: awsAuthMessages.signatureMismatch,
    });
  });

  describe('session tokens', () => {
    const temporaryKey = { accessKeyId: 'ASIAEMULATOR', secretAccessKey: 'temporary-secret' };

    it('accepts the right token', async () => {
      const request = await signed({ signedPath: rawPath, ...temporaryKey, sessionToken: 'session-token' });
      expect(request.headers['x-amz-security-token']).toBe('session-token');
      expect((await verifySigV4(request, options)).ok).toBe(true);
    });

    it('rejects a wrong token', async () => {
      const request = await signed({ signedPath: rawPath, ...temporaryKey, sessionToken: 'other-token' });
      expect(await verifySigV4(request, options)).toMatchObject({ errorType: 'UnrecognizedClientException' });
    });

    it('rejects a missing token', async () => {
      const request = await signed({ signedPath: rawPath, ...temporaryKey });
      expect(await verifySigV4(request, options)).toMatchObject({ errorType: 'UnrecognizedClientException' });
    });

    it('rejects a token sent with a long-term key', async () => {
      const request = await signed({ signedPath: rawPath, sessionToken: 'session-token' });
      expect(await verifySigV4(request, options)).toMatchObject({ errorType: 'UnrecognizedClientException' });
    });

    it('answers an expired credential with ExpiredTokenException', async () => {
      const request = await signed({ signedPath: rawPath, ...temporaryKey, sessionToken: 'session-token' });
      const lookup = awsCredentialLookup([{ ...temporary, expiration: new Date('2025-06-01T11:59:00Z') }]);
      const result = await verifySigV4(request, { ...options, lookupCredential: lookup });
      expect(result).toMatchObject({
        errorType: 'ExpiredTokenException',
        message: 'The security token included in the request is expired',
      });
    });
  });
});

describe('signedRequestFromWebRequest', () => {
  it('keeps the path as sent and takes the authority from Host', async () => {
    const request = new Request(`http://127.0.0.1:4000${encodedPath}?a=b`, {
      method: 'POST',
      headers: { host: '127.0.0.1:4000' },
      body,
    });
    const result = await signedRequestFromWebRequest(request);
    expect(result).toMatchObject({
      method: 'POST',
      path: encodedPath,
      query: 'a=b',
      authority: '127.0.0.1:4000',
    });
    expect(new TextDecoder().decode(result.body as Uint8Array)).toBe(body);
  });
});
