import { createHmac, timingSafeEqual } from 'node:crypto';

/** The cookie that carries a dashboard sign-in from the redirect to the IdP to its callback. */
export const PENDING_COOKIE = 'cgw_ui_oidc';
/** How long the IdP's sign-in may take. */
export const PENDING_TTL_MS = 10 * 60 * 1000;

/** What the callback must check the IdP's answer against. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The redirect URI sent to the IdP: the code is redeemed with the same one. */
  redirectUri: string;
  expiresAt: number;
}

function mac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(`pending-sign-in.${text}`).digest('base64url');
}

/**
 * A signed cookie value for a sign-in in progress. It lives in the browser, so
 * any replica can answer the callback; the MAC (with the sessions' key) stops
 * a changed or made-up value, and the cookie is HttpOnly.
 */
export function sealPendingSignIn(key: Buffer, pending: PendingSignIn): string {
  const body = Buffer.from(JSON.stringify(pending)).toString('base64url');
  return `${body}.${mac(key, body)}`;
}

/** The sign-in a cookie value carries, or undefined when it is forged, malformed or too old. */
export function openPendingSignIn(
  key: Buffer,
  value: string | undefined,
  now: number,
): PendingSignIn | undefined {
  const [body, signature, extra] = (value ?? '').split('.');
  if (!body || !signature || extra !== undefined) return undefined;
  const expected = Buffer.from(mac(key, body));
  const presented = Buffer.from(signature);
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) return undefined;
  let pending: Partial<PendingSignIn>;
  try {
    pending = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const fields = [pending.state, pending.nonce, pending.codeVerifier, pending.redirectUri];
  if (!fields.every((field) => typeof field === 'string' && field !== '')) return undefined;
  if (typeof pending.expiresAt !== 'number' || pending.expiresAt <= now) return undefined;
  return pending as PendingSignIn;
}

/**
 * The `Set-Cookie` for a sign-in in progress (or, with `value` undefined, one
 * that removes it): only sent to `/ui/auth/`, HttpOnly, and SameSite=Lax so
 * the browser sends it on the IdP's redirect back (a top-level GET from
 * another site), which Strict would not.
 */
export function pendingCookie(value: string | undefined, options: { secure: boolean }): string {
  return [
    `${PENDING_COOKIE}=${value ?? ''}`,
    'Path=/ui/auth/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${value === undefined ? 0 : Math.floor(PENDING_TTL_MS / 1000)}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}
