import type { IncomingHttpHeaders } from 'node:http';
import { type Dispatcher, errors as undiciErrors } from 'undici';
import type { UpstreamRequest } from './types.js';

/** Body bytes read ahead of the reader before the connection is paused (as a Readable's high-water mark). */
const HIGH_WATER_BYTES = 64 * 1024;

/** An answer's status and headers, and its body as it arrives. */
export interface DispatchedResponse {
  status: number;
  headers: Headers;
  body: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
  discard(): void;
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** A read waiting for bytes: answered straight from the handler's onResponseData. */
interface PendingRead {
  resolve(result: IteratorResult<Uint8Array>): void;
  reject(error: unknown): void;
}

/**
 * One dispatched call: undici's handler, the answer, and the body's reader in
 * one object whose methods are on its prototype. A streaming answer lives as
 * long as its stream; closures made per call (about fifteen, with their
 * context) were a good part of what an idle stream held.
 */
class DispatchedCall implements Dispatcher.DispatchHandler, DispatchedResponse, AsyncIterator<Uint8Array> {
  status = 0;
  headers = new Headers();
  readonly body: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => this };
  private controller: Dispatcher.DispatchController | undefined;
  private started = false;
  private ended = false;
  private failure: Error | undefined;
  private chunks: Buffer[] = [];
  private queued = 0;
  private waiting: PendingRead | undefined;
  /** `readAll`'s wait for more bytes. */
  private wake: (() => void) | undefined;

  constructor(
    private readonly signal: AbortSignal | undefined,
    private readonly translate: (error: unknown) => Error,
    private resolveStart: ((response: DispatchedResponse) => void) | undefined,
    private rejectStart: ((error: unknown) => void) | undefined,
  ) {}

  /** The signal's listener (an EventListener object: no bound function per call). */
  handleEvent(): void {
    this.controller?.abort(new undiciErrors.RequestAbortedError());
  }

  /** Stops reading and closes the connection's body. A property, so callers may pass it on unbound. */
  readonly discard = (): void => {
    this.chunks = [];
    this.queued = 0;
    if (!this.ended && !this.failure) {
      this.failure = new undiciErrors.RequestAbortedError();
      this.controller?.abort(this.failure);
    }
    this.settle();
    this.notify();
  };

  next(): Promise<IteratorResult<Uint8Array>> {
    const chunk = this.take();
    if (chunk) return Promise.resolve({ done: false, value: chunk });
    if (this.failure) return Promise.reject(this.translate(this.failure));
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  /** A reader that stops early (the client went away) drops the connection's body. */
  return(): Promise<IteratorResult<Uint8Array>> {
    if (!this.ended) this.discard();
    return Promise.resolve({ done: true, value: undefined });
  }

  /** The whole body as text: what `next` gives, without a promise per chunk. */
  async text(): Promise<string> {
    const parts: Uint8Array[] = [];
    try {
      for (;;) {
        if (this.chunks.length > 0) {
          for (const chunk of this.chunks) parts.push(chunk);
          this.chunks = [];
          this.queued = 0;
          if (this.controller?.paused) this.controller.resume();
          continue;
        }
        if (this.failure) throw this.translate(this.failure);
        if (this.ended) break;
        await new Promise<void>((resume) => {
          this.wake = resume;
        });
      }
    } finally {
      if (!this.ended) this.discard();
    }
    const only = parts.length === 1 ? parts[0] : undefined;
    return only
      ? Buffer.from(only.buffer, only.byteOffset, only.byteLength).toString('utf8')
      : Buffer.concat(parts).toString('utf8');
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.signal?.aborted) controller.abort(new undiciErrors.RequestAbortedError());
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    this.started = true;
    // undici keeps the raw header buffers on the controller for as long as the body lasts: read once, not needed.
    controller.rawHeaders = null;
    this.status = statusCode;
    this.headers = toHeaders(headers);
    const resolve = this.resolveStart;
    this.resolveStart = undefined;
    this.rejectStart = undefined;
    resolve?.(this);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.failure) return;
    this.chunks.push(chunk);
    this.queued += chunk.byteLength;
    if (this.queued >= HIGH_WATER_BYTES) controller.pause();
    this.notify();
  }

  onResponseEnd(): void {
    this.ended = true;
    this.settle();
    this.notify();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.settle();
    if (!this.started) {
      const reject = this.rejectStart;
      this.resolveStart = undefined;
      this.rejectStart = undefined;
      reject?.(error);
      return;
    }
    this.failure ??= error;
    this.notify();
  }

  settle(): void {
    this.signal?.removeEventListener('abort', this);
  }

  /** The next chunk read ahead, resuming the connection once the read-ahead drops below its mark. */
  private take(): Buffer | undefined {
    const chunk = this.chunks.shift();
    if (!chunk) return undefined;
    this.queued -= chunk.byteLength;
    if (this.controller?.paused && this.queued < HIGH_WATER_BYTES) this.controller.resume();
    return chunk;
  }

  /** Hands what arrived (bytes, the end or a failure) to the read waiting for it. */
  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
    const reader = this.waiting;
    if (!reader) return;
    const chunk = this.take();
    if (chunk) {
      this.waiting = undefined;
      reader.resolve({ done: false, value: chunk });
    } else if (this.failure) {
      this.waiting = undefined;
      reader.reject(this.translate(this.failure));
    } else if (this.ended) {
      this.waiting = undefined;
      reader.resolve({ done: true, value: undefined });
    }
  }
}

/**
 * Sends one request with undici's `dispatch` and a handler of our own, rather
 * than `request()`: no Readable body stream and no kept copy of the raw
 * headers per answer, only a queue of the chunks not read yet. That is most
 * of what an idle stream holds (about 36 KB with `request()`). Resolves at the
 * response's headers; the body is read with backpressure (the connection is
 * paused while 64 KB wait unread). Rejects with undici's own error (a timeout,
 * a refused connection, an abort), for the caller to translate; a failure
 * while the body is read is thrown to its reader through `translate`.
 */
export function dispatchRequest(
  dispatcher: Dispatcher,
  request: UpstreamRequest,
  signal: AbortSignal | undefined,
  /** How a failure while the body is read reaches the reader (the transport's own errors). */
  translate: (error: unknown) => Error = (error) => error as Error,
): Promise<DispatchedResponse> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new undiciErrors.RequestAbortedError());
      return;
    }
    const url = new URL(request.url);
    const call = new DispatchedCall(signal, translate, resolve, reject);
    signal?.addEventListener('abort', call, { once: true });
    try {
      dispatcher.dispatch(
        {
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: request.method,
          headers: request.headers,
          body: request.body ?? null,
        },
        call,
      );
    } catch (error) {
      call.settle();
      reject(error);
    }
  });
}
