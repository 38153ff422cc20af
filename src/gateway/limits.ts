import type { ApiKeyRecord, Store } from '../store/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { seconds } from '../wire/errors/platform-names.js';

/** "1 token", "20 tokens". */
function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

const WINDOW_MS = 60_000;

/** Dollars for a message: cents for ordinary amounts, more digits for tiny test budgets. */
function dollars(amount: number): string {
  return `$${amount >= 1 || amount === 0 ? amount.toFixed(2) : amount.toPrecision(2)}`;
}

function monthStart(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

function nextMonthStart(now: number): string {
  const date = new Date(now);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}

/** Entries of one sliding minute. */
class Window {
  private entries: { time: number; amount: number }[] = [];

  total(now: number): number {
    this.entries = this.entries.filter((entry) => entry.time > now - WINDOW_MS);
    return this.entries.reduce((sum, entry) => sum + entry.amount, 0);
  }

  add(now: number, amount: number): void {
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
 * then kept current as requests finish).
 */
export class KeyLimits {
  private readonly requests = new Map<string, Window>();
  private readonly tokens = new Map<string, Window>();
  private readonly spend = new Map<string, { month: number; usd: number; loading?: Promise<void> }>();

  /** @param now the injected clock: it decides the budget month and moves the rate windows. */
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

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

  /** Throws the limit a key is over, naming it; counts the request otherwise. */
  async admit(key: ApiKeyRecord): Promise<void> {
    const now = this.now();
    if (key.monthlyBudgetUsd !== undefined) {
      const spent = await this.spent(key.id);
      if (spent >= key.monthlyBudgetUsd) {
        throw GatewayError.fromCode('BUDGET_EXCEEDED', {
          budget: dollars(key.monthlyBudgetUsd),
          spent: dollars(spent),
          resetsAt: nextMonthStart(now),
        });
      }
    }
    if (key.tokensPerMinute !== undefined) {
      const window = this.window(this.tokens, key.id);
      if (window.total(now) >= key.tokensPerMinute) {
        const retryAfterSeconds = window.retryAfterSeconds(now);
        throw GatewayError.fromCode(
          'RATE_LIMITED',
          {
            limit: `${countOf(key.tokensPerMinute, 'token')} per minute`,
            retryAfter: seconds(retryAfterSeconds),
          },
          { retryAfterSeconds },
        );
      }
    }
    if (key.requestsPerMinute !== undefined) {
      const window = this.window(this.requests, key.id);
      if (window.total(now) >= key.requestsPerMinute) {
        const retryAfterSeconds = window.retryAfterSeconds(now);
        throw GatewayError.fromCode(
          'RATE_LIMITED',
          {
            limit: `${countOf(key.requestsPerMinute, 'request')} per minute`,
            retryAfter: seconds(retryAfterSeconds),
          },
          { retryAfterSeconds },
        );
      }
      window.add(now, 1);
    }
  }

  /** Counts what a finished request used. */
  record(keyId: string, tokens: number, costUsd: number | undefined): void {
    const now = this.now();
    if (tokens > 0) this.window(this.tokens, keyId).add(now, tokens);
    if (costUsd) {
      const entry = this.spend.get(keyId);
      if (entry && entry.month === monthStart(now)) entry.usd += costUsd;
    }
  }
}
