import { signRs256Jwt } from './google-jwt.js';
import type { EmulatorServiceAccount } from './google-service-account.js';

/** Signs a Google-style OpenID Connect ID token for `email`, addressed to `audience`. */
export type IdTokenSigner = (request: { audience: string; email: string; subject: string }) => string;

/**
 * An ID-token signer that uses the service account's key, with the claims Google puts in ID tokens.
 *
 * @example
 * const sign = createIdTokenSigner(account);
 * sign({ audience: 'https://my-service', email: account.email, subject: account.clientId }); // 'eyJ…'
 */
export function createIdTokenSigner(
  account: EmulatorServiceAccount,
  now: () => Date = () => new Date(),
): IdTokenSigner {
  return ({ audience, email, subject }) => {
    const issuedAt = Math.floor(now().getTime() / 1000);
    const claims = {
      aud: audience,
      azp: subject,
      email,
      email_verified: true,
      exp: issuedAt + 3600,
      iat: issuedAt,
      iss: 'https://accounts.google.com',
      sub: subject,
    };
    return signRs256Jwt(claims, account.privateKey, account.keyId);
  };
}
