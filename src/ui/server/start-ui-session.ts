import { uiSigningKey } from '../../gateway/admin-auth.js';
import type { GatewayContext } from '../../gateway/context.js';
import type { Exchange } from '../../gateway/exchange.js';
import { FailedSignIns } from './failed-sign-ins.js';
import { secureRequest } from './ui-responses.js';
import {
  issueSessionToken,
  SESSION_TTL_MS,
  sessionCookie,
  type UiPrincipal,
  type UiSession,
} from './ui-session.js';

const failures = new WeakMap<GatewayContext, FailedSignIns>();

/** This gateway's count of failed dashboard sign-ins per address (see `FailedSignIns`). */
export function failedSignInsOf(context: GatewayContext): FailedSignIns {
  let counted = failures.get(context);
  if (!counted) {
    counted = new FailedSignIns({ clock: context.clock });
    failures.set(context, counted);
  }
  return counted;
}

/** The address failed sign-ins are counted by: the connection's peer (no proxy header is trusted). */
export function signInAddress(exchange: Exchange): string {
  return exchange.clientAddress ?? 'unknown';
}

/**
 * Starts a dashboard session for someone a sign-in method has verified: a
 * `ui_sessions` row (so it can be ended on every replica) and the cookie that
 * names it. Undefined when sign-in is off (no signing key).
 */
export async function openUiSession(
  context: GatewayContext,
  exchange: Exchange,
  principal: UiPrincipal,
): Promise<{ session: UiSession; cookie: string } | undefined> {
  const key = await uiSigningKey(context);
  const identities = context.callers.identities;
  if (!key || !identities) return undefined;
  const now = context.clock();
  const userAgent = exchange.header('user-agent');
  const record = await identities.store.createUiSession(
    {
      subject: principal.subject,
      via: principal.via,
      ...(principal.userId ? { userId: principal.userId } : {}),
      expiresAt: now + SESSION_TTL_MS,
      ...(exchange.clientAddress ? { clientAddress: exchange.clientAddress } : {}),
      ...(userAgent ? { userAgent } : {}),
    },
    now,
  );
  const { token, session } = issueSessionToken(key, {
    ...principal,
    id: record.id,
    expiresAt: record.expiresAt,
  });
  return { session, cookie: sessionCookie(token, { secure: secureRequest(context, exchange) }) };
}
