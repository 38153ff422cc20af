import { timingSafeEqual } from 'node:crypto';
import { looksLikeJwt } from '../identity/jwt-shape.js';
import { StoreError } from '../store/store-error.js';
import {
  CSRF_HEADER,
  csrfTokenMatches,
  readCookie,
  SESSION_COOKIE,
  sessionSigningKey,
  type UiSession,
  verifySessionToken,
} from '../ui/server/ui-session.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { gatewayOf } from './callers.js';
import type { GatewayContext } from './context.js';
import type { Exchange } from './exchange.js';

/** Who may use the admin API on this request, or why not (status and message). */
export type AdminAuthorization =
  | {
      ok: true;
      via: 'admin-key' | 'ui-session' | 'gateway-token';
      session?: UiSession;
      /** The signed-in administrator, when `via` is `gateway-token`. */
      user?: { id: string; name: string };
    }
  | { ok: false; status: number; message: string; code?: string };

const signingKeys = new Map<string | Uint8Array, Buffer>();

/** Whether the dashboard can be signed in to through the identity provider (`auth.oidc.adminGroups`). */
export function dashboardOidcEnabled(context: Pick<GatewayContext, 'config'>): boolean {
  return (context.config.auth.oidc?.adminGroups ?? []).length > 0;
}

/**
 * The key dashboard sessions are signed with (see `sessionSigningKey`), or
 * undefined when sign-in is off: derived from the admin key when there is
 * one (changing it ends every session, as before), else from the secret the
 * store keeps for every replica (made once, as for gateway tokens).
 */
export async function uiSigningKey(context: GatewayContext): Promise<Buffer | undefined> {
  const adminKey = context.config.server.adminKey;
  const identities = context.callers.identities;
  let secret: string | Uint8Array | undefined = adminKey;
  if (!secret && dashboardOidcEnabled(context) && identities) {
    try {
      secret = await identities.store.tokenSigningSecret();
    } catch {
      // Read once per process, then kept: only a gateway started while the store is away gets here.
      throw new GatewayError({
        status: 503,
        type: 'overloaded_error',
        code: 'STORE_UNAVAILABLE',
        platform: 'gateway',
        message:
          'The gateway cannot check dashboard sign-ins right now: its store does not answer. Retry shortly.',
      });
    }
  }
  if (!secret) return undefined;
  let key = signingKeys.get(secret);
  if (!key) {
    key = sessionSigningKey(secret);
    signingKeys.set(secret, key);
  }
  return key;
}

/**
 * The dashboard session the request's cookie carries, if it carries a valid
 * one: signed by this gateway, not expired, and not ended in the store (by
 * signing out, an administrator, or disabling the user). Throws a 503
 * `GatewayError` when the store cannot say and this replica never read the
 * session (see `Identities.uiSession`).
 */
export async function uiSessionOf(
  context: GatewayContext,
  exchange: Exchange,
): Promise<UiSession | undefined> {
  const token = readCookie(exchange.header('cookie'), SESSION_COOKIE);
  if (!token) return undefined;
  const key = await uiSigningKey(context);
  if (!key) return undefined;
  const session = verifySessionToken(key, token, context.clock());
  const identities = context.callers.identities;
  if (!session || !identities) return undefined;
  const stored = await identities.uiSession(session.id);
  if (!stored || stored.endedAt !== undefined || stored.expiresAt <= context.clock()) return undefined;
  if (stored.userId !== undefined && !(await stillAnAdministrator(context, stored.userId))) return undefined;
  return session;
}

/**
 * Whether an OIDC dashboard session's user may still use it: not disabled or
 * gone, and still in `auth.oidc.adminGroups` (an administrator may have
 * changed their groups). While the store does not answer, the session's own
 * check (`Identities.uiSession`) decides alone.
 */
async function stillAnAdministrator(context: GatewayContext, userId: string): Promise<boolean> {
  const adminGroups = context.config.auth.oidc?.adminGroups ?? [];
  let user: Awaited<ReturnType<NonNullable<GatewayContext['callers']['identities']>['user']>>;
  try {
    user = await context.callers.identities?.user(userId);
  } catch {
    return true;
  }
  return (
    user !== undefined &&
    user.disabledAt === undefined &&
    user.groups.some((group) => adminGroups.includes(group))
  );
}

/**
 * A write sent with the session cookie must come from the dashboard itself:
 * its CSRF token in `x-csrf-token` and, when the browser says, the same origin.
 */
export function sameOriginWrite(exchange: Exchange, session: UiSession): string | undefined {
  if (!csrfTokenMatches(session, exchange.header(CSRF_HEADER))) {
    return `A change made with the dashboard's sign-in needs its CSRF token in ${CSRF_HEADER}; reload the dashboard.`;
  }
  const site = exchange.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') {
    return 'A change made with the dashboard sign-in must come from the dashboard itself.';
  }
  const origin = exchange.header('origin');
  // Behind a proxy the page's host may be in X-Forwarded-Host rather than Host.
  const hosts = [
    exchange.header('host') ?? exchange.header(':authority'),
    exchange.header('x-forwarded-host'),
  ];
  if (origin !== undefined && origin !== 'null' && hosts[0] !== undefined) {
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (!hosts.includes(originHost)) {
      return 'A change made with the dashboard sign-in must come from the dashboard itself.';
    }
  }
  return undefined;
}

/** How to get in, for a 401: the ways this gateway's configuration opens. */
function waysIn(context: GatewayContext): string {
  const adminGroups = context.config.auth.oidc?.adminGroups ?? [];
  return [
    ...(context.config.server.adminKey
      ? ['Send the admin key as "Authorization: Bearer <server.adminKey>"']
      : []),
    ...(adminGroups.length > 0
      ? [
          `as a member of ${adminGroups.join(', ')} (auth.oidc.adminGroups), your gateway token as "Authorization: Bearer $(claude-gateway token)"`,
        ]
      : []),
    ...(context.config.server.adminKey || adminGroups.length > 0 ? ['sign in to the dashboard at /ui'] : []),
  ]
    .join(', or ')
    .replace(/^as a member/, 'Send, as a member')
    .concat('.');
}

/**
 * A gateway token (`claude-gateway token`) of a signed-in user in one of
 * `auth.oidc.adminGroups` (as of their last sign-in); anyone else signed in
 * gets 403 naming the rule, a bad or ended token the sign-in's 401.
 */
async function authorizeGatewayToken(
  context: GatewayContext,
  exchange: Exchange,
  token: string,
): Promise<AdminAuthorization> {
  const identities = context.callers.identities;
  const adminGroups = context.config.auth.oidc?.adminGroups ?? [];
  let userId: string | undefined;
  try {
    userId = (await identities?.callerForGatewayToken(token, gatewayOf(exchange)))?.user?.id;
  } catch (error) {
    if (error instanceof GatewayError) {
      return {
        ok: false,
        status: error.status,
        message: error.message,
        ...(error.code ? { code: error.code } : {}),
      };
    }
    if (error instanceof StoreError) {
      return {
        ok: false,
        status: 503,
        message: 'The gateway cannot check your sign-in right now: its store does not answer. Retry shortly.',
        code: 'STORE_UNAVAILABLE',
      };
    }
    throw error;
  }
  const user = userId ? await identities?.user(userId) : undefined;
  if (!user) return { ok: false, status: 401, message: waysIn(context) };
  if (adminGroups.length === 0) {
    return {
      ok: false,
      status: 403,
      code: 'ADMIN_GROUP_REQUIRED',
      message: `${user.name} is signed in, but no group may use the admin API with a gateway token: auth.oidc.adminGroups is empty. Use the admin key, or list an administrators' group there.`,
    };
  }
  if (!user.groups.some((group) => adminGroups.includes(group))) {
    return {
      ok: false,
      status: 403,
      code: 'ADMIN_GROUP_REQUIRED',
      message:
        `${user.name} may not use the admin API: it is open to members of ${adminGroups.join(', ')} (auth.oidc.adminGroups), and ${user.name}'s groups are ${user.groups.length > 0 ? user.groups.join(', ') : 'none'}. ` +
        'Groups come from the identity provider at sign-in: once it adds you to one of those, run claude-gateway login again.',
    };
  }
  return { ok: true, via: 'gateway-token', user: { id: user.id, name: user.name } };
}

/**
 * Checks the caller of an admin request: `Authorization: Bearer <server.adminKey>`
 * (scripts, the CLI), a signed-in administrator's gateway token
 * (`auth.oidc.adminGroups`), or the dashboard's session cookie, with CSRF
 * checks on anything but a read. With neither an admin key nor admin groups
 * the admin API is off (404 saying how to turn it on).
 *
 * @example
 * const authorized = await authorizeAdmin(context, exchange);
 * if (!authorized.ok) return adminError(exchange, authorized.status, authorized.message, authorized.code);
 */
export async function authorizeAdmin(
  context: GatewayContext,
  exchange: Exchange,
): Promise<AdminAuthorization> {
  const adminKey = context.config.server.adminKey;
  const oidc = context.config.auth.oidc;
  if (!adminKey && (oidc?.adminGroups ?? []).length === 0) {
    return {
      ok: false,
      status: 404,
      message:
        'The admin API is off. Set server.adminKey (or auth.oidc.adminGroups, for signed-in administrators) in the configuration to turn it on.',
    };
  }
  const presented = /^Bearer\s+(\S+)$/i.exec(exchange.header('authorization') ?? '')?.[1];
  if (presented !== undefined) {
    if (adminKey && sameSecret(presented, adminKey)) return { ok: true, via: 'admin-key' };
    if (oidc && looksLikeJwt(presented)) return authorizeGatewayToken(context, exchange, presented);
    return { ok: false, status: 401, message: waysIn(context) };
  }
  let session: UiSession | undefined;
  try {
    session = await uiSessionOf(context, exchange);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return {
      ok: false,
      status: error.status,
      message: error.message,
      ...(error.code ? { code: error.code } : {}),
    };
  }
  if (session) {
    if (exchange.method === 'GET' || exchange.method === 'HEAD')
      return { ok: true, via: 'ui-session', session };
    const refused = sameOriginWrite(exchange, session);
    return refused ? { ok: false, status: 403, message: refused } : { ok: true, via: 'ui-session', session };
  }
  return { ok: false, status: 401, message: waysIn(context) };
}

function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
