/**
 * Systems take turns: in each round every system runs one segment, the order
 * rotating by one from round to round, so load from outside the bench (and
 * any drift during the run) falls on all of them alike.
 *
 * @example
 * await inTurns(systems.length, 3, (position) => runSegment(systems[position]), resetEmulator);
 */
export async function inTurns(
  count: number,
  rounds: number,
  segment: (position: number, round: number) => Promise<void>,
  before?: () => Promise<void>,
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (let step = 0; step < count; step++) {
      await before?.();
      await segment((step + round) % count, round);
    }
  }
}
