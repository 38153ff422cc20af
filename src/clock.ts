/**
 * The one source of "now" for everything that depends on the date: model
 * retirement and deprecation, budget months, log retention, listings. Durations
 * (time to first byte, timeouts) measure elapsed time and do not use it.
 * Tests pin it so the suite passes whatever the date is.
 *
 * @example
 * const clock = fixedClock('2026-12-05T00:00:00Z');
 * new Date(clock()).toISOString(); // '2026-12-05T00:00:00.000Z'
 */
export type Clock = () => number;

/** The wall clock. */
export const systemClock: Clock = () => Date.now();

/** A clock stopped at one instant (tests, what-if reports). */
export function fixedClock(at: string | number | Date): Clock {
  const time = new Date(at).getTime();
  if (Number.isNaN(time)) throw new Error(`fixedClock: not a date: ${String(at)}`);
  return () => time;
}

/** The ISO day (`2026-12-05`) of a clock's time, in UTC. */
export function isoDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}
