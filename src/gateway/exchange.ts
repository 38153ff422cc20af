import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { ClientAddresses } from '../net/client-address.js';
import { bodyTimedOut } from '../net/dual-protocol-server.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { type DecodedBody, decodeRequestBody, SUPPORTED_ENCODINGS } from './request-encoding.js';
import { joinBody, joinChunks } from './shared-body.js';

export type NodeRequest = IncomingMessage | Http2ServerRequest;
export type NodeResponse = ServerResponse | Http2ServerResponse;

export type BodyResult =
  | { ok: true; bytes: Buffer }
  | { ok: false; reason: 'too-large' | 'aborted' | 'timeout' }
  | Exclude<DecodedBody, { ok: true } | { reason: 'too-large' }>;

/** The error for a body that could not be read: too large, or an encoding the gateway cannot undo. */
export function bodyError(
  body: Exclude<BodyResult, { ok: true } | { reason: 'aborted' }>,
  limit: number,
): GatewayError {
  if (body.reason === 'unsupported-encoding') {
    return GatewayError.fromCode('UNSUPPORTED_CONTENT_ENCODING', {
      encoding: body.encoding,
      supported: SUPPORTED_ENCODINGS.join(', '),
    });
  }
  if (body.reason === 'timeout') {
    return new GatewayError({
      status: 408,
      type: 'timeout_error',
      platform: 'gateway',
      message:
        'The request body stopped arriving before it was complete, so the gateway closed the connection. Send the whole body without long pauses.',
    });
  }
  if (body.reason === 'bad-encoding') {
    return GatewayError.fromCode('BAD_CONTENT_ENCODING', { encoding: body.encoding, detail: body.detail });
  }
  return GatewayError.fromCode('REQUEST_TOO_LARGE', { limit: String(limit) });
}

const exchanges = new WeakMap<NodeResponse, Exchange>();

/** A request's 'error' after its body was read (the client went away): the response's 'close' says so already. */
function ignoreError(): void {}

/** The exchange answering a response, if one was made for it. */
export function exchangeOf(response: NodeResponse): Exchange | undefined {
  return exchanges.get(response);
}

/**
 * One HTTP exchange on the gateway's hot path, over node's own request and
 * response (no Web Request/Response conversion): the raw path and headers in,
 * status, headers and flushed chunks out, and a signal that fires when the
 * client goes away.
 */
export class Exchange {
  readonly method: string;
  /** The path as the client sent it, not decoded (colons raw or %3A). */
  readonly path: string;
  /** What follows the `?`, parsed when first asked for (only the admin API reads a query). */
  readonly #rawQuery: string;
  #query: URLSearchParams | undefined;
  readonly startedAt = Date.now();
  /** Bytes of the answer written so far (streamed chunks; a whole answer counts when sent). */
  bytesSent = 0;
  private readonly abort = new AbortController();
  private finished = false;
  private stopped: GatewayError | undefined;

  constructor(
    readonly request: NodeRequest,
    readonly response: NodeResponse,
    /** Reads `X-Forwarded-For` from trusted proxies; absent: the peer is the client. */
    private readonly addresses?: ClientAddresses,
  ) {
    this.method = (request.method ?? 'GET').toUpperCase();
    const raw = request.url ?? '/';
    const at = raw.indexOf('?');
    this.path = at === -1 ? raw : raw.slice(0, at);
    this.#rawQuery = at === -1 ? '' : raw.slice(at + 1);
    // The client went away before the answer was complete: cancel upstream work. (Not
    // `writableFinished`: an HTTP/2 response reports it true when the client resets the stream.)
    response.once('close', () => {
      if (!this.finished && !response.writableEnded) this.abort.abort();
    });
    exchanges.set(response, this);
  }

  get query(): URLSearchParams {
    this.#query ??= new URLSearchParams(this.#rawQuery);
    return this.#query;
  }

  /** Fires when the client disconnects before the answer is complete, or the gateway stops the exchange (`stop`). */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** The client went away (not the gateway stopping the exchange). */
  get clientGone(): boolean {
    return this.abort.signal.aborted && !this.stopped;
  }

  /** Why the gateway itself stopped this exchange (its shutdown grace ran out), if it did. */
  get stoppedBy(): GatewayError | undefined {
    return this.stopped;
  }

  /**
   * Stops an exchange whose answer is not complete: its upstream work is
   * cancelled (the signal fires) and its handler answers `error` in the
   * client's dialect, a stream ending with the dialect's error. Returns
   * whether there was anything to stop.
   */
  stop(error: GatewayError): boolean {
    if (this.finished || this.response.writableEnded || this.abort.signal.aborted) return false;
    this.stopped = error;
    this.abort.abort(error);
    return true;
  }

  header(name: string): string | undefined {
    const value = this.request.headers[name];
    if (Array.isArray(value)) return value.join(', ');
    return value;
  }

  /** The client's address: the connection's peer, or whom trusted proxies forwarded for (`server.trustedProxies`). */
  get clientAddress(): string | undefined {
    const peer = this.request.socket?.remoteAddress;
    return this.addresses?.active ? this.addresses.of(peer, this.header('x-forwarded-for')) : peer;
  }

  /**
   * Reads the body, stopping as soon as it passes `limit` bytes; a `Content-Encoding` is undone (the limit
   * then bounds the decoded size too). With `shared`, a large body is joined in shared memory, for a body
   * the activity log keeps (see `joinBody`); `fetch` refuses such a buffer as a request body.
   */
  readBody(limit: number, options: { shared?: boolean } = {}): Promise<BodyResult> {
    const declared = Number(this.header('content-length'));
    if (Number.isFinite(declared) && declared > limit) {
      this.request.resume();
      return Promise.resolve({ ok: false, reason: 'too-large' });
    }
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let total = 0;
      let settled = false;
      const settle = (result: BodyResult) => {
        if (settled) return;
        settled = true;
        // A streamed answer keeps its request for its whole life: drop the body's listeners (and with them
        // this closure's chunks), leaving a shared no-op so a late 'error' still has a listener.
        this.request.off('data', onData);
        this.request.off('error', cut);
        this.request.off('aborted', cut);
        this.request.off('close', onClose);
        this.request.on('error', ignoreError);
        resolve(result);
      };
      const onData = (chunk: Buffer) => {
        if (settled) return;
        total += chunk.length;
        if (total > limit) {
          chunks.length = 0;
          settle({ ok: false, reason: 'too-large' });
          this.request.resume();
          return;
        }
        chunks.push(chunk);
      };
      this.request.on('data', onData);
      let ended = false;
      this.request.once('end', () => {
        ended = true;
        const bytes = options.shared ? joinBody(chunks, total) : joinChunks(chunks, total);
        // This listener and its `chunks` live as long as the request, a stream's whole length:
        // emptied, the body is held once (as `bytes`, which the log keeps), not twice.
        chunks.length = 0;
        const encoding = this.header('content-encoding');
        if (!encoding) settle({ ok: true, bytes });
        else void decodeRequestBody(bytes, encoding, limit).then(settle);
      });
      // The server cuts a body that stops arriving (and has answered 408): not the client's leaving.
      const cut = () => settle({ ok: false, reason: bodyTimedOut(this.request) ? 'timeout' : 'aborted' });
      this.request.once('error', cut);
      this.request.once('aborted', cut);
      // A request destroyed before its end (HTTP/2 may not say 'aborted'): while a body is decoded, 'close' follows 'end'.
      const onClose = () => {
        if (!ended) cut();
      };
      this.request.once('close', onClose);
    });
  }

  /** Sends a whole answer. */
  send(status: number, headers: Record<string, string>, body: string | Uint8Array): void {
    if (this.response.headersSent) return;
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    (this.response as ServerResponse).writeHead(status, {
      ...headers,
      'content-length': String(bytes.byteLength),
    });
    this.response.end(bytes);
    this.bytesSent += bytes.byteLength;
    this.finished = true;
  }

  /**
   * Starts a streamed answer; each `write` goes to the client at once. The
   * headers go out with the first write, in the same packet: the engine
   * starts an answer only with its first event in hand, written right after
   * (flushing the headers alone cost a write, a packet and a wake-up of the
   * client before the first event).
   */
  startStream(status: number, headers: Record<string, string>): void {
    (this.response as ServerResponse).writeHead(status, headers);
  }

  /** Whether the answer has begun (not counting the 408 the server itself sent for a body that stopped arriving). */
  get streamStarted(): boolean {
    return this.response.headersSent && !bodyTimedOut(this.request);
  }

  /** Writes a chunk; resolves when the socket can take more (backpressure), or at once. */
  write(chunk: Uint8Array | string): Promise<void> | undefined {
    // After the end nothing more can be written, and neither 'drain' nor 'close' would come.
    if (this.clientGone || this.response.writableEnded || this.response.destroyed) return undefined;
    this.bytesSent += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    const accepted = (this.response as ServerResponse).write(chunk);
    if (accepted) return undefined;
    return new Promise((resolve) => {
      const done = () => {
        this.response.off('drain', done);
        this.response.off('close', done);
        resolve();
      };
      this.response.once('drain', done);
      this.response.once('close', done);
    });
  }

  end(): void {
    this.finished = true;
    if (!this.response.writableEnded) this.response.end();
  }
}
