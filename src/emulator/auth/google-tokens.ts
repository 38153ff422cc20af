import { randomBytes } from 'node:crypto';
import { decodeJwt, verifyRs256 } from './google-jwt.js';
import type { ServiceAccountRegistry } from './google-service-account.js';

/** Who a Google access token was issued to. */
export interface GooglePrincipal {
  /** A service account (signed JWT), a user (refresh token), or the metadata server's default account. */
  type: 'service_account' | 'authorized_user' | 'compute';
  email: string;
  scopes: string[];
}

/** An access token the issuer handed out. */
export interface IssuedGoogleToken {
  accessToken: string;
  /** Seconds left, as the token endpoint reports it (3599 for a fresh token). */
  expiresIn: number;
  expiresAt: Date;
  principal: GooglePrincipal;
}

/** A bearer token that checked out. */
export interface GoogleBearerSuccess {
  ok: true;
  principal: GooglePrincipal;
  token: string;
}

/** A bearer token that did not, with the body Google answers with. */
export interface GoogleAuthFailure {
  ok: false;
  status: 401;
  body: { error: { code: 401; message: string; status: 'UNAUTHENTICATED' } };
}

export interface GoogleTokenIssuerOptions {
  now?: () => Date;
  /** How long a token lives; Google's is an hour. */
  lifetimeSeconds?: number;
  /** When given, self-signed service-account JWTs (google-auth-library's JWTAccess) are accepted as bearers. */
  serviceAccounts?: ServiceAccountRegistry;
}

const invalidCredentialsMessage =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid ' +
  'authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
const missingCredentialsMessage =
  'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other ' +
  'valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

/**
 * Issues opaque Google access tokens (`ya29.emulator.…`), remembers who holds each until it expires, and
 * checks `Authorization: Bearer` headers against them as Google APIs do.
 *
 * @example
 * const issuer = new GoogleTokenIssuer();
 * const { accessToken } = issuer.issue({ type: 'compute', email: 'sa@p.iam.gserviceaccount.com', scopes: [] });
 * issuer.verifyGoogleBearer(`Bearer ${accessToken}`).ok; // true
 */
export class GoogleTokenIssuer {
  readonly #tokens = new Map<string, { principal: GooglePrincipal; expiresAt: Date }>();
  readonly #now: () => Date;
  readonly #lifetimeSeconds: number;
  readonly #serviceAccounts: ServiceAccountRegistry | undefined;

  constructor(options: GoogleTokenIssuerOptions = {}) {
    this.#now = options.now ?? (() => new Date());
    this.#lifetimeSeconds = options.lifetimeSeconds ?? 3600;
    this.#serviceAccounts = options.serviceAccounts;
  }

  /**
   * Issues a new access token for `principal`.
   *
   * @example
   * issuer.issue({ type: 'service_account', email, scopes: ['https://www.googleapis.com/auth/cloud-platform'] }).expiresIn; // 3599
   */
  issue(principal: GooglePrincipal): IssuedGoogleToken {
    this.#forgetExpired();
    const accessToken = `ya29.emulator.${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(this.#now().getTime() + this.#lifetimeSeconds * 1000);
    this.#tokens.set(accessToken, { principal, expiresAt });
    return { accessToken, expiresIn: this.#lifetimeSeconds - 1, expiresAt, principal };
  }

  /**
   * The live token's holder and remaining lifetime, or `undefined` when the token is unknown or expired.
   *
   * @example
   * issuer.lookup(accessToken)?.principal.email;
   */
  lookup(
    accessToken: string,
  ): { principal: GooglePrincipal; expiresAt: Date; expiresIn: number } | undefined {
    const entry = this.#tokens.get(accessToken);
    if (!entry) return undefined;
    const remaining = Math.floor((entry.expiresAt.getTime() - this.#now().getTime()) / 1000);
    if (remaining <= 0) {
      this.#tokens.delete(accessToken);
      return undefined;
    }
    return { ...entry, expiresIn: remaining };
  }

  /**
   * Checks an `Authorization` header: a token this issuer handed out and that has not expired, or (when the
   * issuer knows service accounts) a JWT self-signed by one of them. Otherwise Google's 401.
   *
   * @example
   * const result = issuer.verifyGoogleBearer(request.headers.get('authorization'));
   * if (!result.ok) return googleAuthErrorResponse(result);
   */
  verifyGoogleBearer(
    authorizationHeader: string | null | undefined,
  ): GoogleBearerSuccess | GoogleAuthFailure {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorizationHeader?.trim() ?? '');
    const token = match?.[1];
    if (token === undefined) return googleAuthFailure(missingCredentialsMessage);
    const issued = this.lookup(token);
    if (issued) return { ok: true, principal: issued.principal, token };
    const selfSigned = this.#verifySelfSignedJwt(token);
    if (selfSigned) return { ok: true, principal: selfSigned, token };
    return googleAuthFailure(invalidCredentialsMessage);
  }

  /**
   * Makes a token expire now (all tokens when none is named), so that tests can exercise refreshing.
   *
   * @example
   * issuer.expire(accessToken);
   * issuer.verifyGoogleBearer(`Bearer ${accessToken}`).ok; // false
   */
  expire(accessToken?: string): void {
    if (accessToken === undefined) this.#tokens.clear();
    else this.#tokens.delete(accessToken);
  }

  #forgetExpired(): void {
    if (this.#tokens.size < 1024) return;
    const now = this.#now();
    for (const [token, entry] of this.#tokens) {
      if (entry.expiresAt <= now) this.#tokens.delete(token);
    }
  }

  #verifySelfSignedJwt(token: string): GooglePrincipal | undefined {
    const registry = this.#serviceAccounts;
    const jwt = registry ? decodeJwt(token) : undefined;
    if (!registry || !jwt || jwt.header.alg !== 'RS256') return undefined;
    const { iss, sub, exp, iat, aud, scope } = jwt.claims;
    if (typeof iss !== 'string' || (sub !== undefined && sub !== iss)) return undefined;
    if (typeof exp !== 'number' || typeof iat !== 'number') return undefined;
    const nowSeconds = this.#now().getTime() / 1000;
    if (exp <= nowSeconds || exp - iat > 3600 || iat > nowSeconds + 300) return undefined;
    if (typeof aud !== 'string' && typeof scope !== 'string') return undefined;
    const keyId = typeof jwt.header.kid === 'string' ? jwt.header.kid : undefined;
    if (!registry.keysFor(iss, keyId).some((key) => verifyRs256(jwt, key.publicKey))) return undefined;
    return { type: 'service_account', email: iss, scopes: typeof scope === 'string' ? scope.split(' ') : [] };
  }
}

/**
 * Google's 401 for a missing, unknown or expired bearer token.
 *
 * @example
 * googleAuthFailure('Request had invalid authentication credentials. …').body.error.status; // 'UNAUTHENTICATED'
 */
export function googleAuthFailure(message: string = invalidCredentialsMessage): GoogleAuthFailure {
  return { ok: false, status: 401, body: { error: { code: 401, message, status: 'UNAUTHENTICATED' } } };
}

/**
 * The failure as Google APIs send it, with `WWW-Authenticate`.
 *
 * @example
 * return googleAuthErrorResponse(issuer.verifyGoogleBearer(undefined) as GoogleAuthFailure);
 */
export function googleAuthErrorResponse(failure: GoogleAuthFailure): Response {
  return new Response(JSON.stringify(failure.body), {
    status: failure.status,
    headers: {
      'content-type': 'application/json; charset=UTF-8',
      'www-authenticate': 'Bearer realm="https://accounts.google.com/"',
    },
  });
}
