/**
 * Error answers on same-dialect paths: when a client speaks the upstream
 * platform's own dialect (Anthropic client → Anthropic API, Bedrock client →
 * Bedrock, Vertex client → Vertex) and the platform answers an error before
 * any byte, the client gets the platform's status, error headers and body
 * byte for byte (Claude Code's retry logic matches on the wording); what the
 * gateway would add goes in `x-claude-gateway-note`. Other paths still get
 * the error rendered in the client's dialect.
 *
 * A tee in front of the emulator keeps each upstream answer's body as sent.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatedPlatforms } from '../config/emulated-platforms.js';
import { parseConfig } from '../config/load.js';
import type { FaultSpec } from '../emulator/faults.js';
import { type RunningEmulator, startEmulator } from '../emulator/server.js';
import { openStore } from '../store/open-store.js';
import { accessLogSink, testClock } from '../test-support/gateway.js';
import { type RunningGateway, startGateway } from './server.js';

interface Teed {
  path: string;
  status: number;
  body: Buffer;
}

let emulator: RunningEmulator;
let tee: http.Server;
let teed: Teed[] = [];
let gateway: RunningGateway;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, serveRetired: true, clock: testClock });
  const target = new URL(emulator.url);
  tee = http.createServer((request, response) => {
    // Headers as sent (the host too: SigV4 signed it), answers kept whole and passed on.
    const forward = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          teed.push({ path: request.url ?? '', status: answer.statusCode ?? 0, body: Buffer.concat(chunks) });
        });
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    request.pipe(forward);
  });
  await new Promise<void>((resolve) => tee.listen(0, '127.0.0.1', resolve));
  const teeUrl = `http://127.0.0.1:${(tee.address() as AddressInfo).port}`;
  const config = parseConfig(
    {
      server: { host: '127.0.0.1', port: 0 },
      store: { url: 'sqlite::memory:' },
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      discovery: { enabled: false },
      routes: [
        { models: ['to-anthropic'], model: 'claude-sonnet-4-5', targets: ['anthropic'] },
        { models: ['claude-nowhere-9'], targets: ['anthropic'] },
        { models: ['to-bedrock'], model: 'claude-sonnet-4-5', targets: ['bedrock/global'] },
        { models: ['to-vertex'], model: 'claude-sonnet-4-5', targets: ['vertex/global'] },
      ],
    },
    {},
    'test configuration',
  );
  gateway = await startGateway({
    config,
    platforms: emulatedPlatforms({ baseUrl: teeUrl, auth: emulator.auth }),
    store: await openStore('sqlite::memory:'),
    clock: testClock,
    // Its requests ask for a retired model on purpose: the warnings about it are not this test's subject.
    logger: pino({ level: 'error' }),
    accessLog: accessLogSink(),
  });
});

afterAll(async () => {
  await gateway?.stop(1_000);
  tee?.closeAllConnections();
  await new Promise<void>((resolve) => (tee ? tee.close(() => resolve()) : resolve()));
  await emulator?.close();
});

const messages = [{ role: 'user', content: 'fail me' }];

/** A request in a dialect for a model name, as its clients send it. */
function call(dialect: 'anthropic' | 'bedrock' | 'vertex', model: string): Promise<Response> {
  const [path, body] =
    dialect === 'anthropic'
      ? ['/v1/messages', { model, max_tokens: 20, messages }]
      : dialect === 'bedrock'
        ? [`/model/${model}/invoke`, { anthropic_version: 'bedrock-2023-05-31', max_tokens: 20, messages }]
        : [
            `/v1/projects/p/locations/global/publishers/anthropic/models/${model}:rawPredict`,
            { anthropic_version: 'vertex-2023-10-16', max_tokens: 20, messages },
          ];
  return fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  });
}

function arm(fault: FaultSpec): void {
  emulator.state.reset();
  teed = [];
  emulator.state.faults.add(fault);
}

/** The last answer the tee saw from the emulator for a Messages call. */
function lastUpstream(): Teed {
  const answer = teed.filter((entry) => !entry.path.startsWith('/token')).at(-1);
  if (!answer) throw new Error('no upstream answer was teed');
  return answer;
}

describe('same-dialect paths: the platform error as it came', () => {
  it.each([
    [
      'anthropic',
      'to-anthropic',
      { kind: 'http', platform: 'anthropic', status: 529, message: 'Overloaded: custom wording 1', count: 0 },
    ],
    [
      'bedrock',
      'to-bedrock',
      {
        kind: 'http',
        platform: 'bedrock',
        status: 429,
        errorType: 'ThrottlingException',
        message: 'Too many tokens, please wait before trying again (custom wording 2).',
        count: 0,
      },
    ],
    [
      'vertex',
      'to-vertex',
      {
        kind: 'http',
        platform: 'vertex',
        status: 429,
        errorType: 'RESOURCE_EXHAUSTED',
        message: 'Quota exceeded for aiplatform.googleapis.com (custom wording 3).',
        count: 0,
      },
    ],
    [
      'anthropic',
      'to-anthropic',
      { kind: 'http', platform: 'anthropic', status: 400, message: 'messages: custom wording 4', count: 0 },
    ],
  ] as const)('forwards the body byte for byte (%s client, %s)', async (dialect, model, fault) => {
    arm(fault);
    const response = await call(dialect, model);
    const body = Buffer.from(await response.arrayBuffer());
    const upstream = lastUpstream();
    expect(response.status).toBe(upstream.status);
    expect(body.equals(upstream.body), `${body.toString()}\n≠\n${upstream.body.toString()}`).toBe(true);
    expect(body.toString()).toContain(fault.message);
    expect(response.headers.get('x-claude-gateway-note')).toBeNull();
    if (dialect === 'bedrock') {
      expect(response.headers.get('x-amzn-errortype')).toMatch(/^ThrottlingException:/);
    }
  });

  it.each([
    [
      'bedrock',
      'to-bedrock',
      {
        kind: 'http',
        platform: 'bedrock',
        status: 403,
        errorType: 'AccessDeniedException',
        message: 'No access (custom wording 6)',
      },
      /Request model access in the Bedrock console/,
    ],
    [
      'vertex',
      'to-vertex',
      {
        kind: 'http',
        platform: 'vertex',
        status: 403,
        errorType: 'PERMISSION_DENIED',
        message: 'Permission denied (custom wording 7)',
      },
      /Vertex AI refused access to project/,
    ],
  ] as const)(
    'keeps the hint on what to fix out of the body, in x-claude-gateway-note (%s)',
    async (dialect, model, fault, hint) => {
      arm(fault);
      const response = await call(dialect, model);
      const body = Buffer.from(await response.arrayBuffer());
      const upstream = lastUpstream();
      expect(response.status).toBe(403);
      expect(body.equals(upstream.body), `${body.toString()}\n≠\n${upstream.body.toString()}`).toBe(true);
      expect(body.toString()).toContain(fault.message);
      expect(response.headers.get('x-claude-gateway-note')).toMatch(hint);
      // The log keeps the whole story.
      const id = response.headers.get('x-claude-gateway-request-id') ?? '';
      await gateway.context.store.flush();
      expect((await gateway.context.store.getRequest(id))?.errorMessage).toMatch(hint);
    },
  );

  it("keeps the catalog's note on an unknown model out of the body, in x-claude-gateway-note", async () => {
    // The Anthropic API's own 404 for a name it does not know.
    emulator.state.reset();
    teed = [];
    const response = await call('anthropic', 'claude-nowhere-9');
    const body = Buffer.from(await response.arrayBuffer());
    expect(response.status).toBe(404);
    expect(body.equals(lastUpstream().body)).toBe(true);
    expect(body.toString()).not.toContain('claude-gateway');
    expect(response.headers.get('x-claude-gateway-note')).toMatch(
      /^"claude-nowhere-9" is not in claude-gateway's model catalog, so it was sent as given/,
    );
  });
});

describe('other paths: the error rendered in the client dialect', () => {
  it("answers an Anthropic client in the Anthropic shape when Bedrock refused, with Bedrock's message", async () => {
    arm({
      kind: 'http',
      platform: 'bedrock',
      status: 400,
      errorType: 'ValidationException',
      message: 'custom wording 5',
    });
    const response = await call('anthropic', 'to-bedrock');
    const upstream = lastUpstream();
    const body = (await response.json()) as { type: string; error: { type: string; message: string } };
    expect(response.status).toBe(400);
    expect(upstream.body.toString()).toBe('{"message":"custom wording 5"}');
    expect(body).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'custom wording 5' },
    });
  });
});
