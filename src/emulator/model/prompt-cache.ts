import { CACHE_LOOKBACK_BLOCKS, type CountedPrompt } from './tokens.js';

/** The emulated prompt cache's answer for one request. */
export interface CacheUsage {
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** Claude's minimum cacheable prefix (Sonnet/Opus; Haiku needs more, kept simple here). */
const MINIMUM_CACHEABLE_TOKENS = 1_024;
const TIME_TO_LIVE_MS = 5 * 60 * 1_000;

/**
 * A prompt cache per platform, region and model, as the real ones are: at
 * each `cache_control` breakpoint it looks back up to 20 blocks for the
 * longest prefix cached within five minutes (read), and caches the prefix at
 * every breakpoint (write: the tokens past what was read).
 */
export class PromptCache {
  private readonly entries = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Looks up and records the breakpoints of one request. */
  use(scope: string, prompt: Pick<CountedPrompt, 'boundaries' | 'breakpoints'>): CacheUsage {
    const now = this.now();
    let cacheReadTokens = 0;
    for (const breakpoint of prompt.breakpoints) {
      for (let index = breakpoint; index >= Math.max(0, breakpoint - CACHE_LOOKBACK_BLOCKS); index--) {
        const boundary = prompt.boundaries[index];
        if (!boundary?.digest) continue;
        const expires = this.entries.get(`${scope}:${boundary.digest}`);
        if (expires !== undefined && expires > now) {
          cacheReadTokens = Math.max(cacheReadTokens, boundary.tokens);
          this.entries.set(`${scope}:${boundary.digest}`, now + TIME_TO_LIVE_MS);
          break;
        }
      }
    }
    let lastTokens = 0;
    for (const breakpoint of prompt.breakpoints) {
      const boundary = prompt.boundaries[breakpoint];
      if (!boundary?.digest || boundary.tokens < MINIMUM_CACHEABLE_TOKENS) continue;
      this.entries.set(`${scope}:${boundary.digest}`, now + TIME_TO_LIVE_MS);
      lastTokens = Math.max(lastTokens, boundary.tokens);
    }
    if (this.entries.size > 10_000) this.evictExpired(now);
    return { cacheReadTokens, cacheWriteTokens: Math.max(0, lastTokens - cacheReadTokens) };
  }

  clear(): void {
    this.entries.clear();
  }

  private evictExpired(now: number): void {
    for (const [key, expires] of this.entries) if (expires <= now) this.entries.delete(key);
  }
}
