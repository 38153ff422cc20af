/**
 * The load generator: undici keep-alive pools, one per system and
 * concurrency, timed with `performance.now()` (sub-microsecond). It runs in
 * the bench's own process; every server runs in another.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import type { Endpoint, PreparedRequest } from './endpoints.js';

/** When each event of one stream arrived, in ms since the request was sent. */
export interface StreamTiming {
  /** Arrival of each event, relative to the request's start. */
  arrivals: number[];
  /** Each event's type (`message_start`, …). */
  types: string[];
  /**
   * For each event the emulator stamped (script `stamp: true`: text deltas), the ms from the
   * emulator writing it to its arrival here, both read on the machine's monotonic clock.
   */
  delays: number[];
}

/** What a splitter found in one event: its type, and the emulator's send stamp (monotonic ns) if any. */
interface SplitEvent {
  type: string;
  sent?: bigint;
}

const STAMP = /"text":"@sent=(\d+);/;

function splitEvent(type: string, text: string): SplitEvent {
  const stamp = STAMP.exec(text)?.[1];
  return stamp === undefined ? { type } : { type, sent: BigInt(stamp) };
}

/** An answer that is not what the bench asked for. */
export class UnexpectedAnswer extends Error {
  override name = 'UnexpectedAnswer';
}

/** Splits SSE text into events as chunks arrive. */
class SseSplitter {
  private readonly decoder = new TextDecoder();
  private carry = '';

  /** The events this chunk completes. */
  push(chunk: Uint8Array): SplitEvent[] {
    this.carry += this.decoder.decode(chunk, { stream: true });
    const events: SplitEvent[] = [];
    let end = this.carry.indexOf('\n\n');
    while (end !== -1) {
      const event = this.carry.slice(0, end);
      this.carry = this.carry.slice(end + 2);
      events.push(splitEvent(/^event: ?(.*)$/m.exec(event)?.[1]?.trim() ?? 'message', event));
      end = this.carry.indexOf('\n\n');
    }
    return events;
  }
}

/**
 * Splits AWS event-stream bytes into frames as chunks arrive (by the length
 * in each prelude, no CRC check: the bench only times them), and reads the
 * Anthropic event type out of each Bedrock `chunk` payload.
 */
class EventStreamSplitter {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): SplitEvent[] {
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk]);
    const events: SplitEvent[] = [];
    while (this.buffer.length >= 12) {
      const total = this.buffer.readUInt32BE(0);
      if (this.buffer.length < total) break;
      const headersLength = this.buffer.readUInt32BE(4);
      const payload = this.buffer.subarray(12 + headersLength, total - 4).toString('utf8');
      this.buffer = this.buffer.subarray(total);
      events.push(EventStreamSplitter.eventOf(payload));
    }
    return events;
  }

  private static eventOf(payload: string): SplitEvent {
    try {
      const { bytes } = JSON.parse(payload) as { bytes?: string };
      if (!bytes) return { type: 'exception' };
      const text = Buffer.from(bytes, 'base64').toString('utf8');
      return splitEvent((JSON.parse(text) as { type?: string }).type ?? 'unknown', text);
    } catch {
      return { type: 'unknown' };
    }
  }
}

/** A keep-alive connection pool to one system, with `connections` sockets at most. */
export class LoadClient {
  private readonly pool: Pool;

  constructor(
    readonly endpoint: Endpoint,
    connections: number,
  ) {
    this.pool = new Pool(endpoint.origin, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      headersTimeout: 120_000,
      bodyTimeout: 120_000,
    });
  }

  /** Sends one request and reads the whole answer; returns the milliseconds from send to last byte. */
  async time(request: PreparedRequest): Promise<number> {
    const started = performance.now();
    const answer = await this.pool.request({ method: 'POST', ...request });
    const bytes = await answer.body.arrayBuffer();
    const elapsed = performance.now() - started;
    if (answer.statusCode !== 200) {
      throw new UnexpectedAnswer(
        `${answer.statusCode}: ${Buffer.from(bytes).toString('utf8').slice(0, 300)}`,
      );
    }
    return elapsed;
  }

  /** Sends one request and returns the status and the parsed JSON answer (to check its shape). */
  async json(request: PreparedRequest): Promise<{ status: number; body: unknown }> {
    const answer = await this.pool.request({ method: 'POST', ...request });
    const text = await answer.body.text();
    try {
      return { status: answer.statusCode, body: JSON.parse(text) };
    } catch {
      return { status: answer.statusCode, body: text };
    }
  }

  /**
   * Sends one streaming request and records when each event arrived (when
   * the chunk that completes it was read). `onEvent` is called with each
   * event's index as it arrives.
   */
  async stream(
    request: PreparedRequest,
    options: { signal?: AbortSignal; onEvent?: (index: number) => void } = {},
  ): Promise<StreamTiming> {
    const started = performance.now();
    const answer = await this.pool.request({
      method: 'POST',
      ...request,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (answer.statusCode !== 200) {
      const text = await answer.body.text();
      throw new UnexpectedAnswer(`${answer.statusCode}: ${text.slice(0, 300)}`);
    }
    const contentType = String(answer.headers['content-type'] ?? '');
    const expected =
      this.endpoint.framing === 'sse' ? 'text/event-stream' : 'application/vnd.amazon.eventstream';
    if (!contentType.startsWith(expected)) {
      answer.body.destroy();
      throw new UnexpectedAnswer(`expected ${expected}, got ${contentType || 'no content type'}`);
    }
    const splitter = this.endpoint.framing === 'sse' ? new SseSplitter() : new EventStreamSplitter();
    const timing: StreamTiming = { arrivals: [], types: [], delays: [] };
    for await (const chunk of answer.body) {
      const now = performance.now() - started;
      const clock = process.hrtime.bigint();
      for (const event of splitter.push(chunk as Buffer)) {
        timing.arrivals.push(now);
        timing.types.push(event.type);
        if (event.sent !== undefined) timing.delays.push(Number(clock - event.sent) / 1e6);
        options.onEvent?.(timing.arrivals.length - 1);
      }
    }
    return timing;
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}

/**
 * Runs `total` tasks with `concurrency` in flight at all times (a closed
 * loop) and returns each task's result in completion order.
 */
export async function closedLoop<T>(
  total: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const index = next++;
      results.push(await task(index));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return results;
}

/**
 * Keeps `concurrency` tasks in flight for `durationMs` and counts the tasks
 * that succeeded (resolved true) within the window after `warmupMs` (tasks
 * still running at the end are awaited but not counted).
 */
export async function sustained(
  durationMs: number,
  warmupMs: number,
  concurrency: number,
  task: () => Promise<boolean>,
): Promise<{ completed: number; seconds: number }> {
  const start = performance.now();
  const windowStart = start + warmupMs;
  const windowEnd = windowStart + durationMs;
  let completed = 0;
  const worker = async () => {
    while (performance.now() < windowEnd) {
      const succeeded = await task();
      const now = performance.now();
      if (succeeded && now >= windowStart && now <= windowEnd) completed += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { completed, seconds: durationMs / 1000 };
}
