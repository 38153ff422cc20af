import type { CacheBreakpoint } from './tokens.js';

/** The emulated prompt cache's answer for one request. */
export interface CacheUsage {
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** Claude's minimum cacheable prefix (Sonnet/Opus; Haiku needs more, kept simple here). */
const MINIMUM_CACHEABLE_TOKENS = 1_024;
const TIME_TO_LIVE_MS = 5 * 60 * 1_000;

/**
 * A prompt cache per platform, region and model, as the real ones are: the
 * longest breakpoint seen within five minutes is read from cache, and the
 * request's last breakpoint is written.
 */
export class PromptCache {
  private readonly entries = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Looks up and records the breakpoints of one request. */
  use(scope: string, breakpoints: readonly CacheBreakpoint[]): CacheUsage {
    const now = this.now();
    let cacheReadTokens = 0;
    for (const breakpoint of breakpoints) {
      const expires = this.entries.get(`${scope}:${breakpoint.digest}`);
      if (expires !== undefined && expires > now) {
        cacheReadTokens = Math.max(cacheReadTokens, breakpoint.tokens);
        this.entries.set(`${scope}:${breakpoint.digest}`, now + TIME_TO_LIVE_MS);
      }
    }
    const last = breakpoints[breakpoints.length - 1];
    if (!last || last.tokens < MINIMUM_CACHEABLE_TOKENS || last.tokens <= cacheReadTokens) {
      return { cacheReadTokens, cacheWriteTokens: 0 };
    }
    this.entries.set(`${scope}:${last.digest}`, now + TIME_TO_LIVE_MS);
    if (this.entries.size > 10_000) this.evictExpired(now);
    return { cacheReadTokens, cacheWriteTokens: last.tokens - cacheReadTokens };
  }

  clear(): void {
    this.entries.clear();
  }

  private evictExpired(now: number): void {
    for (const [key, expires] of this.entries) if (expires <= now) this.entries.delete(key);
  }
}
