/**
 * `server.tls`: the one port serves HTTPS, ALPN choosing HTTP/2 (the AWS SDK)
 * or HTTP/1.1 (the Anthropic SDK). The certificate is made at test time with
 * the openssl CLI, valid one day from then, for 127.0.0.1.
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import tls from 'node:tls';
import Anthropic from '@anthropic-ai/sdk';
import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { failureOf, startTestGateway, type TestGateway } from '../test-support/gateway.js';
import { type SelfSignedCert, selfSignedCert } from '../test-support/self-signed.js';
import { readListenerTls, StartupError } from './server.js';

let tlsFiles: SelfSignedCert;
let folder: string;
let certPath: string;
let keyPath: string;
let ca: Buffer;

beforeAll(() => {
  tlsFiles = selfSignedCert();
  ({ folder, certPath, keyPath, cert: ca } = tlsFiles);
});

afterAll(() => tlsFiles?.remove());

/** The protocol the gateway picks by ALPN for a client offering `protocols`. */
function negotiated(url: string, protocols: string[]): Promise<string | false> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: hostname, port: Number(port), ca, ALPNProtocols: protocols }, () => {
      resolve(socket.alpnProtocol ?? false);
      socket.end();
    });
    socket.once('error', reject);
  });
}

describe('a gateway with server.tls', () => {
  let setup: TestGateway;
  const agent = () => new Agent({ connect: { ca }, allowH2: false });
  beforeAll(async () => {
    setup = await startTestGateway({
      config: {
        server: { tls: { cert: certPath, key: keyPath } },
        routes: [
          { models: ['claude-sonnet-4-5'], targets: ['bedrock/global'] },
          { models: ['claude-haiku-4-5'], targets: ['anthropic'] },
        ],
      },
    });
  });
  afterAll(async () => {
    await setup?.close();
  });

  it('gives an https:// URL and picks h2 or http/1.1 by ALPN', async () => {
    expect(setup.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await negotiated(setup.url, ['h2', 'http/1.1'])).toBe('h2');
    expect(await negotiated(setup.url, ['http/1.1'])).toBe('http/1.1');
  });

  it('answers the Anthropic SDK over HTTP/1.1', async () => {
    const dispatcher = agent();
    try {
      const client = new Anthropic({
        baseURL: setup.url,
        apiKey: 'any-key-without-gateway-keys',
        maxRetries: 0,
        fetch: undiciFetch as unknown as typeof fetch,
        fetchOptions: { dispatcher } as Record<string, unknown>,
      });
      const message = await client.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'Hello over TLS' }],
      });
      expect(message.content[0]).toMatchObject({ type: 'text' });
      expect((message.content[0] as { text: string }).text).toContain('Hello over TLS');
    } finally {
      await dispatcher.close();
    }
  });

  it('answers the AWS SDK over HTTP/2', async () => {
    // The SDK's own HTTP/2 handler (http2.connect, ALPN h2 only), trusting the test certificate.
    const handler = new NodeHttp2Handler({ nodeHttp2ConnectOptions: { ca } });
    const client = new BedrockRuntimeClient({
      endpoint: setup.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDANYTHING', secretAccessKey: 'not-checked' },
      maxAttempts: 1,
      requestHandler: handler,
    });
    try {
      const answer = await client.send(
        new InvokeModelCommand({
          modelId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
          contentType: 'application/json',
          body: JSON.stringify({
            anthropic_version: 'bedrock-2023-05-31',
            max_tokens: 100,
            messages: [{ role: 'user', content: 'Hello from the AWS SDK over TLS' }],
          }),
        }),
      );
      const message = JSON.parse(new TextDecoder().decode(answer.body));
      expect(message.content[0].text).toContain('Hello from the AWS SDK over TLS');
    } finally {
      client.destroy();
    }
  });

  it('refuses a cleartext request on the TLS port without disturbing it', async () => {
    const cleartext = setup.url.replace('https://', 'http://');
    await failureOf(fetch(`${cleartext}/healthz`));
    const dispatcher = agent();
    try {
      const answer = await undiciFetch(`${setup.url}/healthz`, { dispatcher });
      expect(answer.status).toBe(200);
    } finally {
      await dispatcher.close();
    }
  });
});

describe('server.tls files', () => {
  const settings = (overrides: Record<string, string>) =>
    parseConfig({ server: { tls: { cert: certPath, key: keyPath, ...overrides } } }, {}, 'test configuration')
      .server.tls;

  it('stops the start naming the setting when a file cannot be read', () => {
    const missing = join(folder, 'missing.pem');
    expect(() => readListenerTls(settings({ cert: missing }))).toThrow(StartupError);
    expect(() => readListenerTls(settings({ cert: missing }))).toThrow(
      new RegExp(`^server\\.tls\\.cert: cannot read ${missing.replaceAll('.', '\\.')}`),
    );
    expect(() => readListenerTls(settings({ key: missing }))).toThrow(/^server\.tls\.key: cannot read /);
    expect(() => readListenerTls(settings({ ca: missing }))).toThrow(/^server\.tls\.ca: cannot read /);
  });

  it('stops the start when the key is not PEM', () => {
    const garbage = join(folder, 'garbage.pem');
    writeFileSync(garbage, 'not a key');
    expect(() => readListenerTls(settings({ key: garbage }))).toThrow(/^server\.tls: the certificate /);
  });

  it('stops startTestGateway (startGateway) with the message', async () => {
    const error = await failureOf(
      startTestGateway({ config: { server: { tls: { cert: join(folder, 'nope.pem'), key: keyPath } } } }),
    );
    expect(error.message).toMatch(/^server\.tls\.cert: cannot read .*nope\.pem/);
  });
});
