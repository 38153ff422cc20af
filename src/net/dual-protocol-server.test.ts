/**
 * The dual-protocol server's connection limits, over raw sockets and Node's
 * HTTP/2 client: connections that never send a byte, trickle their headers
 * or stop sending their body are closed; idle keep-alive connections and
 * HTTP/2 sessions are closed; a long streamed answer is never cut; one
 * client's connections are capped; what Node's parser refuses is answered
 * with a readable error; an HTTP/2 connection error closes the socket.
 * Timeouts are small so the tests run fast; they check what happens (the
 * socket closed, the answer sent), never how long it took.
 */

import type http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SelfSignedCert, selfSignedCert } from '../test-support/self-signed.js';
import {
  bodyTimedOut,
  createDualProtocolServer,
  type DualProtocolServer,
  type DualProtocolServerOptions,
} from './dual-protocol-server.js';

let running: DualProtocolServer | undefined;
const clients: { destroy(): void }[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await running?.close();
  running = undefined;
});

type Handler = Parameters<typeof createDualProtocolServer>[0];

/** Reads the body, then answers 200 with what it read; a streaming path writes `chunks` chunks `gapMs` apart. */
const echo: Handler = (request, response) => {
  const url = request.url ?? '/';
  if (url.startsWith('/stream')) {
    const gapMs = Number(new URL(url, 'http://x').searchParams.get('gap') ?? 50);
    let left = Number(new URL(url, 'http://x').searchParams.get('chunks') ?? 5);
    (response as http.ServerResponse).writeHead(200, { 'content-type': 'text/event-stream' });
    const next = () => {
      if (left-- <= 0) {
        response.end('event: done\n\n');
        return;
      }
      (response as http.ServerResponse).write(`event: tick\ndata: ${left}\n\n`);
      setTimeout(next, gapMs);
    };
    next();
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    (response as http.ServerResponse).writeHead(200, { 'content-type': 'text/plain' });
    response.end(`read ${Buffer.concat(chunks).length}`);
  });
  request.once('close', () => {
    if (!request.complete) seenTimedOut.push(bodyTimedOut(request));
  });
};
const seenTimedOut: boolean[] = [];

async function start(options: DualProtocolServerOptions, handler: Handler = echo) {
  running = createDualProtocolServer(handler, options);
  const server = running.server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/** A raw TCP connection that records what it receives and when it is closed. */
async function connect(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  clients.push(socket);
  let received = '';
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    closed,
    get received() {
      return received;
    },
    get isClosed() {
      return socket.destroyed || socket.readableEnded;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until a condition holds (no timing asserted: the test's own timeout bounds it). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(10);
}

function bodyOf(raw: string): { type: string; error: { type: string; message: string } } {
  return JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
}

const small = { headersMs: 200, bodyMs: 200, idleMs: 200 };

describe('connection timeouts (HTTP/1.1)', () => {
  it('closes a connection that never sends a byte', async () => {
    const port = await start(small);
    const client = await connect(port);
    await client.closed;
    expect(client.received).toBe('');
  });

  it('answers 408 and closes a connection whose headers trickle in', async () => {
    const port = await start(small);
    const client = await connect(port);
    client.socket.write('POST /v1/messages HTTP/1.1\r\nHost: x\r\n');
    // One byte at a time, each well within any per-byte timer: only a deadline for the whole headers stops it.
    const trickle = setInterval(() => {
      if (!client.socket.destroyed) client.socket.write('x');
    }, 20);
    await client.closed;
    clearInterval(trickle);
    expect(client.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodyOf(client.received).error.message).toMatch(/headers did not arrive/);
  });

  it('answers 408 and closes a connection whose body stops arriving', async () => {
    seenTimedOut.length = 0;
    const port = await start(small);
    const client = await connect(port);
    client.socket.write('POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789');
    await client.closed;
    expect(client.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(client.received.toLowerCase()).toContain('connection: close');
    expect(bodyOf(client.received)).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringMatching(/body stopped arriving/) },
    });
    await until(() => seenTimedOut.length > 0);
    expect(seenTimedOut).toEqual([true]);
  });

  it('keeps a body that arrives slowly but steadily', async () => {
    const port = await start({ headersMs: 200, bodyMs: 200, idleMs: 10_000 });
    const client = await connect(port);
    client.socket.write('POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n');
    for (const part of ['abc', 'def', 'ghi', 'jkl']) {
      await sleep(100);
      client.socket.write(part);
    }
    await until(() => client.received.includes('read 12'));
    expect(client.received).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('closes an idle keep-alive connection after its answer', async () => {
    const port = await start(small);
    const client = await connect(port);
    client.socket.write('GET /ok HTTP/1.1\r\nHost: x\r\n\r\n');
    await client.closed;
    expect(client.received).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('never cuts a streamed answer, even with pauses longer than every timeout', async () => {
    const port = await start(small);
    const client = await connect(port);
    client.socket.write('GET /stream?chunks=4&gap=400 HTTP/1.1\r\nHost: x\r\n\r\n');
    await until(() => client.received.includes('event: done') || client.isClosed);
    expect(client.received.match(/event: tick/g)).toHaveLength(4);
    expect(client.received).toContain('event: done');
  });
});

describe('connections per client', () => {
  it('closes a connection over the cap at once and accepts one again when a slot frees', async () => {
    const port = await start({ maxConnectionsPerClient: 2, headersMs: 60_000 });
    const first = await connect(port);
    const second = await connect(port);
    const third = await connect(port);
    await third.closed;
    expect(third.received).toBe('');
    expect(first.isClosed || second.isClosed).toBe(false);
    first.socket.destroy();
    await first.closed;
    // The server sees the close after the client does: a new connection is accepted once it has.
    let fourth = await connect(port);
    while (await Promise.race([fourth.closed.then(() => true), sleep(100).then(() => false)])) {
      fourth = await connect(port);
    }
    fourth.socket.write('GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await fourth.closed;
    expect(fourth.received).toMatch(/^HTTP\/1\.1 200 /);
  });
});

describe("what Node's HTTP/1.1 parser refuses", () => {
  const cases: [string, string, number, RegExp][] = [
    [
      'a NUL in a header value',
      'GET / HTTP/1.1\r\nHost: x\r\nX-Bad: a\0b\r\n\r\n',
      400,
      /character HTTP does not allow/,
    ],
    ['a bare CR in a header value', 'GET / HTTP/1.1\r\nHost: x\r\nX-Bad: a\rb\r\n\r\n', 400, /./],
    [
      'Transfer-Encoding with Content-Length',
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
      400,
      /Transfer-Encoding and Content-Length/,
    ],
    ['an unknown method', 'BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n', 400, /method/],
    [
      'oversized headers',
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      /larger than/,
    ],
  ];
  for (const [name, request, status, message] of cases) {
    it(`answers ${status} with an Anthropic-style error for ${name}, then closes`, async () => {
      const port = await start({});
      const client = await connect(port);
      client.socket.write(request);
      await client.closed;
      expect(client.received).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(client.received.toLowerCase()).toContain('connection: close');
      expect(client.received.toLowerCase()).toContain('content-type: application/json');
      const body = bodyOf(client.received);
      expect(body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
      expect(body.error.message).toMatch(message);
    });
  }
});

describe('HTTP/2', () => {
  async function h2client(port: number) {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    clients.push(session);
    session.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));
    await new Promise<void>((resolve) => session.once('connect', () => resolve()));
    return { session, closed };
  }

  const announcedStreamCap = async (options: DualProtocolServerOptions) => {
    const port = await start(options);
    const session = http2.connect(`http://127.0.0.1:${port}`);
    clients.push(session);
    session.on('error', () => undefined);
    const settings = await new Promise<http2.Settings>((resolve) => session.once('remoteSettings', resolve));
    return settings.maxConcurrentStreams;
  };

  it('announces the stream cap in its SETTINGS', async () => {
    expect(await announcedStreamCap({ maxStreamsPerConnection: 3 })).toBe(3);
  });

  it('announces no practical stream cap without one', async () => {
    expect(await announcedStreamCap({})).toBeGreaterThan(1_000_000);
  });

  function get(session: http2.ClientHttp2Session, path: string, body?: string) {
    const stream = session.request(
      { ':method': body === undefined ? 'GET' : 'POST', ':path': path },
      { endStream: body === undefined },
    );
    if (body !== undefined) stream.write(body);
    let text = '';
    let status = 0;
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
    });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      text += chunk;
    });
    stream.on('error', () => undefined);
    const done = new Promise<{ status: number; text: string }>((resolve) =>
      stream.once('close', () => resolve({ status, text })),
    );
    return { stream, done };
  }

  it('closes a session with no open stream once it has been idle', async () => {
    const port = await start(small);
    const { session, closed } = await h2client(port);
    const answer = await get(session, '/ok').done;
    expect(answer.status).toBe(200);
    await closed;
  });

  it('never cuts a streamed answer on a session', async () => {
    const port = await start(small);
    const { session } = await h2client(port);
    const answer = await get(session, '/stream?chunks=4&gap=400').done;
    expect(answer.text.match(/event: tick/g)).toHaveLength(4);
    expect(answer.text).toContain('event: done');
  });

  it('answers 408 on a stream whose body stops arriving', async () => {
    const port = await start({ ...small, idleMs: 10_000 });
    const { session } = await h2client(port);
    const answer = await get(session, '/upload', 'part of a body').done;
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.text)).toMatchObject({
      type: 'error',
      error: { message: expect.stringMatching(/body stopped arriving/) },
    });
  });

  it('closes the socket after a connection error answered with GOAWAY (RFC 9113 §5.4.1)', async () => {
    const port = await start({ sessionCheckMs: 20 });
    const client = await connect(port);
    const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
    const settings = Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]);
    // A DATA frame on stream 0: a connection error of type PROTOCOL_ERROR (RFC 9113 §6.1).
    const dataOnStreamZero = Buffer.from([0, 0, 1, 0, 0, 0, 0, 0, 0, 0x41]);
    client.socket.write(Buffer.concat([preface, settings, dataOnStreamZero]));
    await client.closed;
    // The GOAWAY (frame type 7) came first.
    const bytes = Buffer.from(client.received, 'latin1');
    let offset = 0;
    const types: number[] = [];
    while (offset + 9 <= bytes.length) {
      types.push(bytes[offset + 3] as number);
      offset += 9 + bytes.readUIntBE(offset, 3);
    }
    expect(types).toContain(7);
  });
});

describe('over TLS (ALPN h2 and http/1.1)', () => {
  let files: SelfSignedCert;
  beforeAll(() => {
    files = selfSignedCert();
  });
  afterAll(() => files?.remove());
  const startTls = (options: DualProtocolServerOptions = {}) =>
    start({ ...options, tls: { cert: files.cert, key: files.key } });

  /** A TLS connection (handshake done) offering `protocols`, recording what it receives. */
  async function connectTls(port: number, protocols = ['http/1.1']) {
    const socket = tls.connect({ host: '127.0.0.1', port, ca: files.cert, ALPNProtocols: protocols });
    clients.push(socket);
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    return {
      socket,
      closed,
      get received() {
        return received;
      },
    };
  }

  it('answers HTTP/1.1, then closes the idle keep-alive connection', async () => {
    const port = await startTls(small);
    const client = await connectTls(port);
    expect(client.socket.alpnProtocol).toBe('http/1.1');
    client.socket.write('GET /ok HTTP/1.1\r\nHost: x\r\n\r\n');
    await client.closed;
    expect(client.received).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('closes a TLS connection that never sends a request, and a TCP one that never starts the handshake', async () => {
    const port = await startTls(small);
    const client = await connectTls(port);
    const raw = await connect(port);
    await client.closed;
    await raw.closed;
    expect(client.received).toBe('');
  });

  it('answers 408 when a body stops arriving', async () => {
    const port = await startTls(small);
    const client = await connectTls(port);
    client.socket.write('POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789');
    await client.closed;
    expect(client.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodyOf(client.received).error.message).toMatch(/body stopped arriving/);
  });

  it('answers HTTP/2 (h2 by ALPN), then closes the idle session', async () => {
    const port = await startTls(small);
    const session = http2.connect(`https://127.0.0.1:${port}`, { ca: files.cert });
    clients.push(session);
    session.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));
    const stream = session.request({ ':path': '/ok', ':method': 'POST' });
    stream.end('hello');
    let body = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      body += chunk;
    });
    const headers = await new Promise<http2.IncomingHttpHeaders>((resolve) =>
      stream.once('response', resolve),
    );
    await new Promise((resolve) => stream.once('end', resolve));
    expect(headers[':status']).toBe(200);
    expect(body).toBe('read 5');
    await closed;
  });

  it('caps connections per client, counting those still in their handshake', async () => {
    const port = await startTls({ maxConnectionsPerClient: 1, headersMs: 60_000 });
    const first = await connectTls(port);
    const second = await connect(port);
    await second.closed;
    first.socket.write('GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await first.closed;
    expect(first.received).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('close() ends open TLS connections, whether or not their handshake is done', async () => {
    const port = await startTls({ headersMs: 60_000, idleMs: 60_000 });
    const client = await connectTls(port);
    client.socket.write('GET /ok HTTP/1.1\r\nHost: x\r\n\r\n');
    await until(() => client.received.includes('read 0'));
    const raw = await connect(port);
    const server = running;
    running = undefined;
    await server?.close();
    await client.closed;
    await raw.closed;
  });

  it('cut() ends an HTTP/2 session over TLS after flushing what it wrote', async () => {
    const port = await startTls({ headersMs: 60_000, idleMs: 60_000 });
    const session = http2.connect(`https://127.0.0.1:${port}`, { ca: files.cert });
    clients.push(session);
    session.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));
    const stream = session.request({ ':path': '/ok' });
    stream.end();
    stream.resume();
    await new Promise((resolve) => stream.once('end', resolve));
    running?.cut(100);
    await closed;
  });
});
