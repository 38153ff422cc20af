import type { Platform } from '../catalog/types.js';
import type { StreamDecoder, UpstreamStreamItem } from '../platforms/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { PLATFORM_NAMES } from '../wire/errors/platform-names.js';

/** One network chunk of an upstream stream and the items decoded from it. */
export interface StreamChunk {
  /** The bytes as they arrived; absent for items the engine adds (a cut stream's error). */
  bytes?: Uint8Array;
  items: UpstreamStreamItem[];
}

/**
 * An upstream streaming answer, chunk by chunk with its decoded events, so an
 * egress can forward the bytes untouched or re-encode the events. It never
 * ends silently: a reset or an end without `message_stop` becomes a final
 * error item.
 */
export class UpstreamStream implements AsyncIterable<StreamChunk> {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private readonly buffered: StreamChunk[] = [];
  private sawStop = false;
  private sawError = false;
  private sawEvent = false;
  private ended = false;

  constructor(
    body: AsyncIterable<Uint8Array>,
    readonly decoder: StreamDecoder,
    private readonly platform: Platform,
    private readonly discard: () => void,
  ) {
    this.iterator = body[Symbol.asyncIterator]();
  }

  /**
   * Reads until the first event arrives, so the engine can still retry or fail
   * over when the stream fails before its first event (an error event, a
   * reset, an empty body). Returns that failure, or ok.
   */
  async prefetch(): Promise<{ ok: true } | { ok: false; error: GatewayError }> {
    while (!this.sawEvent) {
      const chunk = await this.readChunk();
      if (!chunk) return { ok: false, error: this.interrupted('the stream ended before its first event') };
      this.buffered.push(chunk);
      const failure = chunk.items.find((item) => item.kind === 'error');
      if (failure && failure.kind === 'error' && !this.sawEventBefore(chunk, failure)) {
        this.discard();
        return { ok: false, error: failure.error };
      }
    }
    return { ok: true };
  }

  /**
   * A plain iterator over the chunks rather than an async generator: a stream
   * idle between two events then holds one pending read, not a suspended
   * generator and async function per layer (the bulk of an idle stream's heap).
   */
  [Symbol.asyncIterator](): AsyncIterator<StreamChunk> {
    return {
      next: () => {
        const buffered = this.buffered.shift();
        if (buffered) return Promise.resolve({ done: false, value: buffered });
        return this.readChunk().then(toResult);
      },
      // Leaving a `for await` early stops nothing: cancelling the upstream is `cancel()`'s, as before.
      return: () => Promise.resolve({ done: true, value: undefined }),
    };
  }

  /** Stops reading and drops the upstream connection (the client went away). */
  cancel(): void {
    this.ended = true;
    this.discard();
  }

  private sawEventBefore(chunk: StreamChunk, failure: UpstreamStreamItem): boolean {
    const index = chunk.items.indexOf(failure);
    return chunk.items.slice(0, index).some((item) => item.kind === 'event');
  }

  private note(items: UpstreamStreamItem[]): void {
    for (const item of items) {
      if (item.kind === 'error') this.sawError = true;
      else {
        this.sawEvent = true;
        if (item.event.type === 'message_stop') this.sawStop = true;
      }
    }
  }

  /** The next chunk, or undefined once the stream is over (its final error item already given). */
  private readChunk(): Promise<StreamChunk | undefined> {
    if (this.ended) return Promise.resolve(undefined);
    let pending: Promise<IteratorResult<Uint8Array>>;
    try {
      pending = this.iterator.next();
    } catch (error) {
      return Promise.resolve(this.failed(error));
    }
    return pending.then(
      (next) => this.received(next),
      (error: unknown) => this.failed(error),
    );
  }

  private received(next: IteratorResult<Uint8Array>): StreamChunk | undefined {
    if (next.done) {
      this.ended = true;
      const items = this.decoder.end();
      if (!this.sawStop && !this.sawError && !items.some((item) => item.kind === 'error')) {
        const stopped = items.some((item) => item.kind === 'event' && item.event.type === 'message_stop');
        if (!stopped)
          items.push({ kind: 'error', error: this.interrupted('the stream ended before message_stop') });
      }
      this.note(items);
      return items.length > 0 ? { items } : undefined;
    }
    const items = this.decoder.push(next.value);
    this.note(items);
    return { bytes: next.value, items };
  }

  /** A read that failed (a reset, an abort): the stream's final error item, unless it already gave one. */
  private failed(error: unknown): StreamChunk | undefined {
    this.ended = true;
    const reason = error instanceof Error ? error.message : String(error);
    const items: UpstreamStreamItem[] = this.sawError
      ? []
      : [{ kind: 'error', error: this.interrupted(reason, error) }];
    this.note(items);
    return items.length > 0 ? { items } : undefined;
  }

  private interrupted(reason: string, cause?: unknown): GatewayError {
    if (cause instanceof GatewayError && cause.code === 'UPSTREAM_STREAM_INTERRUPTED') return cause;
    return GatewayError.fromCode(
      'UPSTREAM_STREAM_INTERRUPTED',
      { platform: PLATFORM_NAMES[this.platform], reason },
      { platform: this.platform, ...(cause === undefined ? {} : { cause }) },
    );
  }
}

function toResult(chunk: StreamChunk | undefined): IteratorResult<StreamChunk> {
  return chunk ? { done: false, value: chunk } : { done: true, value: undefined };
}
