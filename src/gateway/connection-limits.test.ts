/**
 * The gateway's client connection limits, set in the configuration
 * (`server.clientTimeouts`, `server.maxConnectionsPerClient`): a body that
 * stops arriving is answered 408 and logged as such (not as a client that
 * went away), idle connections are closed, one client's connections are
 * capped, and a long stream is never cut.
 */

import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';

let setup: TestGateway | undefined;
const sockets: net.Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await setup?.close();
  setup = undefined;
});

async function connect(url: string) {
  const { port } = new URL(url);
  const socket = net.connect(Number(port), '127.0.0.1');
  sockets.push(socket);
  let received = '';
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('utf8');
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return {
    socket,
    closed,
    get received() {
      return received;
    },
  };
}

/** Waits until a condition holds (no timing asserted: the test's own timeout bounds it). */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('client connection limits in the configuration', () => {
  it('has defaults, and names a bad key', () => {
    const config = parseConfig({}, {});
    expect(config.server.clientTimeouts).toEqual({ headersMs: 30_000, bodyMs: 60_000, idleMs: 65_000 });
    expect(config.server.maxConnectionsPerClient).toBe(256);
    expect(() => parseConfig({ server: { clientTimeouts: { headerMs: 5 } } }, {})).toThrow(/headerMs/);
  });

  it('answers a body that stops arriving with 408 and logs it as a timeout, not a client disconnect', async () => {
    setup = await startTestGateway({
      config: {
        server: { clientTimeouts: { bodyMs: 200 } },
        routes: [{ models: ['*'], targets: ['anthropic'] }],
      },
    });
    const client = await connect(setup.url);
    client.socket.write(
      'POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"model":',
    );
    await client.closed;
    expect(client.received).toMatch(/^HTTP\/1\.1 408 /);
    const { store } = setup;
    await until(async () => {
      await store.flush();
      return (await store.queryRequests()).length > 0;
    });
    const [row] = await store.queryRequests();
    expect(row).toMatchObject({ status: 408, clientDisconnected: false, errorType: 'timeout_error' });
    expect(row?.errorMessage).toMatch(/body stopped arriving/);
    expect(setup.gateway.context.requestsInFlight).toBe(0);
  });

  it('answers what the connection layer refuses in the dialect of the request path', async () => {
    setup = await startTestGateway({ config: { server: { clientTimeouts: { bodyMs: 200 } } } });
    // A Bedrock body that stops arriving: Bedrock's error shape (x-amzn-errortype, {"message"}).
    const bedrock = await connect(setup.url);
    bedrock.socket.write(
      'POST /model/us.anthropic.claude-opus-5-5/invoke HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"messages":',
    );
    await bedrock.closed;
    expect(bedrock.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(bedrock.received).toMatch(/x-amzn-errortype: \w+/i);
    expect(JSON.parse(bedrock.received.slice(bedrock.received.indexOf('\r\n\r\n') + 4))).toEqual({
      message: expect.stringMatching(/body stopped arriving/),
    });
    // A Bedrock request Node's parser refuses (a CR inside a header value): the path is read from the raw bytes.
    const refused = await connect(setup.url);
    refused.socket.write(
      'POST /model/us.anthropic.claude-opus-5-5/invoke HTTP/1.1\r\nHost: x\r\nX-Bad: a\rb\r\n\r\n',
    );
    await refused.closed;
    expect(refused.received).toMatch(/^HTTP\/1\.1 400 /);
    expect(refused.received).toMatch(/x-amzn-errortype: ValidationException/i);
    expect(JSON.parse(refused.received.slice(refused.received.indexOf('\r\n\r\n') + 4))).toEqual({
      message: expect.stringMatching(/not valid HTTP\/1\.1/),
    });
    // No path could be read: the Anthropic shape, which every client here can at least read.
    const garbled = await connect(setup.url);
    garbled.socket.write('\x00\x01 not http\r\n\r\n');
    await garbled.closed;
    expect(garbled.received).toContain('"type":"error"');
  });

  it('closes connections that send nothing, and caps one client', async () => {
    setup = await startTestGateway({
      config: {
        server: { clientTimeouts: { headersMs: 200 }, maxConnectionsPerClient: 1 },
        routes: [{ models: ['*'], targets: ['anthropic'] }],
      },
    });
    const silent = await connect(setup.url);
    const over = await connect(setup.url);
    await over.closed;
    expect(over.received).toBe('');
    await silent.closed;
    expect(silent.received).toBe('');
  });

  it('streams a whole answer whose events are further apart than every client timeout', async () => {
    setup = await startTestGateway({
      config: {
        server: { clientTimeouts: { headersMs: 100, bodyMs: 100, idleMs: 100 } },
        routes: [{ models: ['*'], targets: ['anthropic'] }],
      },
    });
    setup.emulator.state.faults.add({ kind: 'latency', platform: 'anthropic', delayMs: 150 });
    const response = await fetch(`${setup.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({
        model: 'claude-sonnet-4-5',
        max_tokens: 50,
        stream: true,
        messages: [{ role: 'user', content: 'slow' }],
      }),
    });
    const text = await response.text();
    expect(text).toContain('event: message_stop');
    expect(text).not.toContain('event: error');
  });
});
