import { createSign, createVerify, type KeyObject } from 'node:crypto';

/** The JOSE header fields the emulator reads. */
export interface JwtHeader {
  alg?: unknown;
  kid?: unknown;
  typ?: unknown;
}

/** A JWT split into its parts, not yet verified. */
export interface DecodedJwt {
  header: JwtHeader;
  claims: Record<string, unknown>;
  /** `base64url(header).base64url(payload)`, the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

/**
 * Splits a compact JWT into header, claims and signature, or `undefined` when it is not one.
 *
 * @example
 * decodeJwt(signRs256Jwt({ iss: 'a' }, privateKey))?.claims.iss; // 'a'
 */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [encodedHeader, encodedClaims, encodedSignature] = parts;
  if (!encodedHeader || !encodedClaims || encodedSignature === undefined) return undefined;
  const header = parseJsonObject(Buffer.from(encodedHeader, 'base64url').toString('utf8'));
  const claims = parseJsonObject(Buffer.from(encodedClaims, 'base64url').toString('utf8'));
  if (!header || !claims) return undefined;
  return {
    header,
    claims,
    signingInput: `${encodedHeader}.${encodedClaims}`,
    signature: Buffer.from(encodedSignature, 'base64url'),
  };
}

/**
 * Whether an RS256 signature over the JWT's signing input was made by the key that `publicKey` belongs to.
 *
 * @example
 * const jwt = decodeJwt(token);
 * if (jwt && verifyRs256(jwt, publicKey)) console.log(jwt.claims);
 */
export function verifyRs256(jwt: DecodedJwt, publicKey: KeyObject): boolean {
  try {
    const verifier = createVerify('RSA-SHA256');
    verifier.update(jwt.signingInput);
    return verifier.verify(publicKey, jwt.signature);
  } catch {
    return false;
  }
}

/**
 * Signs claims as a compact RS256 JWT.
 *
 * @example
 * signRs256Jwt({ iss: 'sa@p.iam.gserviceaccount.com', aud: 'https://oauth2.googleapis.com/token' }, privateKey, 'key-id');
 * // 'eyJhbGciOiJSUzI1NiIs…'
 */
export function signRs256Jwt(
  claims: Record<string, unknown>,
  privateKey: KeyObject | string,
  keyId?: string,
): string {
  const header =
    keyId === undefined ? { alg: 'RS256', typ: 'JWT' } : { alg: 'RS256', typ: 'JWT', kid: keyId };
  const signingInput = `${base64Url(JSON.stringify(header))}.${base64Url(JSON.stringify(claims))}`;
  const signer = createSign('RSA-SHA256');
  signer.update(signingInput);
  return `${signingInput}.${signer.sign(privateKey).toString('base64url')}`;
}

function base64Url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
