import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How someone signed in to the dashboard: the admin key, or the identity provider (`auth.oidc.adminGroups`). */
export type SignInVia = 'admin-key' | 'oidc';

/** Who a dashboard session belongs to. */
export interface UiPrincipal {
  /** `admin` for the admin key; the user's name (e-mail) with OIDC. */
  subject: string;
  via: SignInVia;
  /** The signed-in user, with OIDC. */
  userId?: string;
}

/** A verified session: its id in the store, its principal and the token writes must carry (CSRF). */
export interface UiSession extends UiPrincipal {
  /** The `ui_sessions` row that says whether it was ended. */
  id: string;
  expiresAt: number;
  csrfToken: string;
}

/** The session cookie's name. */
export const SESSION_COOKIE = 'cgw_ui';
/** The header a cookie-authenticated write must carry, with the session's CSRF token. */
export const CSRF_HEADER = 'x-csrf-token';
/** How long a sign-in lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

interface Payload {
  v: 2;
  /** The session's id in the store. */
  sid: string;
  sub: string;
  uid?: string;
  via: SignInVia;
  exp: number;
  /** Random per session: the CSRF token is derived from it. */
  n: string;
}

/**
 * The key sessions are signed with, derived from a server secret (the admin
 * key, or without one the secret kept in the store). It is stable across
 * restarts and shared by replicas that share the secret, and changing the
 * secret ends every session.
 */
export function sessionSigningKey(secret: string | Uint8Array): Buffer {
  return createHmac('sha256', secret).update('claude-gateway/ui-session/v1').digest();
}

function mac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * A signed token for the cookie that names a stored session (whose row says
 * whether it was ended), and its CSRF token.
 *
 * @example
 * const { token, session } = issueSessionToken(key, { id: record.id, subject: 'admin', via: 'admin-key', expiresAt });
 */
export function issueSessionToken(
  key: Buffer,
  stored: UiPrincipal & { id: string; expiresAt: number },
): { token: string; session: UiSession } {
  const payload: Payload = {
    v: 2,
    sid: stored.id,
    sub: stored.subject,
    ...(stored.userId ? { uid: stored.userId } : {}),
    via: stored.via,
    exp: stored.expiresAt,
    n: randomBytes(16).toString('base64url'),
  };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return {
    token: `${body}.${mac(key, body)}`,
    session: {
      id: stored.id,
      subject: stored.subject,
      via: stored.via,
      ...(stored.userId ? { userId: stored.userId } : {}),
      expiresAt: payload.exp,
      csrfToken: mac(key, `csrf.${payload.n}`),
    },
  };
}

/**
 * The session a token stands for, or undefined when it is forged, malformed or
 * expired. Whether it was ended is the store's to say (see `uiSessionOf`).
 */
export function verifySessionToken(key: Buffer, token: string, now: number): UiSession | undefined {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return undefined;
  if (!sameText(signature, mac(key, body))) return undefined;
  let payload: Partial<Payload>;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (payload.v !== 2 || typeof payload.sid !== 'string') return undefined;
  if (typeof payload.sub !== 'string' || typeof payload.n !== 'string') return undefined;
  if (payload.via !== 'admin-key' && payload.via !== 'oidc') return undefined;
  if (typeof payload.exp !== 'number' || payload.exp <= now) return undefined;
  return {
    id: payload.sid,
    subject: payload.sub,
    via: payload.via,
    ...(typeof payload.uid === 'string' ? { userId: payload.uid } : {}),
    expiresAt: payload.exp,
    csrfToken: mac(key, `csrf.${payload.n}`),
  };
}

/** Whether a presented CSRF token is the session's (constant time). */
export function csrfTokenMatches(session: UiSession, presented: string | undefined): boolean {
  return presented !== undefined && sameText(presented, session.csrfToken);
}

/** A cookie's value from a `Cookie` header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at !== -1 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * The `Set-Cookie` value for a session (or, with `token` undefined, one that
 * ends it): HttpOnly so page scripts never see it, SameSite=Strict so no other
 * site's page can send it, Secure when the page came over HTTPS.
 */
export function sessionCookie(token: string | undefined, options: { secure: boolean }): string {
  return [
    `${SESSION_COOKIE}=${token ?? ''}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${token === undefined ? 0 : Math.floor(SESSION_TTL_MS / 1000)}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}
