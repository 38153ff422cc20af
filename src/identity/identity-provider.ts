import { createRemoteJWKSet, type JWTPayload, errors as joseErrors, jwtVerify } from 'jose';
import * as oauth from 'openid-client';
import { IdentityProviderError } from './identity-provider-error.js';
import type { OidcSettings } from './oidc-settings.js';

/** What the device authorization endpoint answered (RFC 8628 §3.2), passed on to the CLI. */
export interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete?: string;
  expires_in: number;
  interval?: number;
}

/** One poll of the token endpoint: still waiting, or an ID token, or the IdP's refusal (RFC 8628 §3.5). */
export type DevicePoll =
  | { status: 'pending' }
  | { status: 'slow_down' }
  | { status: 'refused'; error: string; description?: string }
  | { status: 'signed-in'; idToken: string };

/** Who signed in, from a verified ID token. */
export interface SignedInIdentity {
  issuer: string;
  subject: string;
  email?: string;
  name?: string;
  groups: string[];
}

function isLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '[::1]' || url.hostname.startsWith('127.');
}

/** A claim at a dotted path (`realm_access.roles`), as a list of group names. */
export function groupsOf(claims: JWTPayload, path: string): string[] {
  let value: unknown = claims;
  for (const part of path.split('.')) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  }
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((group): group is string => typeof group === 'string') : [];
}

/**
 * The organisation's identity provider, with the gateway as its OAuth client:
 * discovery at start, the device authorization flow (RFC 8628) one step per
 * CLI call (so any replica can answer any step), and ID token verification
 * (issuer, audience, signature through the IdP's JWKS, expiry) with `jose`.
 *
 * ID tokens carry the IdP's wall-clock times, so they are judged on the wall
 * clock (`idpClock`), not on the gateway's injected one.
 */
export class IdentityProvider {
  private constructor(
    private readonly settings: OidcSettings,
    private readonly config: oauth.Configuration,
    private readonly jwks: ReturnType<typeof createRemoteJWKSet>,
    private readonly idpClock: () => number,
  ) {}

  /**
   * Reads the issuer's discovery document; throws an `IdentityProviderError`
   * naming `auth.oidc.issuer` and what went wrong. Plain HTTP is accepted only
   * for an issuer on this machine (a test or development IdP).
   */
  static async discover(
    settings: OidcSettings,
    options: { idpClock?: () => number; timeoutMs?: number } = {},
  ): Promise<IdentityProvider> {
    const issuer = new URL(settings.issuer);
    const insecure = issuer.protocol === 'http:';
    if (insecure && !isLoopback(issuer)) {
      throw new IdentityProviderError(
        `auth.oidc.issuer: ${settings.issuer} is plain HTTP; an identity provider must be reached over HTTPS (only an issuer on this machine may use HTTP).`,
      );
    }
    let config: oauth.Configuration;
    try {
      config = await oauth.discovery(
        issuer,
        settings.clientId,
        undefined,
        settings.clientSecret ? oauth.ClientSecretPost(settings.clientSecret) : oauth.None(),
        {
          ...(insecure ? { execute: [oauth.allowInsecureRequests] } : {}),
          timeout: (options.timeoutMs ?? 10_000) / 1000,
        },
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
      throw new IdentityProviderError(
        `auth.oidc.issuer: cannot read the discovery document of ${settings.issuer} (${new URL('.well-known/openid-configuration', `${settings.issuer.replace(/\/$/, '')}/`).href}): ${reason}${cause}. Check the issuer URL and that the identity provider is reachable from the gateway.`,
      );
    }
    const metadata = config.serverMetadata();
    if (!metadata.device_authorization_endpoint) {
      throw new IdentityProviderError(
        `auth.oidc.issuer: ${settings.issuer} has no device authorization endpoint in its discovery document; turn on the device flow (RFC 8628) at the identity provider for client ${settings.clientId}.`,
      );
    }
    if (settings.adminGroups.length > 0) {
      const missing = (['authorization_endpoint', 'token_endpoint'] as const).filter(
        (name) => !metadata[name],
      );
      if (missing.length > 0) {
        throw new IdentityProviderError(
          `auth.oidc.issuer: ${settings.issuer} has no ${missing.join(' or ')} in its discovery document, which the dashboard's sign-in for auth.oidc.adminGroups needs (the authorization code flow). Turn that flow on at the identity provider for client ${settings.clientId}, or leave auth.oidc.adminGroups empty.`,
        );
      }
    }
    if (!metadata.jwks_uri) {
      throw new IdentityProviderError(
        `auth.oidc.issuer: ${settings.issuer} publishes no jwks_uri, so its ID tokens cannot be verified.`,
      );
    }
    const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri));
    return new IdentityProvider(settings, config, jwks, options.idpClock ?? Date.now);
  }

  get issuer(): string {
    return this.config.serverMetadata().issuer;
  }

  /** Starts a sign-in: the code and URL the developer opens. */
  async startDeviceAuthorization(): Promise<DeviceAuthorization> {
    const answer = await oauth.initiateDeviceAuthorization(this.config, {
      scope: this.settings.scopes.join(' '),
    });
    return {
      device_code: answer.device_code,
      user_code: answer.user_code,
      verification_uri: answer.verification_uri,
      ...(answer.verification_uri_complete
        ? { verification_uri_complete: answer.verification_uri_complete }
        : {}),
      expires_in: answer.expires_in,
      ...(answer.interval ? { interval: answer.interval } : {}),
    };
  }

  /** Asks the token endpoint once whether the developer has approved the sign-in. */
  async pollDevice(deviceCode: string): Promise<DevicePoll> {
    try {
      const answer = await oauth.genericGrantRequest(
        this.config,
        'urn:ietf:params:oauth:grant-type:device_code',
        { device_code: deviceCode },
      );
      if (!answer.id_token) {
        return {
          status: 'refused',
          error: 'invalid_grant',
          description: 'the identity provider sent no ID token; add the "openid" scope (auth.oidc.scopes)',
        };
      }
      return { status: 'signed-in', idToken: answer.id_token };
    } catch (error) {
      if (error instanceof oauth.ResponseBodyError) {
        if (error.error === 'authorization_pending') return { status: 'pending' };
        if (error.error === 'slow_down') return { status: 'slow_down' };
        return {
          status: 'refused',
          error: error.error,
          ...(error.error_description ? { description: error.error_description } : {}),
        };
      }
      throw error;
    }
  }

  /**
   * The IdP's sign-in page for the dashboard (authorization code flow with
   * PKCE S256, `state` and `nonce`); the caller keeps the three secrets for
   * the callback.
   */
  authorizationUrl(request: {
    redirectUri: string;
    state: string;
    nonce: string;
    codeChallenge: string;
  }): URL {
    return oauth.buildAuthorizationUrl(this.config, {
      redirect_uri: request.redirectUri,
      scope: this.settings.scopes.join(' '),
      response_type: 'code',
      state: request.state,
      nonce: request.nonce,
      code_challenge: request.codeChallenge,
      code_challenge_method: 'S256',
    });
  }

  /**
   * Finishes a dashboard sign-in: checks the callback's `state` (and the IdP's
   * error, if it sent one), redeems the code with the PKCE verifier, checks the
   * ID token's `nonce` (openid-client), then verifies the ID token as the device
   * flow does. Throws an `IdentityProviderError` saying what was wrong.
   */
  async redeemCode(
    callbackUrl: URL,
    checks: { state: string; nonce: string; codeVerifier: string },
  ): Promise<SignedInIdentity> {
    let idToken: string | undefined;
    try {
      const answer = await oauth.authorizationCodeGrant(this.config, callbackUrl, {
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        pkceCodeVerifier: checks.codeVerifier,
        idTokenExpected: true,
      });
      idToken = answer.id_token;
    } catch (error) {
      if (error instanceof oauth.AuthorizationResponseError || error instanceof oauth.ResponseBodyError) {
        throw new IdentityProviderError(
          `the identity provider refused the sign-in (${error.error}${error.error_description ? `: ${error.error_description}` : ''})`,
        );
      }
      if (error instanceof oauth.ClientError) {
        throw new IdentityProviderError(`the sign-in's answer was not accepted: ${error.message}`);
      }
      throw error;
    }
    if (!idToken) throw new IdentityProviderError('the identity provider sent no ID token');
    return this.verifyIdToken(idToken);
  }

  /** Verifies an ID token (issuer, audience, signature, expiry) and reads who it names. */
  async verifyIdToken(idToken: string): Promise<SignedInIdentity> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, this.jwks, {
        issuer: this.issuer,
        audience: this.settings.clientId,
        currentDate: new Date(this.idpClock()),
        clockTolerance: 60,
      }));
    } catch (error) {
      throw new IdentityProviderError(
        `the identity provider's ID token was refused: ${describeJoseError(error)}`,
      );
    }
    if (!payload.sub) throw new IdentityProviderError('the ID token names no subject (sub)');
    const email = typeof payload['email'] === 'string' ? payload['email'] : undefined;
    const name =
      typeof payload['name'] === 'string'
        ? payload['name']
        : typeof payload['preferred_username'] === 'string'
          ? payload['preferred_username']
          : undefined;
    return {
      issuer: this.issuer,
      subject: payload.sub,
      ...(email ? { email } : {}),
      ...(name ? { name } : {}),
      groups: groupsOf(payload, this.settings.groupsClaim),
    };
  }
}

/** What was wrong with a JWT, in words. */
export function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'it has expired';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return 'its signature does not match (it was changed, or signed by someone else)';
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `its "${error.claim}" claim is not as expected (${error.reason})`;
  if (error instanceof joseErrors.JWKSNoMatchingKey)
    return 'it was signed with a key the identity provider does not publish';
  if (error instanceof joseErrors.JOSEError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
