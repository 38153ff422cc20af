import type { Store } from './types.js';

/** A store that can tell, with one cheap round trip, whether it is reachable (Postgres). */
export interface PingableStore {
  /** Resolves when the store answers; rejects with why not. */
  ping(): Promise<void>;
}

/** Whether a store has a reachability check (a SQLite file is always there; Postgres may not be). */
export function canPing(store: Store): store is Store & PingableStore {
  return typeof (store as Partial<PingableStore>).ping === 'function';
}

/** What the last check found. */
export type StoreHealthState = { ok: true } | { ok: false; reason: string };

export interface StoreHealthOptions {
  /** A result is reused this long, so `/readyz` polled often costs at most one round trip per period. Default 2000 ms. */
  cacheMs?: number;
  /** A check that takes longer counts as unreachable. Default 1000 ms. */
  timeoutMs?: number;
  now?: () => number;
}

/**
 * Whether the store answers, checked at most once per `cacheMs` (concurrent
 * callers share one check) and never for longer than `timeoutMs`. A store
 * without `ping` is always healthy.
 *
 * @example
 * const health = new StoreHealth(store);
 * const state = await health.check(); // { ok: false, reason: 'Postgres cannot be reached (ECONNREFUSED)' }
 */
export class StoreHealth {
  readonly #store: Store;
  readonly #cacheMs: number;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  #last: { state: StoreHealthState; at: number } | undefined;
  #checking: Promise<StoreHealthState> | undefined;

  constructor(store: Store, options: StoreHealthOptions = {}) {
    this.#store = store;
    this.#cacheMs = options.cacheMs ?? 2000;
    this.#timeoutMs = options.timeoutMs ?? 1000;
    this.#now = options.now ?? Date.now;
  }

  /** The last result while it is fresh, else a new check. Never rejects. */
  check(): Promise<StoreHealthState> {
    const store = this.#store;
    if (!canPing(store)) return Promise.resolve({ ok: true });
    if (this.#last && this.#now() - this.#last.at < this.#cacheMs) return Promise.resolve(this.#last.state);
    this.#checking ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      let state: StoreHealthState;
      try {
        await Promise.race([
          store.ping(),
          new Promise<never>((_resolve, reject) => {
            timer = setTimeout(
              () => reject(new Error(`no answer within ${this.#timeoutMs} ms`)),
              this.#timeoutMs,
            );
          }),
        ]);
        state = { ok: true };
      } catch (error) {
        state = { ok: false, reason: error instanceof Error ? error.message : String(error) };
      } finally {
        clearTimeout(timer);
      }
      this.#last = { state, at: this.#now() };
      this.#checking = undefined;
      return state;
    })();
    return this.#checking;
  }

  /** The last result if it is fresh (no check is started): callers on the request path use it to fail fast. */
  recent(): StoreHealthState | undefined {
    return this.#last && this.#now() - this.#last.at < this.#cacheMs ? this.#last.state : undefined;
  }

  /** Forgets the last result (a read on the request path just failed or succeeded). */
  report(state: StoreHealthState): void {
    this.#last = { state, at: this.#now() };
  }
}
