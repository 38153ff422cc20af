import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';

type Listener = (
  request: http.IncomingMessage | http2.Http2ServerRequest,
  response: http.ServerResponse | http2.Http2ServerResponse,
) => void;

/** The first bytes of every HTTP/2 connection with prior knowledge (RFC 9113 §3.4). */
const HTTP2_PREFACE = 'PRI * HTTP/2.0';

export interface DualProtocolServer {
  server: net.Server;
  http1: http.Server;
  http2: http2.Http2Server;
  /** Stops accepting connections; resolves once every open connection is gone (after `forceAfterMs`, they are cut). */
  close(forceAfterMs?: number): Promise<void>;
}

/**
 * One TCP port serving HTTP/1.1 and cleartext HTTP/2 (prior knowledge).
 *
 * Node 20's `http2.createServer({ allowHTTP1 })` only falls back over TLS, but
 * the AWS SDK v3 for Bedrock runtime speaks HTTP/2 even to an `http://`
 * endpoint, while curl, the Anthropic SDKs and Claude Code speak HTTP/1.1. So
 * each connection's first bytes decide which server gets it.
 */
export function createDualProtocolServer(listener: Listener): DualProtocolServer {
  const http1 = http.createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, listener);
  const h2 = http2.createServer({}, listener);
  const sockets = new Set<net.Socket>();
  // noDelay: sockets accepted here never pass through http.Server's own accept, which would set it;
  // without it Nagle holds back small writes (each stream event) while an earlier one is unacknowledged.
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      const target = first.toString('latin1', 0, HTTP2_PREFACE.length) === HTTP2_PREFACE ? h2 : http1;
      target.emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  return {
    server,
    http1,
    http2: h2,
    close(forceAfterMs = 0) {
      return new Promise((resolve) => {
        server.close(() => resolve());
        http1.closeIdleConnections();
        h2.close();
        const cut = () => {
          for (const socket of sockets) socket.destroy();
        };
        if (forceAfterMs <= 0) cut();
        else setTimeout(cut, forceAfterMs).unref();
      });
    },
  };
}
