import { StoreError } from './store-error.js';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * A length of time such as `30s`, `15m`, `24h`, `30d`, `2w` (or `0`), in ms;
 * undefined when the text is not one.
 *
 * @example
 * parseDuration('24h') // 86400000
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const match = /^(\d+)([smhdw])$/.exec(trimmed);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/**
 * When a key expires, from what a person or a client wrote: a length of time
 * from now (`30d`, `12h`), an ISO date (`2027-01-31`, which is 00:00 UTC that
 * day) or date and time (`2027-01-31T18:00:00Z`), or ms since the epoch.
 * Throws a `StoreError` (INVALID_KEY_INPUT) naming what it expected.
 *
 * @example
 * parseExpiry('30d', Date.parse('2026-12-05T12:00:00Z')) // Date.parse('2027-01-04T12:00:00Z')
 * parseExpiry('2027-01-31', now) // Date.parse('2027-01-31T00:00:00Z')
 */
export function parseExpiry(value: unknown, now: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const duration = parseDuration(value);
    if (duration !== undefined) return now + duration;
    const text = value.trim();
    // An ISO date or date and time only: Date.parse also reads forms like "March 7" in local time.
    if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(text)) {
      const time = Date.parse(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:[\d.]+)?$/.test(text) ? `${text}Z` : text);
      if (Number.isFinite(time)) return time;
    }
  }
  throw new StoreError(
    `The expiry must be a length of time like 30d or 12h, an ISO date like 2027-01-31 (00:00 UTC), or an ISO time like 2027-01-31T18:00:00Z; got ${JSON.stringify(value)}.`,
    'INVALID_KEY_INPUT',
  );
}

/**
 * A grace period: a length of time (`24h`, `30m`, `0`), or ms as a number.
 *
 * @example
 * parseGrace('24h') // 86400000
 */
export function parseGrace(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  const duration = typeof value === 'string' ? parseDuration(value) : undefined;
  if (duration !== undefined) return duration;
  throw new StoreError(
    `The grace period must be a length of time like 24h, 30m or 0 (the old secret stops at once); got ${JSON.stringify(value)}.`,
    'INVALID_KEY_INPUT',
  );
}

/** The grace period of a rotation unless one is given: the old secret keeps working this long. */
export const DEFAULT_ROTATION_GRACE_MS = 24 * 3_600_000;
