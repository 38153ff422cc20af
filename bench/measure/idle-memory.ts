/**
 * Memory with many idle streams: each system holds 1,000 streams that got
 * their first event and then wait (the emulator's next event is a minute
 * away). The server's RSS (VmRSS, after a full GC) is read before and while
 * they are held; then every stream is cancelled.
 */
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { IDLE_STREAM, messagesBody } from '../bodies.js';
import { LoadClient } from '../load-client.js';
import type { System, SystemKey } from '../systems.js';

export interface IdleMemoryScenario {
  streams: number;
  /** Streams opened per step of the ramp (a listen backlog drops a burst of 1,000 connects). */
  rampStep: number;
  rampPauseMs: number;
  /** How long to wait for every stream's first event. */
  firstEventTimeoutMs: number;
  /** The request body's size in bytes, shaped like Claude Code's (`bodies.ts`); a one-line prompt when absent. */
  bodySize?: number;
}

export interface IdleMemorySystemResult {
  baselineBytes: number;
  heldBytes: number;
  /** The main V8 heap in use while holding them, after the GC (part of `heldBytes`). */
  heldHeapBytes: number;
  /** The server's `process.memoryUsage()` then (heapTotal, external, arrayBuffers), when it reports one. */
  heldMemory: NodeJS.MemoryUsage | undefined;
  /** Streams whose first event arrived in time. */
  started: number;
  failures: number;
}

export interface IdleMemoryResult {
  scenario: IdleMemoryScenario;
  bySystem: Map<SystemKey, IdleMemorySystemResult>;
}

/** Runs while a system holds its idle streams, after the GC and the RSS reading (a heap snapshot, say). */
export type WhileHeld = (system: System) => Promise<void>;

export async function holdStreams(
  system: System,
  scenario: IdleMemoryScenario,
  whileHeld?: WhileHeld,
): Promise<IdleMemorySystemResult> {
  await system.server.collectGarbage();
  const baselineBytes = system.server.rssBytes();
  const request = await system.endpoint.prepare(
    messagesBody({
      script: IDLE_STREAM,
      stream: true,
      ...(scenario.bodySize !== undefined ? { size: scenario.bodySize } : {}),
    }),
  );
  const client = new LoadClient(system.endpoint, scenario.streams);
  const abort = new AbortController();
  // One signal cancels every stream: each request listens to it.
  setMaxListeners(scenario.streams + 10, abort.signal);
  let started = 0;
  let failures = 0;
  const { promise: everyStreamStarted, resolve: allStarted } = Promise.withResolvers<void>();
  const streams: Promise<unknown>[] = [];
  const open = () =>
    client
      .stream(request, {
        signal: abort.signal,
        onEvent: (index) => {
          if (index !== 0) return;
          started += 1;
          if (started === scenario.streams) allStarted();
        },
      })
      .catch(() => {
        if (!abort.signal.aborted) failures += 1;
      });
  try {
    for (let opened = 0; opened < scenario.streams; opened += scenario.rampStep) {
      for (let index = opened; index < Math.min(scenario.streams, opened + scenario.rampStep); index++) {
        streams.push(open());
      }
      await sleep(scenario.rampPauseMs);
    }
    await Promise.race([everyStreamStarted, sleep(scenario.firstEventTimeoutMs)]);
    await sleep(250);
    const heldHeapBytes = (await system.server.collectGarbage()) ?? Number.NaN;
    const heldBytes = system.server.rssBytes();
    const heldMemory = system.server.lastMemory;
    await whileHeld?.(system);
    return { baselineBytes, heldBytes, heldHeapBytes, heldMemory, started, failures };
  } finally {
    abort.abort();
    await Promise.race([Promise.allSettled(streams), sleep(5_000)]);
    await client.close();
  }
}

export async function measureIdleMemory(
  systems: System[],
  scenario: IdleMemoryScenario,
): Promise<IdleMemoryResult> {
  const bySystem = new Map<SystemKey, IdleMemorySystemResult>();
  for (const system of systems) {
    bySystem.set(system.key, await holdStreams(system, scenario));
    // Let the servers close the cancelled streams before the next system starts.
    await sleep(500);
  }
  return { scenario, bySystem };
}
