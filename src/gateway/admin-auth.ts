import { timingSafeEqual } from 'node:crypto';
import {
  CSRF_HEADER,
  csrfTokenMatches,
  readCookie,
  SESSION_COOKIE,
  sessionSigningKey,
  type UiSession,
  verifySessionToken,
} from '../ui/server/ui-session.js';
import type { GatewayContext } from './context.js';
import type { Exchange } from './exchange.js';

/** Who may use the admin API on this request, or why not (status and message). */
export type AdminAuthorization =
  | { ok: true; via: 'admin-key' | 'ui-session'; session?: UiSession }
  | { ok: false; status: number; message: string };

const signingKeys = new Map<string, Buffer>();

/** The key dashboard sessions are signed with (see `sessionSigningKey`), or undefined when sign-in is off. */
export function uiSigningKey(context: GatewayContext): Buffer | undefined {
  // The seam for OIDC: a sign-in that does not use the admin key will need its own server secret here.
  const secret = context.config.server.adminKey;
  if (!secret) return undefined;
  let key = signingKeys.get(secret);
  if (!key) {
    key = sessionSigningKey(secret);
    signingKeys.set(secret, key);
  }
  return key;
}

/** The dashboard session the request's cookie carries, if it carries a valid one. */
export function uiSessionOf(context: GatewayContext, exchange: Exchange): UiSession | undefined {
  const key = uiSigningKey(context);
  const token = readCookie(exchange.header('cookie'), SESSION_COOKIE);
  if (!key || !token) return undefined;
  return verifySessionToken(key, token, context.clock());
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

/**
 * Checks the caller of an admin request: `Authorization: Bearer <server.adminKey>`
 * (scripts, the CLI), or the dashboard's session cookie, with CSRF checks on
 * anything but a read.
 */
export function authorizeAdmin(context: GatewayContext, exchange: Exchange): AdminAuthorization {
  const adminKey = context.config.server.adminKey;
  const presented = /^Bearer\s+(\S+)$/i.exec(exchange.header('authorization') ?? '')?.[1];
  if (presented !== undefined) {
    return adminKey && sameSecret(presented, adminKey)
      ? { ok: true, via: 'admin-key' }
      : {
          ok: false,
          status: 401,
          message: 'Send the admin key as "Authorization: Bearer <server.adminKey>".',
        };
  }
  const session = uiSessionOf(context, exchange);
  if (session) {
    if (exchange.method === 'GET' || exchange.method === 'HEAD')
      return { ok: true, via: 'ui-session', session };
    const refused = sameOriginWrite(exchange, session);
    return refused ? { ok: false, status: 403, message: refused } : { ok: true, via: 'ui-session', session };
  }
  return {
    ok: false,
    status: 401,
    message:
      'Send the admin key as "Authorization: Bearer <server.adminKey>", or sign in to the dashboard at /ui.',
  };
}

function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
