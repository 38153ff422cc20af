import type { AuthorizedUser } from './google-authorized-user.js';
import type { IdTokenSigner } from './google-id-token.js';
import { type DecodedJwt, decodeJwt, verifyRs256 } from './google-jwt.js';
import type { ServiceAccountRegistry } from './google-service-account.js';
import type { GoogleTokenIssuer } from './google-tokens.js';

export interface GoogleTokenEndpointOptions {
  issuer: GoogleTokenIssuer;
  serviceAccounts: ServiceAccountRegistry;
  authorizedUsers: readonly AuthorizedUser[];
  /** Extra audiences a service account's JWT may name (the endpoint's own URL and Google's are always accepted). */
  tokenUris?: readonly string[];
  /** Signs ID tokens for JWTs that ask for a `target_audience`; without it such requests fail. */
  signIdToken?: IdTokenSigner;
  now?: () => Date;
}

export const jwtBearerGrantType = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** The audiences Google's token endpoint answers to; google-auth-library 10 always uses the first. */
const googleTokenUris = [
  'https://oauth2.googleapis.com/token',
  'https://www.googleapis.com/oauth2/v4/token',
  'https://accounts.google.com/o/oauth2/token',
];

const timeframeMessage =
  'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. ' +
  'Check your iat and exp values in the JWT claim.';

/**
 * Google's OAuth 2.0 token endpoint (`POST https://oauth2.googleapis.com/token`, form-encoded): grant
 * `urn:ietf:params:oauth:grant-type:jwt-bearer` with an RS256 `assertion` from a known service account, and
 * grant `refresh_token` for a known user credential. Answers `{"access_token","expires_in":3599,"token_type":"Bearer"}`,
 * or Google's `{"error","error_description"}`.
 *
 * @example
 * app.post('/token', (context) => handleGoogleTokenRequest(context.req.raw, { issuer, serviceAccounts, authorizedUsers }));
 */
export async function handleGoogleTokenRequest(
  request: Request,
  options: GoogleTokenEndpointOptions,
): Promise<Response> {
  if (request.method !== 'POST') {
    return tokenError(405, 'invalid_request', `Method ${request.method} is not allowed; use POST.`);
  }
  const parameters = await readParameters(request);
  const grantType = parameters.get('grant_type');
  if (grantType === null) return tokenError(400, 'invalid_request', 'Missing required parameter: grant_type');
  if (grantType === jwtBearerGrantType) {
    const ownUri = new URL(request.url);
    const audiences = [
      ...googleTokenUris,
      `${ownUri.origin}${ownUri.pathname}`,
      ...(options.tokenUris ?? []),
    ];
    return jwtBearerGrant(parameters.get('assertion'), audiences, options);
  }
  if (grantType === 'refresh_token') return refreshTokenGrant(parameters, options);
  return tokenError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
}

function jwtBearerGrant(
  assertion: string | null,
  audiences: readonly string[],
  options: GoogleTokenEndpointOptions,
): Response {
  if (assertion === null) return tokenError(400, 'invalid_request', 'Missing required parameter: assertion');
  const jwt = decodeJwt(assertion);
  if (!jwt) return tokenError(400, 'invalid_grant', 'Invalid JWT: the assertion is not a well-formed JWT.');
  const { iss, sub, aud, scope, target_audience: targetAudience } = jwt.claims;
  if (typeof iss !== 'string' || !options.serviceAccounts.has(iss)) {
    return tokenError(400, 'invalid_grant', 'Invalid grant: account not found');
  }
  if (jwt.header.alg !== 'RS256' || !signedByAccount(jwt, iss, options.serviceAccounts)) {
    return tokenError(400, 'invalid_grant', 'Invalid JWT Signature.');
  }
  if (!inTimeframe(jwt, options.now?.() ?? new Date()))
    return tokenError(400, 'invalid_grant', timeframeMessage);
  if (typeof aud !== 'string' || !audiences.includes(aud)) {
    return tokenError(
      400,
      'invalid_grant',
      `Invalid JWT: Failed audience check. The right audience is ${audiences[0]}`,
    );
  }
  if (sub !== undefined && typeof sub !== 'string') {
    return tokenError(400, 'invalid_grant', 'Invalid JWT: the sub claim must be a string.');
  }
  if (typeof targetAudience === 'string' && targetAudience !== '') {
    if (!options.signIdToken) return tokenError(400, 'invalid_scope', 'ID tokens are not available.');
    return tokenAnswer({
      id_token: options.signIdToken({ audience: targetAudience, email: iss, subject: iss }),
    });
  }
  if (typeof scope !== 'string' || scope.trim() === '') {
    return tokenError(400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
  }
  const issued = options.issuer.issue({
    type: 'service_account',
    email: sub ?? iss,
    scopes: scope.trim().split(/\s+/),
  });
  return tokenAnswer({
    access_token: issued.accessToken,
    expires_in: issued.expiresIn,
    token_type: 'Bearer',
  });
}

function refreshTokenGrant(parameters: URLSearchParams, options: GoogleTokenEndpointOptions): Response {
  const clientId = parameters.get('client_id');
  if (!clientId) return tokenError(400, 'invalid_request', 'Could not determine client ID from request.');
  const clients = options.authorizedUsers.filter((user) => user.clientId === clientId);
  if (clients.length === 0) return tokenError(401, 'invalid_client', 'The OAuth client was not found.');
  const clientSecret = parameters.get('client_secret');
  const authenticated = clients.filter((user) => user.clientSecret === clientSecret);
  if (authenticated.length === 0) return tokenError(401, 'invalid_client', 'Unauthorized');
  const refreshToken = parameters.get('refresh_token');
  if (!refreshToken) return tokenError(400, 'invalid_request', 'Missing required parameter: refresh_token');
  const user = authenticated.find((candidate) => candidate.refreshToken === refreshToken);
  if (!user) return tokenError(400, 'invalid_grant', 'Bad Request');
  const issued = options.issuer.issue({ type: 'authorized_user', email: user.email, scopes: user.scopes });
  return tokenAnswer({
    access_token: issued.accessToken,
    expires_in: issued.expiresIn,
    scope: user.scopes.join(' '),
    token_type: 'Bearer',
  });
}

function signedByAccount(jwt: DecodedJwt, email: string, registry: ServiceAccountRegistry): boolean {
  const keyId = typeof jwt.header.kid === 'string' ? jwt.header.kid : undefined;
  return registry.keysFor(email, keyId).some((key) => verifyRs256(jwt, key.publicKey));
}

function inTimeframe(jwt: DecodedJwt, now: Date): boolean {
  const { exp, iat } = jwt.claims;
  if (typeof exp !== 'number' || typeof iat !== 'number') return false;
  const nowSeconds = now.getTime() / 1000;
  const skewSeconds = 300;
  return exp > nowSeconds && exp > iat && exp - iat <= 3600 && iat <= nowSeconds + skewSeconds;
}

async function readParameters(request: Request): Promise<URLSearchParams> {
  const text = await request.text();
  if ((request.headers.get('content-type') ?? '').includes('application/json')) {
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null) {
        const entries = Object.entries(value).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        );
        return new URLSearchParams(entries);
      }
    } catch {
      return new URLSearchParams();
    }
  }
  return new URLSearchParams(text);
}

function tokenAnswer(body: Record<string, unknown>): Response {
  return new Response(JSON.stringify(body), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-cache, no-store, max-age=0, must-revalidate',
      pragma: 'no-cache',
    },
  });
}

function tokenError(status: number, error: string, description: string): Response {
  return new Response(JSON.stringify({ error, error_description: description }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}
