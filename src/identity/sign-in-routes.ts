import type { GatewayContext } from '../gateway/context.js';
import type { Exchange } from '../gateway/exchange.js';
import { IdentityProviderError } from './identity-provider-error.js';

const MAX_BODY = 64 * 1024;
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** An OAuth-style answer: `{error, error_description}` for refusals (RFC 6749 §5.2, RFC 8628 §3.5). */
function answer(exchange: Exchange, status: number, body: unknown): void {
  exchange.send(
    status,
    { 'content-type': 'application/json', 'cache-control': 'no-store' },
    JSON.stringify(body),
  );
}

function refuse(exchange: Exchange, status: number, error: string, description: string): void {
  answer(exchange, status, { error, error_description: description });
}

/** The form (`application/x-www-form-urlencoded`, as OAuth clients send) or JSON body, as strings. */
async function readParameters(exchange: Exchange): Promise<Record<string, string> | undefined> {
  const body = await exchange.readBody(MAX_BODY);
  if (!body.ok) return undefined;
  const text = body.bytes.toString('utf8');
  if ((exchange.header('content-type') ?? '').includes('json')) {
    try {
      const parsed: unknown = JSON.parse(text || '{}');
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
      return Object.fromEntries(
        Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      );
    } catch {
      return undefined;
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/**
 * Sign-in for `claude-gateway login` (RFC 8628, the gateway as the IdP's
 * OAuth client): `POST /auth/device` starts it, `POST /auth/token` polls it
 * (grant `…:device_code`) and renews the gateway token (grant
 * `refresh_token`), `POST /auth/logout` ends a sign-in. Every step is
 * stateless on the gateway, so any replica answers any of them. Returns false
 * for paths that are not sign-in's.
 */
export async function handleSignIn(context: GatewayContext, exchange: Exchange): Promise<boolean> {
  const { path, method } = exchange;
  if (path !== '/auth/device' && path !== '/auth/token' && path !== '/auth/logout') return false;
  const identities = context.callers.identities;
  const provider = identities?.options.provider;
  const oidc = identities?.options.oidc;
  if (!identities || !provider || !oidc) {
    refuse(
      exchange,
      404,
      'sign_in_off',
      'Sign-in is not configured on this gateway: an administrator sets auth.oidc in its configuration. Use a gateway key meanwhile.',
    );
    return true;
  }
  if (method !== 'POST') {
    refuse(exchange, 405, 'invalid_request', `Use POST ${path}.`);
    return true;
  }
  const parameters = await readParameters(exchange);
  if (!parameters) {
    refuse(exchange, 400, 'invalid_request', 'The body must be a form or a JSON object of strings.');
    return true;
  }
  const store = identities.store;
  try {
    if (path === '/auth/device') {
      answer(exchange, 200, await provider.startDeviceAuthorization());
      return true;
    }
    if (path === '/auth/logout') {
      const session = parameters['refresh_token']
        ? await store.lookupRefreshToken(parameters['refresh_token'])
        : undefined;
      if (session) {
        await store.revokeSession(session.id, context.clock());
        context.callers.invalidate();
      }
      answer(exchange, 200, { signed_out: session !== undefined });
      return true;
    }
    const now = context.clock();
    const issue = async (
      userId: string,
      sessionId: string,
      refreshToken: string,
      refreshExpiresAt: number,
    ) => {
      const secret = await store.tokenSigningSecret();
      const user = await store.findUser(userId);
      answer(exchange, 200, {
        // jose loads with the first sign-in, not at start.
        access_token: await (await import('./gateway-tokens.js')).signGatewayToken(
          secret,
          { userId, sessionId },
          now,
          oidc.tokenTtl,
        ),
        token_type: 'Bearer',
        expires_in: Math.floor(oidc.tokenTtl / 1000),
        refresh_token: refreshToken,
        refresh_token_expires_in: Math.max(0, Math.floor((refreshExpiresAt - now) / 1000)),
        user: user
          ? { id: user.id, name: user.name, email: user.email, groups: user.groups }
          : { id: userId },
      });
    };
    const grant = parameters['grant_type'];
    if (grant === DEVICE_CODE_GRANT) {
      const deviceCode = parameters['device_code'];
      if (!deviceCode) {
        refuse(exchange, 400, 'invalid_request', 'device_code is missing.');
        return true;
      }
      const poll = await provider.pollDevice(deviceCode);
      if (poll.status === 'pending') {
        refuse(
          exchange,
          400,
          'authorization_pending',
          'Waiting for the sign-in to be approved in the browser.',
        );
        return true;
      }
      if (poll.status === 'slow_down') {
        refuse(exchange, 400, 'slow_down', 'Polling too often: wait longer between polls.');
        return true;
      }
      if (poll.status === 'refused') {
        refuse(
          exchange,
          400,
          poll.error,
          `The identity provider refused the sign-in (${poll.error}${poll.description ? `: ${poll.description}` : ''}). Run claude-gateway login again.`,
        );
        return true;
      }
      const who = await provider.verifyIdToken(poll.idToken);
      const user = await store.upsertSignedInUser(who, now);
      context.callers.invalidate();
      if (user.disabledAt !== undefined) {
        refuse(
          exchange,
          403,
          'access_denied',
          `The user ${user.name} is disabled on this gateway; ask an administrator.`,
        );
        return true;
      }
      const expiresAt = now + oidc.refreshTokenTtl;
      const { record, refreshToken } = await store.createSession(user.id, expiresAt, now);
      await issue(user.id, record.id, refreshToken, expiresAt);
      return true;
    }
    if (grant === 'refresh_token') {
      const session = parameters['refresh_token']
        ? await store.lookupRefreshToken(parameters['refresh_token'])
        : undefined;
      const ended = !session
        ? 'this sign-in is not known to the gateway'
        : session.revokedAt !== undefined
          ? 'this sign-in was ended (signed out, or by an administrator)'
          : now >= session.expiresAt
            ? `this sign-in expired at ${new Date(session.expiresAt).toISOString()}`
            : undefined;
      if (!session || ended) {
        refuse(
          exchange,
          400,
          'invalid_grant',
          `Cannot renew the gateway token: ${ended}. Run claude-gateway login.`,
        );
        return true;
      }
      const user = await store.findUser(session.userId);
      if (!user || user.disabledAt !== undefined) {
        refuse(
          exchange,
          400,
          'invalid_grant',
          'Cannot renew the gateway token: the user is disabled or gone; ask an administrator.',
        );
        return true;
      }
      await store.noteRefresh(session.id, now);
      await issue(user.id, session.id, parameters['refresh_token'] ?? '', session.expiresAt);
      return true;
    }
    refuse(
      exchange,
      400,
      'unsupported_grant_type',
      `grant_type must be ${DEVICE_CODE_GRANT} or refresh_token; got ${JSON.stringify(grant ?? null)}.`,
    );
    return true;
  } catch (error) {
    if (error instanceof IdentityProviderError) {
      refuse(exchange, 401, 'invalid_grant', `${error.message}. Run claude-gateway login again.`);
      return true;
    }
    const reason = error instanceof Error ? error.message : String(error);
    context.logger.warn({ err: error, path }, 'sign-in step failed');
    refuse(
      exchange,
      502,
      'temporarily_unavailable',
      `The gateway could not complete this sign-in step with the identity provider (${reason}). Try again shortly.`,
    );
    return true;
  }
}
