/**
 * Remembers which target served each session last, so the next turn goes to
 * the same platform and region: prompt caches stay warm and thinking
 * signatures stay valid. A session moves only when its target fails.
 */
export interface SessionAffinity {
  lookup(session: string): Promise<string | undefined> | string | undefined;
  record(session: string, target: string): Promise<void> | void;
}

/** In-process affinity: least-recently-used, bounded, with a time to live. */
export class MemorySessionAffinity implements SessionAffinity {
  private readonly entries = new Map<string, { target: string; expires: number }>();

  constructor(
    private readonly capacity = 100_000,
    private readonly timeToLiveMs = 6 * 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  lookup(session: string): string | undefined {
    const entry = this.entries.get(session);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(session);
      return undefined;
    }
    return entry.target;
  }

  record(session: string, target: string): void {
    this.entries.delete(session);
    this.entries.set(session, { target, expires: this.now() + this.timeToLiveMs });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
