import { randomUUID } from 'node:crypto';
import { isRegionalTarget, pricesFor, REGIONAL_PREMIUM } from '../catalog/pricing.js';
import type { ResolvedTarget } from '../platforms/types.js';
import type { ApiKeyRecord, Store } from '../store/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { seconds } from '../wire/errors/platform-names.js';
import type { BudgetObserver } from './budget-crossings.js';

/** "1 token", "20 tokens". */
function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export const WINDOW_MS = 60_000;

/** Dollars for a message: cents for ordinary amounts, more digits for tiny test budgets. */
export function dollars(amount: number): string {
  return `$${amount >= 1 || amount === 0 ? amount.toFixed(2) : amount.toPrecision(2)}`;
}

export function monthStart(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/** When the budget month after `now` starts (ms epoch, UTC). */
export function nextMonthStartMs(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

function nextMonthStart(now: number): string {
  return new Date(nextMonthStartMs(now)).toISOString().slice(0, 10);
}

/** The refusal of a key whose budget is spent, or taken by the requests it has in flight (`spent` counts both). */
export function budgetExceeded(key: ApiKeyRecord, spent: number, now: number): GatewayError {
  return GatewayError.fromCode('BUDGET_EXCEEDED', {
    budget: dollars(key.monthlyBudgetUsd ?? 0),
    spent: dollars(spent),
    resetsAt: nextMonthStart(now),
  });
}

/** The refusal of a key over a per-minute limit, with when to retry. */
export function rateLimited(
  limit: number,
  noun: 'request' | 'token',
  retryAfterSeconds: number,
): GatewayError {
  return GatewayError.fromCode(
    'RATE_LIMITED',
    { limit: `${countOf(limit, noun)} per minute`, retryAfter: seconds(retryAfterSeconds) },
    { retryAfterSeconds },
  );
}

/** What a request may use at most, reserved against its key's limits before it is sent. */
export interface UsageEstimate {
  /** Input (body bytes / 4) plus output (max_tokens) tokens. */
  tokens: number;
  /** Those tokens at the dearest prices of the plan's targets; 0 when no target's model is priced. */
  costUsd: number;
}

/** Bytes per token for the input estimate: English text and JSON run at about 4. */
const BYTES_PER_TOKEN = 4;

/**
 * The most a request can use, reserved before it is sent: input tokens from
 * the body's size (bytes / 4), output up to its `max_tokens` (none for
 * count_tokens), priced for every target the plan may try — each at its own
 * model, prompt-size tier and regional premium, input at the dearest input
 * rate (a 1-hour cache write) — and the dearest kept.
 */
export function estimateUsage(
  bodyBytes: number,
  maxTokens: unknown,
  operation: 'messages' | 'count_tokens',
  targets: readonly ResolvedTarget[],
): UsageEstimate {
  const input = Math.ceil(bodyBytes / BYTES_PER_TOKEN);
  const output =
    operation === 'messages' && typeof maxTokens === 'number' && Number.isFinite(maxTokens) && maxTokens > 0
      ? Math.ceil(maxTokens)
      : 0;
  let costUsd = 0;
  for (const target of targets) {
    const model = target.resolved.model;
    if (!model || model.unpriced) continue;
    const { prices } = pricesFor(model, input);
    const inputRate = Math.max(prices.input, prices.cacheWrite, prices.cacheWrite1h);
    const premium = model.regionalPremium && isRegionalTarget(target) ? REGIONAL_PREMIUM : 1;
    costUsd = Math.max(costUsd, ((input * inputRate + output * prices.output) / 1_000_000) * premium);
  }
  return { tokens: input + output, costUsd };
}

/**
 * What an admitted request holds against its key until it finishes: its
 * estimated tokens and cost, counted by the next admissions as if used.
 */
export interface Reservation {
  readonly id: string;
  readonly keyId: string;
  readonly tokens: number;
  readonly costUsd: number;
  /** Counted in Redis (shared by the replicas), or in this process. */
  readonly shared: boolean;
  /** After this time (the gateway's clock) a reservation never settled stops counting. */
  readonly deadline: number;
}

/** How long a reservation counts at most when its request never settles it (a replica that died). */
export const DEFAULT_RESERVATION_TTL_MS = 15 * 60_000;

/** Entries of one sliding minute. */
class Window {
  private entries: { time: number; amount: number }[] = [];

  total(now: number): number {
    this.entries = this.entries.filter((entry) => entry.time > now - WINDOW_MS);
    return this.entries.reduce((sum, entry) => sum + entry.amount, 0);
  }

  add(now: number, amount: number): void {
    // Dropped as they leave the window, also for keys whose window is never read (no limit on it).
    while (this.entries.length > 0 && (this.entries[0]?.time ?? now) <= now - WINDOW_MS) this.entries.shift();
    this.entries.push({ time: now, amount });
  }

  /** Seconds until the oldest entry leaves the window. */
  retryAfterSeconds(now: number): number {
    const oldest = this.entries[0];
    return oldest ? Math.max(1, Math.ceil((oldest.time + WINDOW_MS - now) / 1000)) : 1;
  }
}

/**
 * Per-key limits: requests and tokens per minute (sliding window, per
 * gateway process) and a monthly budget in USD (from the activity log,
 * then kept current as requests finish). An admitted request reserves its
 * estimated tokens and cost until it settles, so requests in flight count
 * against the tokens-per-minute and budget checks of the ones after them:
 * concurrent requests overrun a limit by at most one request.
 * RedisKeyLimits (redis-limits.ts) shares all of it between replicas.
 */
export class KeyLimits {
  private readonly requests = new Map<string, Window>();
  private readonly tokens = new Map<string, Window>();
  private readonly spend = new Map<string, { month: number; usd: number; loading?: Promise<void> }>();
  /** Reservations of this process's requests in flight, by key id. */
  private readonly reserved = new Map<string, Map<string, Reservation>>();
  /** The name and budget of keys with a budget, as last admitted: what a settlement reports to `budgets`. */
  private readonly budgetOf = new Map<string, { name: string; limitUsd: number }>();

  /**
   * @param now the injected clock: it decides the budget month and moves the rate windows.
   * @param budgets told each budgeted key's month spend as its requests settle, or as one is refused for it (budget alerts).
   */
  constructor(
    protected readonly store: Store,
    protected readonly now: () => number = Date.now,
    protected readonly reservationTtlMs: number = DEFAULT_RESERVATION_TTL_MS,
    protected readonly budgets?: BudgetObserver,
  ) {}

  /**
   * Tells the budget observer what a key has spent this month (what its budget
   * refusal counts, when one is refused). Never throws.
   */
  protected reportSpend(keyId: string, spentUsd: number): void {
    const budget = this.budgets && this.budgetOf.get(keyId);
    if (!budget) return;
    try {
      this.budgets?.observe({
        subject: { kind: 'key', id: keyId, name: budget.name },
        period: 'month',
        limitUsd: budget.limitUsd,
        spentUsd,
        resetsAt: nextMonthStartMs(this.now()),
      });
    } catch {
      // An observer's problem is never the request's.
    }
  }

  /** Remembers a budgeted key's name and budget for its settlements. */
  protected noteBudget(key: ApiKeyRecord): void {
    if (!this.budgets) return;
    if (key.monthlyBudgetUsd === undefined) {
      this.budgetOf.delete(key.id);
      return;
    }
    if (this.budgetOf.size >= 10_000 && !this.budgetOf.has(key.id)) this.budgetOf.clear();
    this.budgetOf.set(key.id, { name: key.name, limitUsd: key.monthlyBudgetUsd });
  }

  /**
   * Records `name` once across the replicas, where the limits are shared:
   * undefined here (nothing is shared; the caller asks the store), see RedisKeyLimits.
   */
  async claimOnce(_name: string, _ttlMs: number): Promise<boolean | undefined> {
    return undefined;
  }

  /** Connects what the limits are counted in (nothing for this per-process table). */
  async start(): Promise<void> {}

  async close(): Promise<void> {}

  private window(map: Map<string, Window>, keyId: string): Window {
    let window = map.get(keyId);
    if (!window) {
      window = new Window();
      map.set(keyId, window);
    }
    return window;
  }

  private async spent(keyId: string): Promise<number> {
    const month = monthStart(this.now());
    let entry = this.spend.get(keyId);
    if (!entry || entry.month !== month) {
      entry = { month, usd: 0 };
      const fresh = entry;
      fresh.loading = this.store.spendSince(keyId, month).then(
        (usd) => {
          fresh.usd += usd;
          fresh.loading = undefined;
        },
        (error: unknown) => {
          // Not kept: the next request reads the spend again (the store may answer by then).
          if (this.spend.get(keyId) === fresh) this.spend.delete(keyId);
          throw error;
        },
      );
      this.spend.set(keyId, fresh);
    }
    if (entry.loading) await entry.loading;
    return entry.usd;
  }

  /** The tokens and cost a key's requests in flight hold (expired reservations dropped). */
  private held(keyId: string, now: number): { tokens: number; costUsd: number } {
    const reservations = this.reserved.get(keyId);
    let tokens = 0;
    let costUsd = 0;
    if (!reservations) return { tokens, costUsd };
    for (const [id, reservation] of reservations) {
      if (reservation.deadline <= now) {
        reservations.delete(id);
        continue;
      }
      tokens += reservation.tokens;
      costUsd += reservation.costUsd;
    }
    if (reservations.size === 0) this.reserved.delete(keyId);
    return { tokens, costUsd };
  }

  /**
   * Throws the limit a key is over, naming it; otherwise counts the request
   * and reserves its estimate (returned: settle it when the request ends).
   * A request is admitted while what the key spent and holds in flight is
   * below its budget, and likewise for its tokens per minute.
   */
  async admit(key: ApiKeyRecord, estimate?: UsageEstimate): Promise<Reservation | undefined> {
    this.noteBudget(key);
    const spent = key.monthlyBudgetUsd !== undefined ? await this.spent(key.id) : 0;
    // From here on nothing waits: the checks and the reservation are one step for this process.
    const now = this.now();
    const held = this.held(key.id, now);
    if (key.monthlyBudgetUsd !== undefined && spent + held.costUsd >= key.monthlyBudgetUsd) {
      // The budget refuses requests from here: that is its 100% (whatever a last reservation left unspent).
      this.reportSpend(key.id, spent + held.costUsd);
      throw budgetExceeded(key, spent + held.costUsd, now);
    }
    if (key.tokensPerMinute !== undefined) {
      const window = this.window(this.tokens, key.id);
      if (window.total(now) + held.tokens >= key.tokensPerMinute) {
        throw rateLimited(key.tokensPerMinute, 'token', window.retryAfterSeconds(now));
      }
    }
    if (key.requestsPerMinute !== undefined) {
      const window = this.window(this.requests, key.id);
      if (window.total(now) >= key.requestsPerMinute) {
        throw rateLimited(key.requestsPerMinute, 'request', window.retryAfterSeconds(now));
      }
      window.add(now, 1);
    }
    if (key.monthlyBudgetUsd === undefined && key.tokensPerMinute === undefined) return undefined;
    const reservation: Reservation = {
      id: randomUUID(),
      keyId: key.id,
      tokens: estimate?.tokens ?? 0,
      costUsd: estimate?.costUsd ?? 0,
      shared: false,
      deadline: now + this.reservationTtlMs,
    };
    let reservations = this.reserved.get(key.id);
    if (!reservations) {
      reservations = new Map();
      this.reserved.set(key.id, reservations);
    }
    reservations.set(reservation.id, reservation);
    return reservation;
  }

  /** Ends a request: its reservation (if any) is released and what it really used is counted. */
  settle(
    reservation: Reservation | undefined,
    keyId: string,
    tokens: number,
    costUsd: number | undefined,
  ): void {
    if (reservation && !reservation.shared) {
      const reservations = this.reserved.get(reservation.keyId);
      reservations?.delete(reservation.id);
      if (reservations?.size === 0) this.reserved.delete(reservation.keyId);
    }
    const spent = this.record(keyId, tokens, costUsd);
    // A shared reservation's spend is Redis's to report (RedisKeyLimits).
    if (costUsd && spent !== undefined && !reservation?.shared) this.reportSpend(keyId, spent);
  }

  /** Counts what a finished request used; returns the key's month spend in this process, when it is kept. */
  record(keyId: string, tokens: number, costUsd: number | undefined): number | undefined {
    const now = this.now();
    if (tokens > 0) this.window(this.tokens, keyId).add(now, tokens);
    const entry = this.spend.get(keyId);
    if (!entry || entry.month !== monthStart(now)) return undefined;
    if (costUsd) entry.usd += costUsd;
    return entry.loading ? undefined : entry.usd;
  }
}
