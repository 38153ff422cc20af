/**
 * The child side of the launcher's IPC channel: a server tells the bench it
 * is listening, collects garbage when asked (so its RSS can be read after a
 * GC; it answers with its `process.memoryUsage()`), writes a heap snapshot
 * when asked, stops when asked (so `--cpu-prof` writes its profile), and exits when
 * the bench goes away (no orphan survives a crashed bench).
 */

import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';

/** What the bench sends a server. */
export type ParentMessage =
  | { type: 'gc'; id: number }
  | { type: 'heap-snapshot'; id: number; path: string }
  | { type: 'stop' };

/** What a server sends the bench. */
export type ChildMessage =
  | { type: 'ready'; port: number; info?: Record<string, unknown> }
  | {
      type: 'gc-done';
      id: number;
      heapUsedBytes: number;
      memory: NodeJS.MemoryUsage;
      /** Per V8 heap space: bytes committed (`size`), resident (`physical`), in use (`used`). */
      spaces: { name: string; size: number; physical: number; used: number }[];
    }
  | { type: 'snapshot-done'; id: number; path: string }
  | { type: 'failed'; message: string };

function send(message: ChildMessage): void {
  process.send?.(message);
}

/** Tells the bench the server listens on `port`, with anything else it needs (credentials). */
export function reportReady(port: number, info?: Record<string, unknown>): void {
  send({ type: 'ready', port, ...(info ? { info } : {}) });
}

/** Tells the bench the server could not start, then exits. */
export function reportFailure(error: unknown): never {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  send({ type: 'failed', message });
  process.exit(1);
}

/**
 * Answers the bench's `gc` and `stop` messages. `stop` runs `close` (bounded
 * to two seconds), then exits normally, which lets `--cpu-prof` write.
 */
export function answerParent(close: () => Promise<void> = async () => {}): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.race([close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2_000))]);
    process.exit(0);
  };
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'gc') {
      const collect = (globalThis as { gc?: () => void }).gc;
      collect?.();
      collect?.();
      const memory = process.memoryUsage();
      const spaces = getHeapSpaceStatistics().map((space) => ({
        name: space.space_name,
        size: space.space_size,
        physical: space.physical_space_size,
        used: space.space_used_size,
      }));
      send({ type: 'gc-done', id: message.id, heapUsedBytes: memory.heapUsed, memory, spaces });
    } else if (message.type === 'heap-snapshot') {
      send({ type: 'snapshot-done', id: message.id, path: writeHeapSnapshot(message.path) });
    } else if (message.type === 'stop') {
      void stop();
    }
  });
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}
