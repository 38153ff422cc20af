import { timingSafeEqual } from 'node:crypto';
import { decodePathSegment } from '../net/decode-path-segment.js';
import { StoreError } from '../store/store-error.js';
import type { ApiKeyRecord, NewApiKey } from '../store/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { anthropicErrorTypeForStatus } from '../wire/errors/types.js';
import type { GatewayContext } from './context.js';
import { bodyError, type Exchange } from './exchange.js';

/** A key as the admin API shows it: never the hash. */
export function publicKey(record: ApiKeyRecord): Omit<ApiKeyRecord, 'hash'> {
  const { hash: _hash, ...rest } = record;
  return rest;
}

function json(exchange: Exchange, status: number, body: unknown): void {
  exchange.send(status, { 'content-type': 'application/json' }, JSON.stringify(body));
}

function adminError(exchange: Exchange, status: number, message: string): void {
  json(exchange, status, {
    type: 'error',
    error: { type: anthropicErrorTypeForStatus(status), message },
  });
}

function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
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

/**
 * The admin API, behind `Authorization: Bearer <server.adminKey>`:
 * `GET/POST /admin/keys`, `DELETE /admin/keys/{id|name|prefix}`,
 * `GET /admin/requests[?since=1h&key=…&session=…&limit=…]`, `GET /admin/requests/{id}`,
 * `GET /admin/summary[?since=…]`.
 */
export async function handleAdmin(context: GatewayContext, exchange: Exchange): Promise<void> {
  const adminKey = context.config.server.adminKey;
  if (!adminKey) {
    return adminError(
      exchange,
      404,
      'The admin API is off. Set server.adminKey in the configuration to turn it on.',
    );
  }
  const presented = /^Bearer\s+(\S+)$/i.exec(exchange.header('authorization') ?? '')?.[1];
  if (!presented || !sameSecret(presented, adminKey)) {
    return adminError(exchange, 401, 'Send the admin key as "Authorization: Bearer <server.adminKey>".');
  }
  const { method, path } = exchange;
  const segments = path.split('/').filter(Boolean).slice(1).map(decodePathSegment);
  try {
    if (segments[0] === 'keys') {
      if (method === 'GET' && segments.length === 1) {
        const keys = await context.store.listKeys({ includeRevoked: exchange.query.get('all') === 'true' });
        return json(exchange, 200, { keys: keys.map(publicKey) });
      }
      if (method === 'POST' && segments.length === 1) {
        const body = await exchange.readBody(1024 * 1024);
        if (!body.ok) {
          if (body.reason === 'aborted') return;
          const error = bodyError(body, 1024 * 1024);
          return adminError(exchange, error.status, error.message);
        }
        let input: NewApiKey;
        try {
          input = JSON.parse(body.bytes.toString('utf8')) as NewApiKey;
        } catch (error) {
          return adminError(exchange, 400, `The body is not valid JSON: ${(error as Error).message}`);
        }
        if (!input || typeof input !== 'object' || Array.isArray(input)) {
          return adminError(exchange, 400, 'The body must be a JSON object such as {"name": "team-a"}.');
        }
        const created = await context.store.createKey(input);
        context.callers.invalidate();
        return json(exchange, 201, { key: publicKey(created.record), secret: created.secret });
      }
      if (method === 'DELETE' && segments.length === 2 && segments[1]) {
        const revoked = await context.store.revokeKey(segments[1]);
        context.callers.invalidate();
        return revoked
          ? json(exchange, 200, { key: publicKey(revoked) })
          : adminError(exchange, 404, `No active key matches "${segments[1]}".`);
      }
    }
    if (segments[0] === 'requests' && method === 'GET') {
      if (segments.length === 2 && segments[1]) {
        const request = await context.store.getRequest(segments[1]);
        if (!request) return adminError(exchange, 404, `No request ${segments[1]} in the activity log.`);
        return json(exchange, 200, { request, attempts: await context.store.attemptsOf(segments[1]) });
      }
      const since = parseSince(exchange.query.get('since'));
      const requests = await context.store.queryRequests({
        ...(since !== undefined ? { since } : {}),
        ...(exchange.query.get('key') ? { keyId: exchange.query.get('key') as string } : {}),
        ...(exchange.query.get('session') ? { sessionId: exchange.query.get('session') as string } : {}),
        limit: Math.min(1000, Number(exchange.query.get('limit') ?? 100) || 100),
      });
      return json(exchange, 200, { requests });
    }
    if (segments[0] === 'summary' && method === 'GET') {
      const since = parseSince(exchange.query.get('since'));
      return json(exchange, 200, await context.store.summarize(since !== undefined ? { since } : {}));
    }
    return adminError(exchange, 404, `The admin API has no ${method} ${path}.`);
  } catch (error) {
    if (error instanceof StoreError) return adminError(exchange, 400, error.message);
    if (error instanceof GatewayError) return adminError(exchange, error.status, error.message);
    throw error;
  }
}
