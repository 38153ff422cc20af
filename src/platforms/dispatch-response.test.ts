/**
 * Upstream calls through undici's `dispatch` with our own handler: the answer
 * as `request()` gave it (status, headers, body chunks, text), backpressure on
 * a fast body, and a discarded or aborted call closing its connection.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchRequest } from './dispatch-response.js';

let server: Server;
let base = '';
const agent = new Agent();
const closed: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.url === '/stall') {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('event: ping\n\n');
        response.on('close', () => closed.push('/stall'));
        return;
      }
      if (request.url === '/big') {
        response.writeHead(200);
        // 2 MB at once: more than the read-ahead, so the connection is paused until the reader catches up.
        response.end(Buffer.alloc(2 * 1024 * 1024, 0x61));
        return;
      }
      response.writeHead(201, { 'x-one': 'a', 'set-cookie': ['c=1', 'd=2'] });
      response.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await agent.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('dispatchRequest', () => {
  it('gives the status, every header and the body', async () => {
    const answer = await dispatchRequest(
      agent,
      { method: 'POST', url: `${base}/v1/messages?beta=true`, headers: {}, body: '{}' },
      undefined,
    );
    expect(answer.status).toBe(201);
    expect(answer.headers.get('x-one')).toBe('a');
    expect(answer.headers.getSetCookie()).toEqual(['c=1', 'd=2']);
    expect(await answer.text()).toBe('{"ok":true}');
  });

  it('reads a body larger than its read-ahead completely, in order', async () => {
    const answer = await dispatchRequest(
      agent,
      { method: 'GET', url: `${base}/big`, headers: {} },
      undefined,
    );
    let total = 0;
    for await (const chunk of answer.body) {
      total += chunk.byteLength;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(total).toBe(2 * 1024 * 1024);
  });

  it('closes the connection when the body is discarded or the call aborted mid-stream', async () => {
    const answer = await dispatchRequest(
      agent,
      { method: 'GET', url: `${base}/stall`, headers: {} },
      undefined,
    );
    const iterator = answer.body[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    const next = iterator.next();
    answer.discard();
    await expect(next).rejects.toThrow(/aborted/i);
    await expect.poll(() => closed.length).toBe(1);

    const controller = new AbortController();
    const second = await dispatchRequest(
      agent,
      { method: 'GET', url: `${base}/stall`, headers: {} },
      controller.signal,
    );
    const reading = (async () => {
      for await (const _chunk of second.body);
    })();
    controller.abort();
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    await expect.poll(() => closed.length).toBe(2);
  });

  it('refuses at once when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      dispatchRequest(agent, { method: 'GET', url: `${base}/`, headers: {} }, controller.signal),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});
