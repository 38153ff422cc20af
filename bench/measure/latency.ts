/**
 * Latency of non-streaming requests through each system, sequential or with
 * a fixed number in flight (a closed loop), from send to the last byte of
 * the answer. The systems take turns (see turns.ts).
 */
import { performance } from 'node:perf_hooks';
import { messagesBody, SHORT_ANSWER } from '../bodies.js';
import type { PreparedRequest } from '../endpoints.js';
import { closedLoop, LoadClient } from '../load-client.js';
import { type Summary, summarize } from '../statistics.js';
import type { System, SystemKey } from '../systems.js';
import { inTurns } from '../turns.js';

export interface LatencyScenario {
  /** e.g. `sequential`, `64 concurrent`. */
  name: string;
  concurrency: number;
  /** Body size in bytes; a one-line prompt when absent. */
  bodySize?: number;
  /** Timed requests per system, over all rounds. */
  requests: number;
  rounds: number;
  /** Untimed requests per system before the first round. */
  warmup: number;
}

export interface LatencyResult {
  scenario: LatencyScenario;
  /** The Anthropic request's size. */
  bodyBytes: number;
  bySystem: Map<SystemKey, Summary>;
  /** Requests that failed (not timed), per system. */
  failures: Map<SystemKey, number>;
  /** Answers per second over the timed turns (with `concurrency` in flight: the throughput at that load). */
  requestsPerSecond: Map<SystemKey, number>;
}

export async function measureLatency(
  systems: System[],
  scenario: LatencyScenario,
  beforeEachTurn?: () => Promise<void>,
): Promise<LatencyResult> {
  const body = messagesBody({
    script: SHORT_ANSWER,
    stream: false,
    ...(scenario.bodySize !== undefined ? { size: scenario.bodySize } : {}),
  });
  const requests = await Promise.all(systems.map((system) => system.endpoint.prepare(body)));
  const clients = systems.map((system) => new LoadClient(system.endpoint, scenario.concurrency));
  const samples = systems.map(() => [] as number[]);
  const failures = new Map<SystemKey, number>();
  const timedMs = systems.map(() => 0);
  const run = async (position: number, count: number, keep: boolean) => {
    const client = clients[position] as LoadClient;
    const request = requests[position] as PreparedRequest;
    const system = systems[position] as System;
    const started = performance.now();
    await closedLoop(count, scenario.concurrency, async () => {
      try {
        const elapsed = await client.time(request);
        if (keep) samples[position]?.push(elapsed);
      } catch (error) {
        const failed = (failures.get(system.key) ?? 0) + 1;
        failures.set(system.key, failed);
        if (failed === 1) console.error(`  ${system.label}: ${(error as Error).message}`);
      }
    });
    if (keep) timedMs[position] = (timedMs[position] ?? 0) + (performance.now() - started);
  };
  try {
    await inTurns(systems.length, 1, (position) => run(position, scenario.warmup, false), beforeEachTurn);
    const perTurn = Math.ceil(scenario.requests / scenario.rounds);
    await inTurns(
      systems.length,
      scenario.rounds,
      (position) => run(position, perTurn, true),
      beforeEachTurn,
    );
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
  return {
    scenario,
    bodyBytes: (requests[0] as PreparedRequest).body.length,
    bySystem: new Map(systems.map((system, position) => [system.key, summarize(samples[position] ?? [])])),
    failures,
    requestsPerSecond: new Map(
      systems.map((system, position) => [
        system.key,
        (samples[position]?.length ?? 0) / ((timedMs[position] ?? Number.NaN) / 1000),
      ]),
    ),
  };
}
