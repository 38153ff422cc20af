/**
 * A gateway behind proxies it trusts (`server.trustedProxies`): the client
 * address in the activity log and the failed sign-in count come from
 * `X-Forwarded-For`, read from the right and only from a trusted peer, and
 * the proxies' own connections are not capped per client. Without the key
 * the header is never read.
 */

import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../config/load.js';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';

let setup: TestGateway | undefined;
const sockets: net.Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await setup?.close();
  setup = undefined;
});

const LOOPBACK = ['127.0.0.1', '::1'];
const ADMIN_KEY = 'admin-key-behind-a-proxy-0123456789';

async function ask(gateway: TestGateway, forwardedFor?: string): Promise<string | undefined> {
  const response = await fetch(`${gateway.url}/v1/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
    body: JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 20,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  await response.arrayBuffer();
  expect(response.status).toBe(200);
  const { request } = await gateway.activity(response.headers.get('x-claude-gateway-request-id') ?? '');
  return request?.clientAddress;
}

function signIn(gateway: TestGateway, forwardedFor: string): Promise<Response> {
  return fetch(`${gateway.url}/ui/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ adminKey: 'not-the-admin-key' }),
  });
}

describe('server.trustedProxies', () => {
  it('logs the forwarded client, read from the right, only when the peer is trusted', async () => {
    setup = await startTestGateway({
      config: { server: { trustedProxies: LOOPBACK }, routes: [{ models: ['*'], targets: ['anthropic'] }] },
    });
    // The left entry is the client's own claim: the proxy appended what it saw after it.
    expect(await ask(setup, '198.51.100.1, 203.0.113.9')).toBe('203.0.113.9');
    expect(await ask(setup)).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
  });

  it('never reads the header without the key', async () => {
    setup = await startTestGateway({ config: { routes: [{ models: ['*'], targets: ['anthropic'] }] } });
    expect(await ask(setup, '203.0.113.9')).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
  });

  it('counts failed sign-ins per forwarded client, so one client cannot lock out the rest', async () => {
    setup = await startTestGateway({ config: { server: { adminKey: ADMIN_KEY, trustedProxies: LOOPBACK } } });
    const gateway = setup;
    const failures = await Promise.all(Array.from({ length: 10 }, () => signIn(gateway, '203.0.113.9')));
    expect(failures.map((response) => response.status)).toEqual(Array(10).fill(401));
    const blocked = await signIn(gateway, '203.0.113.9');
    expect(blocked.status).toBe(429);
    expect(((await blocked.json()) as { error: { message: string } }).error.message).toMatch(
      /Too many failed sign-ins from your address/,
    );
    const other = await signIn(gateway, '198.51.100.7');
    expect(other.status).toBe(401);
  });

  it('does not cap the connections of a trusted proxy', async () => {
    setup = await startTestGateway({
      config: { server: { maxConnectionsPerClient: 1, trustedProxies: LOOPBACK } },
    });
    const { port } = new URL(setup.url);
    const answers = await Promise.all(
      [0, 1, 2].map(async () => {
        const socket = net.connect(Number(port), '127.0.0.1');
        sockets.push(socket);
        socket.on('error', () => undefined);
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        return socket;
      }),
    ).then((open) =>
      Promise.all(
        open.map(
          (socket) =>
            new Promise<string>((resolve) => {
              let received = '';
              socket.on('data', (chunk: Buffer) => {
                received += chunk.toString('utf8');
                if (received.includes('"ok"')) resolve(received);
              });
              socket.once('close', () => resolve(received));
              socket.write('GET /healthz HTTP/1.1\r\nhost: gateway\r\n\r\n');
            }),
        ),
      ),
    );
    for (const answer of answers) expect(answer).toMatch(/^HTTP\/1\.1 200/);
  });

  it('refuses an entry that is not an address or a subnet, naming the key', () => {
    try {
      parseConfig({ server: { trustedProxies: ['10.0.0.0/8', 'my-load-balancer'] } });
      throw new Error('expected a ConfigError');
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      expect(error.problems.join('\n')).toMatch(
        /server\.trustedProxies\.1: "my-load-balancer" is not an IP address or a CIDR subnet/,
      );
    }
  });
});
