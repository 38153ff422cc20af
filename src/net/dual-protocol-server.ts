import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';

type Listener = (
  request: http.IncomingMessage | http2.Http2ServerRequest,
  response: http.ServerResponse | http2.Http2ServerResponse,
) => void;

/** The first bytes of every HTTP/2 connection with prior knowledge (RFC 9113 §3.4). */
const HTTP2_PREFACE = 'PRI * HTTP/2.0';

/**
 * How long a connection may take over each part of a request, and how many
 * one client may hold open. The answer itself is never timed: a long stream
 * (an SSE answer, an event stream) runs as long as it needs.
 */
export interface ConnectionLimits {
  /**
   * From a connection's first moment until its first request's headers are
   * complete (this covers the protocol sniff); for a later request on a
   * keep-alive connection, from when its first bytes are seen.
   */
  headersMs: number;
  /** The longest pause while a request body arrives. */
  bodyMs: number;
  /** A connection with no request in progress: an HTTP/1.1 keep-alive connection, or an HTTP/2 session with no open stream. */
  idleMs: number;
  /** Connections one client address may hold open at once; one more is closed at once. 0: no cap. */
  maxConnectionsPerClient: number;
  /**
   * Streams one HTTP/2 connection may have open at once (its SETTINGS_MAX_CONCURRENT_STREAMS);
   * a client that opens more gets its extra streams refused by HTTP/2 itself. 0: Node's default
   * (no practical limit), which lets one connection get past `maxConnectionsPerClient`.
   */
  maxStreamsPerConnection: number;
}

/**
 * Node answers slow headers after 60 s and nginx after 60 s; 30 s is ample
 * for any real client. The keep-alive idle time stays above the 60 s idle
 * timeout of common load balancers (AWS ALB), so a balancer never reuses a
 * connection the gateway is closing. A body pause of 60 s is nginx's
 * `client_body_timeout`.
 */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersMs: 30_000,
  bodyMs: 60_000,
  idleMs: 65_000,
  // The gateway's configuration caps clients (server.maxConnectionsPerClient, 256); the emulator, a
  // local test tool whose one client is the gateway's connection pool, does not.
  maxConnectionsPerClient: 0,
  maxStreamsPerConnection: 0,
};

/** An error answer's body and headers (besides length and connection), in the shape the path's clients read. */
export type ErrorRenderer = (
  status: number,
  message: string,
  path: string | undefined,
) => { headers: Record<string, string>; body: string };

/** An Anthropic-style error body: the shape every client of the gateway can at least read (no path known). */
const anthropicShape: ErrorRenderer = (_status, message) => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message } }),
});

/** The listener's certificate and key (PEM), and optionally the CA certificates that issued it. */
export interface ListenerTls {
  cert: string | Buffer;
  key: string | Buffer;
  ca?: string | Buffer;
}

export interface DualProtocolServerOptions extends Partial<ConnectionLimits> {
  /** Serve HTTPS instead: ALPN picks h2 or http/1.1 on each connection (a client without ALPN gets HTTP/1.1). */
  tls?: ListenerTls;
  /** Renders the errors this layer answers itself (parser refusals, timeouts) for the request's path. */
  renderError?: ErrorRenderer;
  /** How often open HTTP/2 sessions are checked for a connection error nghttp2 answered on its own (tests shorten it). */
  sessionCheckMs?: number;
  /** Peers `maxConnectionsPerClient` does not count: the trusted proxies, which carry many clients' connections. */
  uncapped?: (address: string) => boolean;
}

export interface DualProtocolServer {
  /** The listening server: a `tls.Server` with `tls`, else a `net.Server`. */
  server: net.Server;
  http1: http.Server;
  http2: http2.Http2Server;
  /** Stops accepting connections; resolves once every open connection is gone (after `forceAfterMs`, they are cut; `Infinity`: never, see `cut`). */
  close(forceAfterMs?: number): Promise<void>;
  /** Ends every open connection now: what was written is flushed (for up to `flushMs`), then the socket is closed. */
  cut(flushMs?: number): void;
}

const timedOutBodies = new WeakSet<object>();

/**
 * Whether the server cut this request because its body stopped arriving (it
 * has answered 408), so its handler can log a timeout rather than a client
 * that went away.
 */
export function bodyTimedOut(request: object): boolean {
  return timedOutBodies.has(request);
}

/** A whole HTTP/1.1 error answer written straight to a socket (no request object exists, or it is unusable). */
function rawErrorResponse(status: number, message: string, render: ErrorRenderer, path?: string): string {
  const { headers, body } = render(status, message, path);
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return (
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\n` +
    lines.join('') +
    `content-length: ${Buffer.byteLength(body)}\r\n` +
    'connection: close\r\n\r\n' +
    body
  );
}

/** The request target of a raw HTTP/1.x request, when its first line arrived whole. */
function pathOfRawRequest(raw: Buffer | undefined): string | undefined {
  const line = raw?.subarray(0, Math.min(raw.length, 8192)).toString('latin1').split('\r\n', 1)[0];
  const target = line?.split(' ')[1];
  return target?.startsWith('/') ? target.split('?')[0] : undefined;
}

/** Writes a last answer, then closes the socket once it is flushed (or at once if it cannot be written). */
function answerAndClose(
  socket: net.Socket,
  status: number,
  message: string,
  render: ErrorRenderer,
  path?: string,
): void {
  if (socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(rawErrorResponse(status, message, render, path), () => socket.destroy());
  setTimeout(() => socket.destroy(), 1_000).unref();
}

/**
 * What Node's HTTP/1.1 parser refused, in words a client's developer can act
 * on: the status (431 for oversized headers) and the message.
 */
export function describeParseError(error: NodeJS.ErrnoException & { reason?: string }): {
  status: number;
  message: string;
} {
  const reason = error.reason ?? '';
  const detail = reason ? ` (${reason})` : '';
  // llhttp reports Transfer-Encoding with Content-Length under whichever header came second.
  if (
    error.code === 'HPE_UNEXPECTED_CONTENT_LENGTH' ||
    ((error.code === 'HPE_INVALID_TRANSFER_ENCODING' || error.code === 'HPE_INVALID_CONTENT_LENGTH') &&
      /can't be present with/.test(reason))
  ) {
    return {
      status: 400,
      message:
        'The request has both Transfer-Encoding and Content-Length, so its body length is ambiguous. Send only one of them.',
    };
  }
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        message: `The request line and headers are larger than the ${http.maxHeaderSize} bytes the gateway accepts. Send fewer or smaller headers.`,
      };
    case 'HPE_INVALID_HEADER_TOKEN':
      return {
        status: 400,
        message: `A request header contains a character HTTP does not allow there: a CR, LF or NUL in a value, or a space or separator in a name${detail}. Remove it.`,
      };
    case 'HPE_INVALID_TRANSFER_ENCODING':
      return {
        status: 400,
        message: `The request's Transfer-Encoding is not valid${detail}: "chunked" must be its last coding.`,
      };
    case 'HPE_INVALID_CONTENT_LENGTH':
      return {
        status: 400,
        message: `The request's Content-Length is not valid${detail}: it must be one decimal number.`,
      };
    case 'HPE_INVALID_METHOD':
      return { status: 400, message: `The request method is not an HTTP method the gateway knows${detail}.` };
    case 'HPE_INVALID_URL':
      return { status: 400, message: `The request target (the path) is not valid${detail}.` };
    case 'HPE_INVALID_VERSION':
      return { status: 400, message: `The request's HTTP version is not valid${detail}; send HTTP/1.1.` };
    case 'HPE_INVALID_CHUNK_SIZE':
      return { status: 400, message: `A chunk size in the request's chunked body is not valid${detail}.` };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, message: 'The request did not arrive in time.' };
    default:
      return {
        status: 400,
        message: `The request is not valid HTTP/1.1${detail || (error.code ? ` (${error.code})` : '')}.`,
      };
  }
}

/** One client for the per-client cap: an IPv4 address however it arrived. */
function clientOf(socket: net.Socket): string {
  const address = socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** One accepted connection and the one timer that bounds whatever it is waiting for. */
interface Connection {
  socket: net.Socket;
  timer: NodeJS.Timeout | undefined;
  protocol: 'unknown' | 'http1' | 'http2';
  /** HTTP/1.1 requests received and not yet answered. */
  active: number;
  /** `socket.bytesRead` when the current wait began: bytes since mean the client is still sending. */
  bytesAt: number;
}

function arm(connection: Connection, ms: number, fire: () => void): void {
  if (connection.timer) clearTimeout(connection.timer);
  connection.timer = undefined;
  if (ms <= 0 || !Number.isFinite(ms) || connection.socket.destroyed) return;
  connection.timer = setTimeout(fire, ms);
  connection.timer.unref();
}

function disarm(connection: Connection): void {
  if (connection.timer) clearTimeout(connection.timer);
  connection.timer = undefined;
}

/** Whether an HTTP/2 stream has received its END_STREAM, whether or not its handler has read the body yet. */
function receivedWhole(stream: http2.ServerHttp2Stream): boolean {
  const state = (stream as unknown as { _readableState?: { ended?: boolean } })._readableState;
  return stream.readableEnded || state?.ended === true;
}

/**
 * One TCP port serving HTTP/1.1 and cleartext HTTP/2 (prior knowledge).
 *
 * Node's `http2.createServer({ allowHTTP1 })` (20 to 26) only falls back over TLS, but
 * the AWS SDK v3 for Bedrock runtime speaks HTTP/2 even to an `http://`
 * endpoint, while curl, the Anthropic SDKs and Claude Code speak HTTP/1.1. So
 * each connection's first bytes decide which server gets it.
 *
 * Sockets handed over with `emit('connection')` never pass through the
 * servers' own accept, so Node's header and request timers never run on
 * them: this server times each connection itself (`ConnectionLimits`),
 * answers what Node's parser refuses with a readable error, and closes an
 * HTTP/2 connection once nghttp2 has answered a connection error with GOAWAY
 * (RFC 9113 §5.4.1), which Node leaves open.
 *
 * With `tls` the port serves HTTPS instead, and ALPN (h2, http/1.1) picks the
 * server, as `http2.createSecureServer({ allowHTTP1 })` would; the decrypted
 * sockets go to the same two servers, so the same limits, timers and stop apply.
 */
export function createDualProtocolServer(
  listener: Listener,
  options: DualProtocolServerOptions = {},
): DualProtocolServer {
  const limits: ConnectionLimits = { ...DEFAULT_CONNECTION_LIMITS };
  const render = options.renderError ?? anthropicShape;
  for (const key of Object.keys(DEFAULT_CONNECTION_LIMITS) as (keyof ConnectionLimits)[]) {
    const value = options[key];
    if (value !== undefined) limits[key] = value;
  }
  const http1 = http.createServer({ keepAliveTimeout: limits.idleMs, requestTimeout: 0 });
  const h2 = http2.createServer(
    limits.maxStreamsPerConnection > 0
      ? { settings: { maxConcurrentStreams: limits.maxStreamsPerConnection } }
      : {},
  );
  const connections = new Map<net.Socket, Connection>();
  const perClient = new Map<string, number>();
  const sessions = new Set<http2.ServerHttp2Session>();
  /** The connection being handed to the HTTP/2 server (its 'session' event fires synchronously). */
  let handingOver: Connection | undefined;

  // A request that never completes its headers: a 408 if it sent anything, else just close.
  const headersExpired = (connection: Connection) => {
    if (connection.active > 0 || connection.protocol === 'http2') return;
    if (connection.protocol === 'http1' && connection.socket.bytesRead > connection.bytesAt) {
      answerAndClose(
        connection.socket,
        408,
        `The request headers did not arrive within ${limits.headersMs} ms; the connection is closed.`,
        render,
      );
    } else {
      connection.socket.destroy();
    }
  };

  // HTTP/1.1 keep-alive: idle until the next request. Bytes seen meanwhile start that request's header clock.
  const waitForNextRequest = (connection: Connection) => {
    connection.bytesAt = connection.socket.bytesRead;
    arm(connection, limits.idleMs, () => {
      if (connection.active > 0) return;
      if (connection.socket.bytesRead === connection.bytesAt) {
        connection.socket.destroy();
        return;
      }
      connection.bytesAt = connection.socket.bytesRead - 1;
      arm(connection, limits.headersMs, () => headersExpired(connection));
    });
  };

  // Registered before the request listener, so the timers are set before any answer can finish.
  http1.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
    const connection = connections.get(request.socket);
    if (!connection) return;
    connection.active += 1;
    let answered = false;
    const done = () => {
      if (answered) return;
      answered = true;
      connection.active -= 1;
      if (connection.active === 0 && !connection.socket.destroyed) waitForNextRequest(connection);
    };
    response.once('finish', done);
    response.once('close', done);
    // The body: each `bodyMs` without a new byte ends it. Once it is complete the answer runs untimed.
    connection.bytesAt = connection.socket.bytesRead;
    arm(connection, limits.bodyMs, function check() {
      if (request.complete || response.writableEnded || answered) return;
      const read = connection.socket.bytesRead;
      if (read > connection.bytesAt) {
        connection.bytesAt = read;
        arm(connection, limits.bodyMs, check);
        return;
      }
      timedOutBodies.add(request);
      const message = `The request body stopped arriving: nothing for ${limits.bodyMs} ms before it was complete. The connection is closed.`;
      // Destroyed, the request tells its reader (which bodyTimedOut lets tell a timeout from a client that left).
      const cut = () => {
        connection.socket.destroy();
        request.destroy();
      };
      if (response.headersSent) {
        cut();
        return;
      }
      const { headers, body } = render(408, message, request.url);
      response.writeHead(408, {
        ...headers,
        'content-length': String(Buffer.byteLength(body)),
        connection: 'close',
      });
      response.end(body, cut);
      setTimeout(cut, 1_000).unref();
    });
    request.once('end', () => {
      if (connection.active === 1 && !answered) disarm(connection);
    });
  });
  http1.on('request', listener);

  // What Node's parser refuses (CR/LF/NUL in a header, Transfer-Encoding with Content-Length, an
  // unknown method, oversized headers) gets a readable error instead of Node's empty 400.
  http1.on('clientError', (error: NodeJS.ErrnoException & { reason?: string }, socket: net.Socket) => {
    const pending = (socket as net.Socket & { _httpMessage?: http.ServerResponse })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || pending?.headersSent) {
      socket.destroy();
      return;
    }
    const { status, message } = describeParseError(error);
    // A request whose headers were read (its body then broke off) names its path; else the raw bytes may.
    const raw = (error as { rawPacket?: Buffer }).rawPacket;
    const path = (pending as (http.ServerResponse & { req?: http.IncomingMessage }) | undefined)?.req?.url;
    answerAndClose(socket, status, message, render, path ?? pathOfRawRequest(raw));
  });

  h2.on('session', (session: http2.ServerHttp2Session) => {
    const connection = handingOver;
    if (!connection) return;
    connection.protocol = 'http2';
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    session.on('error', () => session.destroy());
    let open = 0;
    const idle = (ms: number) =>
      arm(connection, ms, () => {
        if (open > 0) return;
        session.close();
        setTimeout(() => connection.socket.destroy(), 1_000).unref();
      });
    // The first request's headers must come within headersMs; between requests, idleMs.
    idle(limits.headersMs);
    session.on('stream', (stream: http2.ServerHttp2Stream) => {
      open += 1;
      disarm(connection);
      stream.once('close', () => {
        open -= 1;
        if (open === 0 && !session.destroyed) idle(limits.idleMs);
      });
    });
  });
  h2.on('request', (request: http2.Http2ServerRequest, response: http2.Http2ServerResponse) => {
    const stream = request.stream;
    if (stream.endAfterHeaders || limits.bodyMs <= 0) return;
    // Any DATA frame refreshes the stream's timer; it is cleared once the body is in or an answer is sent.
    const stop = () => stream.setTimeout(0);
    stream.setTimeout(limits.bodyMs, () => {
      if (receivedWhole(stream) || response.headersSent) {
        stop();
        return;
      }
      timedOutBodies.add(request);
      const { headers, body } = render(
        408,
        `The request body stopped arriving: nothing for ${limits.bodyMs} ms before it was complete. The stream is closed.`,
        request.url,
      );
      response.writeHead(408, headers);
      response.end(body, () => {
        stream.close(http2.constants.NGHTTP2_CANCEL);
        request.destroy();
      });
    });
    request.once('end', stop);
    response.once('finish', stop);
  });
  h2.on('request', listener);

  // nghttp2 answers a connection error (a DATA frame on stream 0, a bad SETTINGS value…) with
  // GOAWAY and stops reading, but Node is not told and keeps the socket open: find such sessions.
  const sessionCheck = setInterval(() => {
    for (const session of sessions) {
      const handle = (session as unknown as Record<symbol, { hasPendingData?: () => boolean } | undefined>)[
        kHandleOf(session)
      ];
      if (handle?.hasPendingData && !handle.hasPendingData()) session.destroy();
    }
  }, options.sessionCheckMs ?? 1_000);
  sessionCheck.unref();

  /** Counts a client's new connection; false when it already holds its cap (the caller closes it). */
  const admit = (socket: net.Socket): boolean => {
    if (limits.maxConnectionsPerClient <= 0) return true;
    const client = clientOf(socket);
    if (options.uncapped?.(client)) return true;
    const count = perClient.get(client) ?? 0;
    if (count >= limits.maxConnectionsPerClient) return false;
    perClient.set(client, count + 1);
    socket.once('close', () => {
      const left = (perClient.get(client) ?? 1) - 1;
      if (left > 0) perClient.set(client, left);
      else perClient.delete(client);
    });
    return true;
  };

  /** Tracks a connection (cleartext, or TLS once its handshake is done) from now until it closes. */
  const track = (socket: net.Socket): Connection => {
    const connection: Connection = { socket, timer: undefined, protocol: 'unknown', active: 0, bytesAt: 0 };
    connections.set(socket, connection);
    socket.once('close', () => {
      disarm(connection);
      connections.delete(socket);
    });
    socket.on('error', () => socket.destroy());
    return connection;
  };

  const toHttp2 = (connection: Connection) => {
    handingOver = connection;
    try {
      h2.emit('connection', connection.socket);
    } finally {
      handingOver = undefined;
    }
  };

  /** TCP connections whose TLS handshake is not done yet (a forced close ends them too). */
  const handshaking = new Set<net.Socket>();
  let server: net.Server;
  if (options.tls) {
    // ALPN decides the protocol, so nothing is sniffed. The handshake counts against the headers deadline;
    // the first request's headers get a fresh one once it is done.
    server = tls.createServer({
      cert: options.tls.cert,
      key: options.tls.key,
      ...(options.tls.ca ? { ca: options.tls.ca } : {}),
      ALPNProtocols: ['h2', 'http/1.1'],
      handshakeTimeout: limits.headersMs > 0 ? limits.headersMs : 120_000,
    });
    server.on('connection', (raw: net.Socket) => {
      raw.setNoDelay(true);
      if (!admit(raw)) {
        raw.destroy();
        return;
      }
      handshaking.add(raw);
      raw.once('close', () => handshaking.delete(raw));
    });
    // A failed handshake (a cleartext client, an untrusted certificate) only closes that connection.
    server.on('tlsClientError', (_error: Error, socket: tls.TLSSocket) => socket.destroy());
    server.on('secureConnection', (socket: tls.TLSSocket) => {
      const raw = (socket as unknown as { _parent?: net.Socket })._parent;
      if (raw) handshaking.delete(raw);
      const connection = track(socket);
      arm(connection, limits.headersMs, () => headersExpired(connection));
      if (socket.alpnProtocol === 'h2') {
        toHttp2(connection);
      } else {
        connection.protocol = 'http1';
        http1.emit('connection', socket);
      }
    });
  } else {
    // noDelay: sockets accepted here never pass through http.Server's own accept, which would set it;
    // without it Nagle holds back small writes (each stream event) while an earlier one is unacknowledged.
    server = net.createServer({ noDelay: true }, (socket) => {
      if (!admit(socket)) {
        socket.destroy();
        return;
      }
      sniffProtocol(track(socket));
    });
  }
  server.once('close', () => clearInterval(sessionCheck));

  function sniffProtocol(connection: Connection): void {
    const socket = connection.socket;
    // The sniff and the first request's headers share one deadline.
    arm(connection, limits.headersMs, () => headersExpired(connection));
    let sniffed: Buffer = Buffer.alloc(0);
    const sniff = (chunk: Buffer) => {
      sniffed = sniffed.length === 0 ? chunk : Buffer.concat([sniffed, chunk]);
      const head = sniffed.toString('latin1', 0, HTTP2_PREFACE.length);
      // A first packet shorter than the preface that could still be it: wait for more.
      if (head.length < HTTP2_PREFACE.length && HTTP2_PREFACE.startsWith(head)) return;
      socket.off('data', sniff);
      socket.pause();
      socket.unshift(sniffed);
      if (head === HTTP2_PREFACE) {
        toHttp2(connection);
      } else {
        connection.protocol = 'http1';
        http1.emit('connection', socket);
      }
      process.nextTick(() => socket.resume());
    };
    socket.on('data', sniff);
  }

  // HTTP/2 writes go from nghttp2 straight to the socket, unseen here: a session's close sends what
  // it holds, then GOAWAY; an HTTP/1.1 socket ends after its buffered writes.
  const cut = (flushMs = 1_000) => {
    for (const socket of handshaking) socket.destroy();
    for (const session of sessions) session.close();
    for (const [socket, connection] of connections) {
      if (connection.protocol !== 'http2') socket.end();
      setTimeout(() => socket.destroy(), flushMs).unref();
    }
  };
  return {
    server,
    http1,
    http2: h2,
    cut,
    close(forceAfterMs = 0) {
      return new Promise((resolve) => {
        server.close(() => resolve());
        http1.closeIdleConnections();
        h2.close();
        const force = () => {
          for (const socket of connections.keys()) socket.destroy();
          for (const socket of handshaking) socket.destroy();
        };
        if (forceAfterMs <= 0) force();
        else if (Number.isFinite(forceAfterMs)) setTimeout(force, forceAfterMs).unref();
      });
    },
  };
}

let kHandle: symbol | undefined;

/** Node's internal handle of an HTTP/2 session (its `hasPendingData` says whether nghttp2 still wants to read or write). */
function kHandleOf(session: http2.ServerHttp2Session): symbol {
  kHandle ??= Object.getOwnPropertySymbols(session).find((symbol) => symbol.description === 'kHandle');
  return kHandle ?? Symbol('none');
}
