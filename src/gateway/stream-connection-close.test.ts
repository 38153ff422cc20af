/**
 * A streamed answer obeys the client's connection handling: with
 * `Connection: close` (and from an HTTP/1.0 client, such as nginx with its
 * default `proxy_http_version 1.0`) the gateway closes the connection when
 * the stream ends. Found by the fuzzer: the SSE headers set
 * `connection: keep-alive` by hand, which overrode both, so an HTTP/1.0
 * client never saw its stream end.
 */

import net from 'node:net';
import { expect, it } from 'vitest';
import { useTestGateway } from '../test-support/gateway.js';

const gateway = useTestGateway({ config: { server: { clientTimeouts: { idleMs: 60_000 } } } });

/** Sends raw bytes; resolves with everything received once the gateway closes, or what came within `ms`. */
function exchange(request: string, ms: number): Promise<{ text: string; closed: boolean }> {
  const { hostname, port } = new URL(gateway().url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('utf8'), closed });
    };
    const timer = setTimeout(() => done(false), ms);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('end', () => done(true));
    socket.once('error', () => done(true));
    socket.once('connect', () => socket.write(request));
  });
}

function streamRequest(version: '1.0' | '1.1', connection?: string): string {
  const body = JSON.stringify({
    model: 'haiku',
    max_tokens: 32,
    stream: true,
    messages: [{ role: 'user', content: 'hello' }],
  });
  return (
    `POST /v1/messages HTTP/${version}\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
    `${connection ? `connection: ${connection}\r\n` : ''}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

it('closes the connection after a stream when an HTTP/1.1 client sent Connection: close', async () => {
  const answer = await exchange(streamRequest('1.1', 'close'), 10_000);
  expect(answer.text).toMatch(/^HTTP\/1\.1 200/);
  expect(answer.text).toMatch(/\r\nconnection: close\r\n/i);
  expect(answer.text).toContain('event: message_stop');
  expect(answer.closed).toBe(true);
});

it('ends a stream to an HTTP/1.0 client by closing the connection', async () => {
  const answer = await exchange(streamRequest('1.0'), 10_000);
  expect(answer.text).toMatch(/^HTTP\/1\.1 200/);
  expect(answer.text).not.toMatch(/\r\nconnection: keep-alive\r\n/i);
  expect(answer.text).toContain('event: message_stop');
  expect(answer.closed).toBe(true);
});

it('keeps an HTTP/1.1 connection alive after a stream by default', async () => {
  const answer = await exchange(streamRequest('1.1'), 2_000);
  expect(answer.text).toContain('event: message_stop');
  expect(answer.text).not.toMatch(/\r\nconnection: close\r\n/i);
  expect(answer.closed).toBe(false);
});
