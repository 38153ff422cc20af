import type { UiSessionRecord } from '../store/identity-types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { adminError, adminStore, answer, json } from './admin-http.js';
import type { GatewayContext } from './context.js';
import type { Exchange } from './exchange.js';

/** A dashboard session as the admin API shows it: times as ISO strings, and whether it still works. */
function shown(session: UiSessionRecord, now: number) {
  return {
    id: session.id,
    subject: session.subject,
    via: session.via,
    ...(session.userId ? { userId: session.userId } : {}),
    createdAt: new Date(session.createdAt).toISOString(),
    expiresAt: new Date(session.expiresAt).toISOString(),
    ...(session.endedAt !== undefined ? { endedAt: new Date(session.endedAt).toISOString() } : {}),
    active: session.endedAt === undefined && session.expiresAt > now,
    ...(session.clientAddress ? { clientAddress: session.clientAddress } : {}),
    ...(session.userAgent ? { userAgent: session.userAgent } : {}),
  };
}

/**
 * `GET /admin/ui-sessions[?all=true]` lists dashboard sessions (the ones
 * still open; `all=true` adds ended and expired ones), newest first;
 * `DELETE /admin/ui-sessions/{id}` ends one on every replica.
 */
export async function handleUiSessionsAdmin(
  context: GatewayContext,
  exchange: Exchange,
  segments: readonly (string | undefined)[],
): Promise<void> {
  const store = adminStore(context).identity;
  const now = context.clock();
  if (exchange.method === 'GET' && segments.length === 1) {
    const all = exchange.query.get('all') === 'true';
    const sessions = await store.listUiSessions({ includeEnded: all });
    const listed = sessions.map((session) => shown(session, now)).filter((session) => all || session.active);
    return answer(context, exchange, { sessions: listed }, sessions);
  }
  if (exchange.method === 'DELETE' && segments.length === 2 && segments[1]) {
    let ended: UiSessionRecord | undefined;
    try {
      ended = await store.endUiSession(segments[1], now);
    } catch (error) {
      if (!(error instanceof GatewayError && error.code === 'STORE_UNAVAILABLE')) throw error;
      return adminError(
        exchange,
        503,
        'The gateway cannot end a dashboard session right now: its store does not answer. Retry when it is back; GET /admin/ui-sessions then shows whether it ended.',
        'STORE_UNAVAILABLE',
      );
    }
    context.callers.invalidate();
    return ended
      ? json(exchange, 200, { session: shown(ended, now) })
      : adminError(exchange, 404, `No dashboard session ${segments[1]}; see GET /admin/ui-sessions.`);
  }
  return adminError(
    exchange,
    404,
    `The admin API has no ${exchange.method} ${exchange.path}: use GET /admin/ui-sessions or DELETE /admin/ui-sessions/{id}.`,
  );
}
