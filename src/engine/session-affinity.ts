import { createHash } from 'node:crypto';

/**
 * Remembers which target served each session last, so the next turn goes to
 * the same platform and region: prompt caches stay warm and thinking
 * signatures stay valid. A session moves only when its target fails.
 */
export interface SessionAffinity {
  lookup(session: string): Promise<string | undefined> | string | undefined;
  record(session: string, target: string): Promise<void> | void;
}

/** Session ids longer than this many bytes are kept as their SHA-256 (a client picks the id, and its size). */
export const MAX_SESSION_KEY_BYTES = 128;

const HASHED = 'sha256:';

/**
 * The key a session is remembered under: the id itself when short, else
 * `sha256:` and its hex digest (an id that itself starts with `sha256:` is
 * hashed too, so no client can name another's hashed key).
 *
 * @example
 * sessionKey('5f0c…'); // '5f0c…'
 * sessionKey('x'.repeat(1_000_000)); // 'sha256:…' (71 characters)
 */
export function sessionKey(session: string): string {
  // Each UTF-16 unit is at most 3 UTF-8 bytes: most ids skip the byte count.
  const short =
    session.length * 3 <= MAX_SESSION_KEY_BYTES || Buffer.byteLength(session) <= MAX_SESSION_KEY_BYTES;
  if (short && !session.startsWith(HASHED)) return session;
  return HASHED + createHash('sha256').update(session).digest('hex');
}

/** What one entry costs, roughly: its key and target (UTF-16) and the map entry and object around them. */
function entryBytes(key: string, target: string): number {
  return 2 * (key.length + target.length) + 96;
}

/** In-process affinity: least-recently-used, bounded in entries and in bytes, with a time to live. */
export class MemorySessionAffinity implements SessionAffinity {
  private readonly entries = new Map<string, { target: string; expires: number; bytes: number }>();
  private totalBytes = 0;

  constructor(
    private readonly capacity = 100_000,
    private readonly timeToLiveMs = 6 * 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
    private readonly maxBytes = 32 * 1024 * 1024,
  ) {}

  /** Entries remembered. */
  get size(): number {
    return this.entries.size;
  }

  /** Roughly the memory the entries hold. */
  get bytes(): number {
    return this.totalBytes;
  }

  lookup(session: string): string | undefined {
    const key = sessionKey(session);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.remove(key);
      return undefined;
    }
    return entry.target;
  }

  record(session: string, target: string): void {
    const key = sessionKey(session);
    this.remove(key);
    const bytes = entryBytes(key, target);
    this.entries.set(key, { target, expires: this.now() + this.timeToLiveMs, bytes });
    this.totalBytes += bytes;
    // The oldest-used go first (a Map iterates in insertion order; each record re-inserts).
    while (this.entries.size > this.capacity || (this.totalBytes > this.maxBytes && this.entries.size > 1)) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.remove(oldest);
    }
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
  }
}
