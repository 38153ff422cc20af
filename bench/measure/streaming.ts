/**
 * Streaming through each system: the emulator sends about 200 events 5 ms
 * apart. For each stream, the time to its first event and every gap between
 * two events as the client saw it: a gap longer than 5 ms means an event was
 * late (held back, or queued behind other work), a shorter one that it
 * caught up. Gaps carry the emulator's own timer jitter (a 5 ms timer fires
 * late on a busy machine), the same for every system but not in the same
 * places; so each text delta is also stamped by the emulator with the
 * monotonic time it was written (script `stamp`), and the client takes each
 * event's delay from there to its arrival: what the system in between added,
 * event by event, with no timer in it.
 * Streams start staggered over half a stream's length, so no two start
 * together and about `concurrency` are in flight.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { messagesBody, PACED_STREAM } from '../bodies.js';
import type { PreparedRequest } from '../endpoints.js';
import { LoadClient } from '../load-client.js';
import { type Summary, summarize } from '../statistics.js';
import type { System, SystemKey } from '../systems.js';
import { inTurns } from '../turns.js';

export interface StreamingScenario {
  /** Streams in flight at once. */
  concurrency: number;
  /** Streams per system per turn. */
  streamsPerTurn: number;
  rounds: number;
}

export interface StreamingSystemResult {
  firstEvent: Summary;
  /** Each gap between consecutive events minus the emulator's interval. */
  gapExcess: Summary;
  /**
   * Each stamped event's delay from the emulator writing it to the client reading it (none when
   * the system's upstream is an answer shape the emulator does not stamp: Converse).
   */
  eventDelay: Summary;
  /** Events per stream (NaN when streams differed). */
  events: number;
  streams: number;
  /** Gaps more than 5 ms over the schedule. */
  lateOver5ms: number;
  failures: number;
}

export interface StreamingResult {
  scenario: StreamingScenario;
  intervalMs: number;
  bySystem: Map<SystemKey, StreamingSystemResult>;
}

export async function measureStreaming(
  systems: System[],
  scenario: StreamingScenario,
  beforeEachTurn?: () => Promise<void>,
): Promise<StreamingResult> {
  const intervalMs = PACED_STREAM.delay_ms ?? 0;
  const spreadMs = ((PACED_STREAM.min_chars ?? 0) / (PACED_STREAM.chunk_chars ?? 1)) * intervalMs * 0.5;
  const body = messagesBody({ script: PACED_STREAM, stream: true });
  const requests = await Promise.all(systems.map((system) => system.endpoint.prepare(body)));
  const clients = systems.map((system) => new LoadClient(system.endpoint, scenario.concurrency));
  const firstEvents = systems.map(() => [] as number[]);
  const gaps = systems.map(() => [] as number[]);
  const delays = systems.map(() => [] as number[]);
  const eventCounts = systems.map(() => new Set<number>());
  const failures = systems.map(() => 0);
  const run = async (position: number, count: number, keep: boolean) => {
    const client = clients[position] as LoadClient;
    const request = requests[position] as PreparedRequest;
    let next = 0;
    const worker = async (index: number) => {
      await sleep((index * spreadMs) / scenario.concurrency);
      while (next < count) {
        next += 1;
        try {
          const { arrivals, types, delays: eventDelays } = await client.stream(request);
          if (types.at(-1) !== 'message_stop') throw new Error(`the stream ended with ${types.at(-1)}`);
          if (!keep) continue;
          firstEvents[position]?.push(arrivals[0] ?? Number.NaN);
          eventCounts[position]?.add(arrivals.length);
          for (const delay of eventDelays) delays[position]?.push(delay);
          for (let event = 1; event < arrivals.length; event++) {
            gaps[position]?.push((arrivals[event] as number) - (arrivals[event - 1] as number) - intervalMs);
          }
        } catch (error) {
          failures[position] = (failures[position] ?? 0) + 1;
          if (failures[position] === 1)
            console.error(`  ${systems[position]?.label}: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(count, scenario.concurrency) }, (_, index) => worker(index)),
    );
  };
  try {
    await inTurns(systems.length, 1, (position) => run(position, 2, false), beforeEachTurn);
    await inTurns(
      systems.length,
      scenario.rounds,
      (position) => run(position, scenario.streamsPerTurn, true),
      beforeEachTurn,
    );
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
  return {
    scenario,
    intervalMs,
    bySystem: new Map(
      systems.map((system, position) => {
        const counts = [...(eventCounts[position] ?? [])];
        const systemGaps = gaps[position] ?? [];
        return [
          system.key,
          {
            firstEvent: summarize(firstEvents[position] ?? []),
            gapExcess: summarize(systemGaps),
            eventDelay: summarize(delays[position] ?? []),
            events: counts.length === 1 ? (counts[0] as number) : Number.NaN,
            streams: firstEvents[position]?.length ?? 0,
            lateOver5ms: systemGaps.filter((gap) => gap > 5).length,
            failures: failures[position] ?? 0,
          },
        ];
      }),
    ),
  };
}
