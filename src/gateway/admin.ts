import { decodePathSegment } from '../net/decode-path-segment.js';
import { keyForFilter } from '../store/key-reference.js';
import { DEFAULT_ROTATION_GRACE_MS, parseExpiry, parseGrace } from '../store/key-times.js';
import type { ActivityFilter, ApiKeyChanges, ApiKeyRecord, NewApiKey } from '../store/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { authorizeAdmin } from './admin-auth.js';
import { activityFilters } from './admin-filters.js';
import { adminError, adminStore, answer, answerError, json, readObject } from './admin-http.js';
import { handleIdentityAdmin, keyOwner } from './admin-identity.js';
import { reportAnswer } from './admin-report.js';
import { handleAdminSessions } from './admin-sessions.js';
import { handleUiSessionsAdmin } from './admin-ui-sessions.js';
import type { GatewayContext } from './context.js';
import type { Exchange } from './exchange.js';

/** A key as the admin API shows it: never the hash. */
export function publicKey(record: ApiKeyRecord): Omit<ApiKeyRecord, 'hash'> {
  const { hash: _hash, ...rest } = record;
  return rest;
}

/** `1h`, `30m`, `7d`, or an ISO date, as milliseconds since the epoch. */
export function parseSince(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const relative = /^(\d+)([smhd])$/.exec(value);
  if (relative) {
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd'];
    return now - Number(relative[1]) * unit;
  }
  const time = Date.parse(value);
  if (Number.isNaN(time))
    throw GatewayError.fromCode('INVALID_REQUEST', {
      reason: `since must be like 1h, 30m, 7d or an ISO date; got "${value}"`,
    });
  return time;
}

/** `expiresAt` as a client may send it (an ISO time, `30d`, ms) as the store takes it (ms); null stays. */
function withExpiry<Input extends { expiresAt?: unknown }>(input: Input, now: number): Input {
  if (input.expiresAt === undefined || input.expiresAt === null) return input;
  return { ...input, expiresAt: parseExpiry(input.expiresAt, now) };
}

/** The key id a `key=` filter means (id, name or prefix, revoked keys too); throws a 404 when none. */
export async function keyFilter(context: GatewayContext, reference: string | null): Promise<ActivityFilter> {
  if (!reference) return {};
  const key = keyForFilter(await adminStore(context).listKeys({ includeRevoked: true }), reference);
  if (!key) {
    throw new GatewayError({
      status: 404,
      type: 'not_found_error',
      message: `No gateway key matches "${reference}" (by id, name or prefix); see GET /admin/keys?all=true.`,
    });
  }
  return { keyId: key.id };
}

/** `user=` (an id, name or e-mail, as the log rows carry them) and `group=` (a name) filters. */
export function attributionFilter(exchange: Exchange): ActivityFilter {
  const user = exchange.query.get('user')?.trim();
  const group = exchange.query.get('group')?.trim();
  return { ...(user ? { user } : {}), ...(group ? { group } : {}) };
}

/**
 * The admin API, behind `Authorization: Bearer <server.adminKey>` (or an
 * administrator's gateway token, see `adminAccess`):
 * `GET/POST /admin/keys` (`{"user": …}` gives the key to a user), `PATCH/DELETE /admin/keys/{id|name|prefix}`,
 * `POST /admin/keys/{id|name|prefix}/rotate`,
 * `GET /admin/requests[?since=1h&key=…&user=…&group=…&session=…&limit=…]`, `GET /admin/requests/{id}`,
 * `GET /admin/summary[?since=…&key=…]`, `GET /admin/report?by=day,model[&since=30d…]`
 * (see admin-report.ts), `GET /admin/sessions[/{id}]`, `GET /admin/in-flight`,
 * `GET /admin/ui-sessions`, `DELETE /admin/ui-sessions/{id}` (dashboard sign-ins); users, groups and
 * service tokens (see admin-identity.ts). Also open to the dashboard's signed-in session and to
 * signed-in administrators' gateway tokens (see admin-auth.ts). Key changes reach this gateway's
 * callers at once (and other replicas' through the store, see `CallerAuth`).
 */
export async function handleAdmin(context: GatewayContext, exchange: Exchange): Promise<void> {
  const authorized = await authorizeAdmin(context, exchange);
  if (!authorized.ok) return adminError(exchange, authorized.status, authorized.message, authorized.code);
  const { method, path } = exchange;
  const store = adminStore(context);
  const segments = path.split('/').filter(Boolean).slice(1).map(decodePathSegment);
  try {
    if (segments[0] === 'keys') {
      if (method === 'GET' && segments.length === 1) {
        const keys = await store.listKeys({ includeRevoked: exchange.query.get('all') === 'true' });
        return answer(context, exchange, { keys: keys.map(publicKey) }, keys);
      }
      if (method === 'POST' && segments.length === 1) {
        const input = await readObject(exchange, '{"name": "team-a"}');
        if (!input) return;
        const now = context.clock();
        const created = await store.createKey(
          await keyOwner(store, withExpiry(input as unknown as NewApiKey & { user?: unknown }, now)),
          { now },
        );
        context.callers.invalidate();
        return json(exchange, 201, { key: publicKey(created.record), secret: created.secret });
      }
      if (method === 'PATCH' && segments.length === 2 && segments[1]) {
        const input = await readObject(exchange, '{"monthlyBudgetUsd": 100}');
        if (!input) return;
        const now = context.clock();
        const updated = await store.updateKey(
          segments[1],
          await keyOwner(store, withExpiry(input as ApiKeyChanges & { user?: unknown }, now)),
          { now },
        );
        context.callers.invalidate();
        return updated
          ? json(exchange, 200, { key: publicKey(updated) })
          : adminError(exchange, 404, `No active key matches "${segments[1]}".`);
      }
      if (method === 'POST' && segments.length === 3 && segments[1] && segments[2] === 'rotate') {
        const input = await readObject(exchange, '{"grace": "24h"}', { optional: true });
        if (!input) return;
        const unknown = Object.keys(input).filter((field) => field !== 'grace');
        if (unknown.length > 0) {
          return adminError(
            exchange,
            400,
            `Cannot rotate the key: unknown field "${unknown[0]}"; the only field is "grace" (like "24h", "30m" or "0").`,
          );
        }
        const graceMs = input.grace === undefined ? DEFAULT_ROTATION_GRACE_MS : parseGrace(input.grace);
        const rotated = await store.rotateKey(segments[1], { graceMs, now: context.clock() });
        context.callers.invalidate();
        return rotated
          ? json(exchange, 200, {
              key: publicKey(rotated.record),
              secret: rotated.secret,
              previousSecretValidUntil: rotated.previousSecretValidUntil,
            })
          : adminError(exchange, 404, `No active key matches "${segments[1]}".`);
      }
      if (method === 'DELETE' && segments.length === 2 && segments[1]) {
        const revoked = await store.revokeKey(segments[1]);
        context.callers.invalidate();
        return revoked
          ? json(exchange, 200, { key: publicKey(revoked) })
          : adminError(exchange, 404, `No active key matches "${segments[1]}".`);
      }
    }
    if (segments[0] === 'users' || segments[0] === 'groups' || segments[0] === 'tokens') {
      return await handleIdentityAdmin(context, exchange, segments);
    }
    if (segments[0] === 'requests' && method === 'GET') {
      if (segments.length === 2 && segments[1]) {
        const request = await store.getRequest(segments[1]);
        if (!request) return adminError(exchange, 404, `No request ${segments[1]} in the activity log.`);
        const attempts = await store.attemptsOf(segments[1]);
        return answer(context, exchange, { request, attempts }, request, attempts);
      }
      const since = parseSince(exchange.query.get('since'));
      const requests = await store.queryRequests({
        ...(since !== undefined ? { since } : {}),
        ...(await keyFilter(context, exchange.query.get('key'))),
        ...attributionFilter(exchange),
        ...(exchange.query.get('session') ? { sessionId: exchange.query.get('session') as string } : {}),
        ...activityFilters(exchange.query),
        limit: Math.min(1000, Number(exchange.query.get('limit') ?? 100) || 100),
      });
      return answer(context, exchange, { requests }, requests);
    }
    if (segments[0] === 'report' && segments.length === 1 && method === 'GET') {
      return json(exchange, 200, await reportAnswer(exchange, adminStore(context)));
    }
    if (segments[0] === 'summary' && method === 'GET') {
      const since = parseSince(exchange.query.get('since'));
      const summary = await store.summarize({
        ...(since !== undefined ? { since } : {}),
        ...(await keyFilter(context, exchange.query.get('key'))),
      });
      return answer(context, exchange, summary, summary);
    }
    if (segments[0] === 'ui-sessions') return await handleUiSessionsAdmin(context, exchange, segments);
    if (segments[0] === 'sessions' && method === 'GET')
      return await handleAdminSessions(context, exchange, segments);
    if (segments[0] === 'in-flight' && method === 'GET' && segments.length === 1) {
      return json(exchange, 200, { requests: context.inFlight.list() });
    }
    return adminError(exchange, 404, `The admin API has no ${method} ${path}.`);
  } catch (error) {
    return answerError(exchange, error);
  }
}
