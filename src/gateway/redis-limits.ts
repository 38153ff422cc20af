import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RedisLink, reasonOf } from '../net/redis-link.js';
import type { ApiKeyRecord, Store } from '../store/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import type { BudgetObserver } from './budget-crossings.js';
import {
  budgetExceeded,
  DEFAULT_RESERVATION_TTL_MS,
  KeyLimits,
  monthStart,
  type Reservation,
  rateLimited,
  type UsageEstimate,
  WINDOW_MS,
} from './limits.js';

/** Where the shared limits report that Redis went away or came back (never per request). */
export type LimitsLogger = (
  level: 'warn' | 'info',
  message: string,
  fields?: Record<string, unknown>,
) => void;

export interface RedisKeyLimitsOptions {
  /** Prefix of every Redis key the limits use. Default `claude-gateway:limits:`. */
  keyPrefix?: string;
  /** The longest a Redis command may take before the request is decided by this process alone. Default 100 ms. */
  commandTimeoutMs?: number;
  /** The longest a connection attempt may take (also how long the start waits). Default 1000 ms. */
  connectTimeoutMs?: number;
  /** The longest pause between reconnection attempts while Redis is down. Default 5000 ms. */
  reconnectMaxDelayMs?: number;
  /** How often the month's spend in Redis is compared with the activity log's. Default 60 s. */
  reconcileMs?: number;
  /** How long a reservation counts at most when its request never settles it. Default 15 minutes. */
  reservationTtlMs?: number;
  /** At most one "unreachable" warning this often. Default 60 s. */
  warnEveryMs?: number;
  /** How often, while a connected Redis does not answer, it is pinged to tell when it answers again. Default 1000 ms. */
  probeMs?: number;
  logger?: LimitsLogger;
  /** Told each budgeted key's month spend (all replicas' together) as its requests settle (budget alerts). */
  budgets?: BudgetObserver;
}

/** Money in Redis: whole micro-dollars (the log's costs are rounded to them), so sums stay exact. */
const MICROS = 1_000_000;

/** How long a month's spend counter is kept after it was last seeded or raised (past the month's end). */
const SPEND_TTL_SECONDS = 40 * 24 * 60 * 60;

/**
 * Admission, in one step: drops expired reservations, then checks the budget
 * (spent + held < budget), the tokens per minute (window + held < limit) and
 * the requests per minute (window < limit), counts the request and records
 * its reservation. Answers `{'ok'}`, `{'seed'}` (no spend for the month yet:
 * the caller seeds it from the log and asks again), or the limit that refused
 * it with what the message needs.
 *
 * KEYS: requests zset, tokens zset, reservations hash, month spend.
 * ARGV: now, window ms, rpm, tpm, budget micros (each -1 when unset),
 *       reservation id, tokens, micros, deadline, reservations ttl ms.
 */
const ADMIT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local rpm = tonumber(ARGV[3])
local tpm = tonumber(ARGV[4])
local budget = tonumber(ARGV[5])
local heldTokens, heldMicros = 0, 0
if tpm >= 0 or budget >= 0 then
  local all = redis.call('HGETALL', KEYS[3])
  for i = 1, #all, 2 do
    local t, m, d = string.match(all[i + 1], '^(%d+):(%d+):(%d+)$')
    if not d or tonumber(d) <= now then
      redis.call('HDEL', KEYS[3], all[i])
    else
      heldTokens = heldTokens + tonumber(t)
      heldMicros = heldMicros + tonumber(m)
    end
  end
end
if budget >= 0 then
  local spent = redis.call('GET', KEYS[4])
  if not spent then return {'seed'} end
  spent = tonumber(spent)
  if spent + heldMicros >= budget then return {'budget', tostring(spent + heldMicros)} end
end
if tpm >= 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
  local used = heldTokens
  local entries = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
  for i = 1, #entries, 2 do
    used = used + (tonumber(string.match(entries[i], ':(%d+)$')) or 0)
  end
  if used >= tpm then
    local oldest = entries[2] and (tonumber(entries[2]) + window - now) or 1000
    return {'tpm', tostring(oldest)}
  end
end
if rpm >= 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
  if redis.call('ZCARD', KEYS[1]) >= rpm then
    local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    return {'rpm', tostring(oldest[2] and (tonumber(oldest[2]) + window - now) or 1000)}
  end
  redis.call('ZADD', KEYS[1], now, ARGV[6])
  redis.call('PEXPIRE', KEYS[1], window * 2)
end
if tpm >= 0 or budget >= 0 then
  redis.call('HSET', KEYS[3], ARGV[6], ARGV[7] .. ':' .. ARGV[8] .. ':' .. ARGV[9])
  redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[10]))
end
return {'ok'}
`;

/**
 * A finished request: its reservation goes, its real tokens enter the window
 * (when the key has a tokens limit) and its real cost the month's spend (when
 * that is counted here; a missing counter is seeded from the log, which has
 * the row by then or soon after, and reconciled).
 *
 * KEYS: tokens zset, reservations hash, month spend.
 * ARGV: reservation id, now, tokens (-1: not counted), micros, window ms.
 * Answers the month's spend after it (micros), or -1 when it was not counted here.
 */
const SETTLE = `
redis.call('HDEL', KEYS[2], ARGV[1])
local tokens = tonumber(ARGV[3])
if tokens > 0 then
  local window = tonumber(ARGV[5])
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[2]) - window)
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1] .. ':' .. ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window * 2)
end
local micros = tonumber(ARGV[4])
if micros > 0 and redis.call('EXISTS', KEYS[3]) == 1 then return redis.call('INCRBY', KEYS[3], micros) end
return -1
`;

/** The month's spend in Redis is raised to the log's when the log shows more (increments missed while Redis was away). */
const RECONCILE = `
local current = redis.call('GET', KEYS[1])
if current and tonumber(current) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
  return 1
end
return 0
`;

type LimitsRedis = Redis & {
  cgwLimitsAdmit(...args: (string | number)[]): Promise<string[]>;
  cgwLimitsSettle(...args: (string | number)[]): Promise<number>;
  cgwLimitsReconcile(...args: (string | number)[]): Promise<number>;
};

/** `2026-12` for a month's counter. */
function monthTag(now: number): string {
  return new Date(monthStart(now)).toISOString().slice(0, 7);
}

function micros(usd: number): number {
  return Math.round(usd * MICROS);
}

/**
 * Key limits shared by every replica through Redis: request and token
 * windows, the reservations of requests in flight and the month's spend are
 * counted there, each admission and settlement one Lua script, so N replicas
 * enforce one limit. The month's spend is seeded from the activity log when
 * Redis has none, and raised to the log's every `reconcileMs` when the log
 * shows more.
 *
 * Redis is never on the critical path: every command has a short timeout,
 * nothing queues while the connection is down, and while Redis is
 * unreachable (also at start) each replica enforces the limits on its own
 * (KeyLimits) — one warning when Redis goes, one when it is back.
 */
export class RedisKeyLimits extends KeyLimits {
  private readonly link: RedisLink;
  private readonly redis: LimitsRedis;
  private readonly prefix: string;
  private readonly reconcileMs: number;
  private reconciler: NodeJS.Timeout | undefined;
  /** Keys whose month's spend this process counted in Redis: the ones reconciled. */
  private readonly budgeted = new Map<string, string>();

  constructor(url: string, store: Store, now: () => number = Date.now, options: RedisKeyLimitsOptions = {}) {
    super(store, now, options.reservationTtlMs ?? DEFAULT_RESERVATION_TTL_MS, options.budgets);
    this.prefix = options.keyPrefix ?? 'claude-gateway:limits:';
    this.reconcileMs = options.reconcileMs ?? 60_000;
    this.link = new RedisLink(url, {
      ...options,
      messages: {
        down: ({ url: where, atStart, reason }) =>
          `key limits cannot reach Redis (${where})${atStart ? ' at start' : ''} (${reason}): rates and budgets are enforced per replica until it answers; reconnecting in the background`,
        up: ({ url: where, seconds }) =>
          `key limits reach Redis (${where}) again after ${seconds} s: rates and budgets are shared by the replicas again`,
      },
      onUp: () => void this.reconcile(),
    });
    this.redis = this.link.redis as LimitsRedis;
    this.redis.defineCommand('cgwLimitsAdmit', { numberOfKeys: 4, lua: ADMIT });
    this.redis.defineCommand('cgwLimitsSettle', { numberOfKeys: 3, lua: SETTLE });
    this.redis.defineCommand('cgwLimitsReconcile', { numberOfKeys: 1, lua: RECONCILE });
  }

  /** Waits (up to the connect timeout) for Redis; without it, warns and counts per process until it answers. */
  override async start(): Promise<void> {
    if (!this.reconciler && this.reconcileMs > 0) {
      this.reconciler = setInterval(() => void this.reconcile(), this.reconcileMs);
      this.reconciler.unref();
    }
    await this.link.start();
  }

  /** Whether Redis currently counts the limits (else each process does). */
  get shared(): boolean {
    return this.link.up;
  }

  override async close(): Promise<void> {
    if (this.reconciler) clearInterval(this.reconciler);
    this.reconciler = undefined;
    await this.link.close();
  }

  private keys(keyId: string, now: number) {
    // One hash tag per gateway key: a Redis Cluster keeps a key's counters on one node, as a script needs.
    const base = `${this.prefix}{${keyId}}:`;
    return {
      requests: `${base}rpm`,
      tokens: `${base}tpm`,
      reservations: `${base}reserved`,
      spend: `${base}spend:${monthTag(now)}`,
    };
  }

  /**
   * Records `name` once across the replicas (SET NX, expiring after `ttlMs`):
   * true when this call recorded it, false when it was there, undefined while
   * Redis does not answer.
   */
  override async claimOnce(name: string, ttlMs: number): Promise<boolean | undefined> {
    if (!this.link.up) return undefined;
    try {
      const answer = await this.redis.set(
        `${this.prefix}once:${name}`,
        '1',
        'PX',
        Math.max(1, Math.ceil(ttlMs)),
        'NX',
      );
      return answer === 'OK';
    } catch (error) {
      this.link.down(reasonOf(error));
      return undefined;
    }
  }

  override async admit(key: ApiKeyRecord, estimate?: UsageEstimate): Promise<Reservation | undefined> {
    this.noteBudget(key);
    const limited =
      key.monthlyBudgetUsd !== undefined ||
      key.tokensPerMinute !== undefined ||
      key.requestsPerMinute !== undefined;
    if (!limited || !this.link.up) return super.admit(key, estimate);
    const id = randomUUID();
    const reserves = key.monthlyBudgetUsd !== undefined || key.tokensPerMinute !== undefined;
    const tokens = Math.max(0, Math.ceil(estimate?.tokens ?? 0));
    const costMicros = Math.max(0, Math.ceil((estimate?.costUsd ?? 0) * MICROS));
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const now = this.now();
      const keys = this.keys(key.id, now);
      const deadline = now + this.reservationTtlMs;
      let answer: string[];
      try {
        answer = await this.redis.cgwLimitsAdmit(
          keys.requests,
          keys.tokens,
          keys.reservations,
          keys.spend,
          now,
          WINDOW_MS,
          key.requestsPerMinute ?? -1,
          key.tokensPerMinute ?? -1,
          key.monthlyBudgetUsd !== undefined ? micros(key.monthlyBudgetUsd) : -1,
          id,
          tokens,
          costMicros,
          deadline,
          this.reservationTtlMs,
        );
      } catch (error) {
        this.link.down(reasonOf(error));
        return super.admit(key, estimate);
      }
      const [verdict, value] = answer;
      if (verdict === 'ok') {
        if (key.monthlyBudgetUsd !== undefined) this.budgeted.set(key.id, monthTag(now));
        if (!reserves) return undefined;
        return { id, keyId: key.id, tokens, costUsd: costMicros / MICROS, shared: true, deadline };
      }
      if (verdict === 'budget') {
        this.reportSpend(key.id, Number(value) / MICROS);
        throw budgetExceeded(key, Number(value) / MICROS, now);
      }
      if (verdict === 'tpm' || verdict === 'rpm') {
        const retryAfterSeconds = Math.max(1, Math.ceil(Number(value) / 1000));
        throw verdict === 'tpm'
          ? rateLimited(key.tokensPerMinute ?? 0, 'token', retryAfterSeconds)
          : rateLimited(key.requestsPerMinute ?? 0, 'request', retryAfterSeconds);
      }
      // 'seed': the month's spend is not in Redis yet (a new month, a new key, a Redis that lost it).
      // The store's answer (or its 503 while it does not answer) is the budget read every replica shares.
      const logged = await this.store.spendSince(key.id, monthStart(now));
      try {
        await this.redis.set(keys.spend, micros(logged), 'EX', SPEND_TTL_SECONDS, 'NX');
      } catch (error) {
        this.link.down(reasonOf(error));
        return super.admit(key, estimate);
      }
    }
    // Seeded, yet gone again at once (evicted under memory pressure): decide here rather than loop.
    return super.admit(key, estimate);
  }

  override settle(
    reservation: Reservation | undefined,
    keyId: string,
    tokens: number,
    costUsd: number | undefined,
  ): void {
    // This process's own table follows too: it is what decides while Redis is away.
    super.settle(reservation, keyId, tokens, costUsd);
    if (!reservation?.shared) return;
    const now = this.now();
    const keys = this.keys(keyId, now);
    this.redis
      .cgwLimitsSettle(
        keys.tokens,
        keys.reservations,
        keys.spend,
        reservation.id,
        now,
        Math.max(0, tokens),
        costUsd ? micros(costUsd) : 0,
        WINDOW_MS,
      )
      .then((spentMicros) => {
        if (costUsd && spentMicros >= 0) this.reportSpend(keyId, spentMicros / MICROS);
      })
      // Lost: the reservation expires at its deadline, the spend is reconciled from the log.
      .catch((error: unknown) => this.link.down(reasonOf(error)));
  }

  /**
   * Raises each budgeted key's month spend in Redis to the activity log's when
   * the log shows more (requests counted per process while Redis was away, a
   * settlement lost). Never lowers it: the log lags the requests that just
   * finished on every replica.
   */
  async reconcile(): Promise<void> {
    if (!this.link.up) return;
    const now = this.now();
    const month = monthTag(now);
    for (const [keyId, tag] of [...this.budgeted]) {
      if (tag !== month) {
        this.budgeted.delete(keyId);
        continue;
      }
      try {
        const logged = await this.store.spendSince(keyId, monthStart(now));
        await this.redis.cgwLimitsReconcile(this.keys(keyId, now).spend, micros(logged));
      } catch (error) {
        if (!(error instanceof GatewayError)) this.link.down(reasonOf(error));
        return;
      }
    }
  }
}
