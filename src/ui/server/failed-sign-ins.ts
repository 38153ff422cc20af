/** Failed sign-ins allowed per client address in one window, before 429. */
export const FAILED_SIGN_IN_LIMIT = 10;
/** The window failed sign-ins are counted in. */
export const FAILED_SIGN_IN_WINDOW_MS = 15 * 60 * 1000;

/**
 * Failed dashboard sign-ins per client address (a wrong admin key, a refused
 * OIDC callback), in a sliding window: once an address has `limit` failures
 * in the last `windowMs`, it waits until the oldest of them leaves the window.
 *
 * Counted in this process only: behind a load balancer each replica counts its
 * own, so an address gets at most `limit` tries per replica. That bounds
 * guessing (the admin key is long and random) without a shared store on the
 * sign-in path, which must keep working while Postgres or Redis is away.
 *
 * @example
 * const failures = new FailedSignIns({ clock: Date.now });
 * if (failures.retryAfterMs(address) > 0) return tooMany();
 * if (!ok) failures.note(address);
 */
export class FailedSignIns {
  private readonly byAddress = new Map<string, number[]>();
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly clock: () => number;

  constructor(options: { clock: () => number; limit?: number; windowMs?: number }) {
    this.clock = options.clock;
    this.limit = options.limit ?? FAILED_SIGN_IN_LIMIT;
    this.windowMs = options.windowMs ?? FAILED_SIGN_IN_WINDOW_MS;
  }

  /** How long `address` must wait before its next try; 0 when it may try now. */
  retryAfterMs(address: string): number {
    const recent = this.recent(address);
    if (recent.length < this.limit) return 0;
    const oldest = recent[recent.length - this.limit] as number;
    return Math.max(1, oldest + this.windowMs - this.clock());
  }

  /** Counts one failed sign-in from `address`. */
  note(address: string): void {
    const recent = this.recent(address);
    recent.push(this.clock());
    // Only the last `limit` failures decide anything.
    if (recent.length > this.limit) recent.splice(0, recent.length - this.limit);
    this.byAddress.set(address, recent);
    if (this.byAddress.size > 10_000) this.forgetOld();
  }

  private recent(address: string): number[] {
    const now = this.clock();
    return (this.byAddress.get(address) ?? []).filter((at) => at > now - this.windowMs && at <= now);
  }

  private forgetOld(): void {
    for (const address of [...this.byAddress.keys()]) {
      if (this.recent(address).length === 0) this.byAddress.delete(address);
    }
    // Still full of addresses that all failed lately: start over rather than grow without bound.
    if (this.byAddress.size > 10_000) this.byAddress.clear();
  }
}

/** `Retry-After` (whole seconds, at least 1) and a sentence for an address that must wait. */
export function tooManyFailures(retryAfterMs: number): { retryAfter: string; message: string } {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const minutes = Math.ceil(seconds / 60);
  return {
    retryAfter: String(seconds),
    message: `Too many failed sign-ins from your address: try again in ${minutes === 1 ? '1 minute' : `${minutes} minutes`}.`,
  };
}
