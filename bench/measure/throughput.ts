/**
 * Streams per second through each system with 256 short streams in flight
 * at all times (a closed loop), in timed windows the systems take in turns.
 */
import { messagesBody, SHORT_STREAM } from '../bodies.js';
import type { PreparedRequest } from '../endpoints.js';
import { LoadClient, sustained } from '../load-client.js';
import type { System, SystemKey } from '../systems.js';
import { inTurns } from '../turns.js';

export interface ThroughputScenario {
  concurrency: number;
  /** Counted window per system per round. */
  windowMs: number;
  /** Uncounted lead-in before each window. */
  warmupMs: number;
  rounds: number;
}

export interface ThroughputSystemResult {
  streamsPerSecond: number;
  completed: number;
  failures: number;
}

export interface ThroughputResult {
  scenario: ThroughputScenario;
  bySystem: Map<SystemKey, ThroughputSystemResult>;
}

export async function measureThroughput(
  systems: System[],
  scenario: ThroughputScenario,
  beforeEachTurn?: () => Promise<void>,
): Promise<ThroughputResult> {
  const body = messagesBody({ script: SHORT_STREAM, stream: true });
  const requests = await Promise.all(systems.map((system) => system.endpoint.prepare(body)));
  const clients = systems.map((system) => new LoadClient(system.endpoint, scenario.concurrency));
  const completed = systems.map(() => 0);
  const seconds = systems.map(() => 0);
  const failures = systems.map(() => 0);
  const run = async (position: number) => {
    const client = clients[position] as LoadClient;
    const request = requests[position] as PreparedRequest;
    const window = await sustained(scenario.windowMs, scenario.warmupMs, scenario.concurrency, async () => {
      try {
        const { types } = await client.stream(request);
        if (types.at(-1) !== 'message_stop') throw new Error(`the stream ended with ${types.at(-1)}`);
        return true;
      } catch (error) {
        failures[position] = (failures[position] ?? 0) + 1;
        if (failures[position] === 1)
          console.error(`  ${systems[position]?.label}: ${(error as Error).message}`);
        return false;
      }
    });
    completed[position] = (completed[position] ?? 0) + window.completed;
    seconds[position] = (seconds[position] ?? 0) + window.seconds;
  };
  try {
    await inTurns(systems.length, scenario.rounds, run, beforeEachTurn);
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
  return {
    scenario,
    bySystem: new Map(
      systems.map((system, position) => [
        system.key,
        {
          streamsPerSecond: (completed[position] ?? 0) / (seconds[position] || 1),
          completed: completed[position] ?? 0,
          failures: failures[position] ?? 0,
        },
      ]),
    ),
  };
}
