import { decodeJwt, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { describeJoseError } from './identity-provider.js';

/** The `iss` and `aud` of the gateway's own sign-in tokens. */
export const GATEWAY_TOKEN_ISSUER = 'claude-gateway';

/**
 * A short-lived gateway token for a signed-in user's session: HS256, signed
 * with the secret every replica reads from the store, judged on the gateway's
 * clock.
 */
export async function signGatewayToken(
  secret: Uint8Array,
  claims: { userId: string; sessionId: string },
  now: number,
  ttlMs: number,
): Promise<string> {
  const issuedAt = Math.floor(now / 1000);
  return new SignJWT({ sid: claims.sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(GATEWAY_TOKEN_ISSUER)
    .setAudience(GATEWAY_TOKEN_ISSUER)
    .setSubject(claims.userId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + Math.floor(ttlMs / 1000))
    .sign(secret);
}

/**
 * The user and session a gateway token names, or the 401 that says what is
 * wrong and what to do: another issuer's token (an IdP's ID token, another
 * gateway's), an expired or tampered one.
 */
export async function verifyGatewayToken(
  token: string,
  secret: Uint8Array,
  now: number,
  context: { gateway: string; idpIssuer?: string },
): Promise<{ userId: string; sessionId: string }> {
  let issuer: string | undefined;
  try {
    issuer = decodeJwt(token).iss;
  } catch {
    throw GatewayError.fromCode('SIGN_IN_INVALID', {
      reason: 'it is not a readable token',
      gateway: context.gateway,
    });
  }
  if (issuer !== GATEWAY_TOKEN_ISSUER) {
    const from = !issuer
      ? 'an unnamed issuer'
      : issuer === context.idpIssuer
        ? `your identity provider (${issuer}) as an ID token`
        : issuer;
    throw GatewayError.fromCode('SIGN_IN_FOREIGN_ISSUER', { issuer: from, gateway: context.gateway });
  }
  try {
    const { payload } = await jwtVerify(token, secret, {
      issuer: GATEWAY_TOKEN_ISSUER,
      audience: GATEWAY_TOKEN_ISSUER,
      algorithms: ['HS256'],
      currentDate: new Date(now),
    });
    const sessionId = payload['sid'];
    if (!payload.sub || typeof sessionId !== 'string') throw new Error('it names no user or session');
    return { userId: payload.sub, sessionId };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) {
      const exp = error.payload.exp;
      throw GatewayError.fromCode('SIGN_IN_EXPIRED', {
        expiredAt: exp ? new Date(exp * 1000).toISOString() : 'an earlier time',
        gateway: context.gateway,
      });
    }
    throw GatewayError.fromCode('SIGN_IN_INVALID', {
      reason: describeJoseError(error),
      gateway: context.gateway,
    });
  }
}
