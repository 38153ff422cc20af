import { type HeaderSource, readHeader } from './headers.js';

/**
 * How long an upstream asks the caller to wait before retrying, in seconds,
 * read as the Anthropic SDK reads it: `retry-after-ms` first, then
 * `retry-after` as seconds or as an HTTP-date. A date in the past gives 0;
 * an absent or unreadable header gives undefined.
 *
 * @example
 * parseRetryAfterSeconds({ 'retry-after': '30' }); // 30
 * parseRetryAfterSeconds({ 'retry-after-ms': '1500' }); // 1.5
 * parseRetryAfterSeconds({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }, Date.parse('Wed, 21 Oct 2015 07:27:00 GMT')); // 60
 */
export function parseRetryAfterSeconds(
  headers: HeaderSource | undefined,
  now: number = Date.now(),
): number | undefined {
  const milliseconds = parseNumber(readHeader(headers, 'retry-after-ms'));
  if (milliseconds !== undefined) return Math.max(0, milliseconds / 1000);
  const value = readHeader(headers, 'retry-after')?.trim();
  if (!value) return undefined;
  const seconds = parseNumber(value);
  if (seconds !== undefined) return Math.max(0, seconds);
  if (!/[a-z]/i.test(value)) return undefined; // "-5": a number Date.parse would take for a year
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, (date - now) / 1000);
}

/**
 * The `retry-after` header value for a delay: whole seconds, rounded up so a
 * client never retries early.
 *
 * @example
 * formatRetryAfter(1.2); // '2'
 */
export function formatRetryAfter(seconds: number): string {
  return String(Math.max(0, Math.ceil(seconds)));
}

function parseNumber(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}
