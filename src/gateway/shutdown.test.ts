/**
 * Graceful stop and clients that go away: an in-flight stream finishes
 * after `stop()`, new requests are refused, and its activity row is on disk
 * once stop resolves; a client that disconnects mid-stream cancels the
 * upstream request, and the log says so.
 */

import Anthropic from '@anthropic-ai/sdk';
import {
  BedrockRuntimeClient,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import { failureOf, startTestGateway, type TestGateway } from '../test-support/gateway.js';

const bedrockBody = (text: string) =>
  JSON.stringify({
    anthropic_version: 'bedrock-2023-05-31',
    max_tokens: 300,
    messages: [{ role: 'user', content: text }],
  });

/** The AWS SDK's Bedrock client: HTTP/2 sessions it keeps open between requests. */
const awsClient = (url: string) =>
  new BedrockRuntimeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDANY', secretAccessKey: 'unused' },
    maxAttempts: 1,
  });

let setup: TestGateway | undefined;

afterEach(async () => {
  await setup?.close();
  setup = undefined;
});

function streamRequest(url: string, text: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 300,
      stream: true,
      messages: [{ role: 'user', content: text }],
    }),
    ...(signal ? { signal } : {}),
  });
}

/** Reads a body until its text contains `marker`; returns what was read and the reader to go on with. */
async function readUntil(response: Response, marker: string) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes(marker)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return {
    text,
    reader,
    async rest() {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return text;
        text += decoder.decode(value, { stream: true });
      }
    },
  };
}

/** The text of an SSE answer's text deltas, joined. */
function deltaText(sse: string): string {
  return [...sse.matchAll(/"text_delta","text":("(?:[^"\\]|\\.)*")/g)]
    .map((match) => JSON.parse(match[1] ?? '""') as string)
    .join('');
}

/** Waits until a condition holds (no timing asserted: the test's own timeout bounds it). */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('graceful stop', () => {
  it('lets an in-flight stream finish, refuses new requests, and writes its row before stop resolves', async () => {
    setup = await startTestGateway({
      fileStore: true,
      config: { routes: [{ models: ['claude-sonnet-4-5'], targets: ['anthropic'] }] },
    });
    const { gateway, storePath, emulator } = setup;
    emulator.state.faults.add({ kind: 'latency', platform: 'anthropic', delayMs: 40 });
    const response = await streamRequest(setup.url, 'a slow answer that outlives the stop');
    const requestId = response.headers.get('x-claude-gateway-request-id') ?? '';
    const started = await readUntil(response, 'content_block_delta');
    expect(started.text).toContain('event: message_start');

    const stopped = gateway.stop(30_000);
    expect(gateway.context.shuttingDown).toBe(true);
    const refused = await streamRequest(setup.url, 'too late').then(
      (late) => late.status,
      (error: Error) => (error.cause as NodeJS.ErrnoException | undefined)?.code ?? error.message,
    );
    expect([503, 'ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET']).toContain(refused);

    const whole = await started.rest();
    expect(whole).toContain('event: message_stop');
    expect(deltaText(whole)).toContain('a slow answer that outlives the stop');
    expect(whole).not.toContain('event: error');
    await stopped;

    if (!storePath) throw new Error('no store file');
    const reopened = await openStore(`sqlite://${storePath}`);
    try {
      const row = await reopened.getRequest(requestId);
      expect(row).toMatchObject({ status: 200, stopReason: 'end_turn', clientDisconnected: false });
      expect(row?.outputTokens).toBeGreaterThan(0);
      expect(await reopened.attemptsOf(requestId)).toHaveLength(1);
    } finally {
      await reopened.close();
    }
  });

  it('ends a stream that outlives the grace period with an error event, cancels its upstream, and logs 503', async () => {
    setup = await startTestGateway({
      fileStore: true,
      config: { routes: [{ models: ['claude-sonnet-4-5'], targets: ['bedrock/global'] }] },
    });
    const { gateway, storePath, emulator } = setup;
    emulator.state.faults.add({ kind: 'stall', platform: 'bedrock', afterEvents: 3 });
    const response = await streamRequest(setup.url, 'stalls past the grace period');
    const requestId = response.headers.get('x-claude-gateway-request-id') ?? '';
    const started = await readUntil(response, 'event: message_start');
    // Resolves only once the stalled upstream request is cancelled (the pool's close waits for it).
    await gateway.stop(100);
    const whole = await started.rest();
    // Never a silent truncation: the stream's last event is an error saying why.
    expect(whole).not.toContain('event: message_stop');
    const last = whole.trim().split('\n\n').at(-1) ?? '';
    expect(last).toMatch(/^event: error\ndata: /);
    const event = JSON.parse(last.slice(last.indexOf('data: ') + 6)) as {
      error: { type: string; message: string };
    };
    expect(event.error.type).toBe('overloaded_error');
    expect(event.error.message).toMatch(/shutting down/);
    if (!storePath) throw new Error('no store file');
    const reopened = await openStore(`sqlite://${storePath}`);
    try {
      const row = await reopened.getRequest(requestId);
      expect(row).toMatchObject({ status: 503, clientDisconnected: false, errorType: 'overloaded_error' });
      expect(row?.errorMessage).toMatch(/stopped this request while shutting down/);
    } finally {
      await reopened.close();
    }
  });

  it('answers 503 on a connection that is still open once stopping, and readyz says so', async () => {
    setup = await startTestGateway({ config: { routes: [{ models: ['*'], targets: ['anthropic'] }] } });
    setup.gateway.context.shuttingDown = true;
    const ready = await fetch(`${setup.url}/readyz`);
    expect(ready.status).toBe(503);
    const health = await fetch(`${setup.url}/healthz`);
    expect(health.status).toBe(200);
    const response = await streamRequest(setup.url, 'no');
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: { type: string; message: string } };
    expect(body.error).toMatchObject({ type: 'overloaded_error' });
    expect(body.error.message).toMatch(/shutting down/);
    setup.gateway.context.shuttingDown = false;
  });
});

describe('graceful stop with an HTTP/2 client (the AWS SDK)', () => {
  it('finishes the in-flight stream and answers a new request on the same session with 503', async () => {
    setup = await startTestGateway({
      config: { routes: [{ models: ['claude-sonnet-4-5'], targets: ['bedrock/global'] }] },
    });
    const { gateway, emulator, url } = setup;
    emulator.state.faults.add({ kind: 'latency', platform: 'bedrock', delayMs: 40 });
    const client = awsClient(url);
    const answer = await client.send(
      new InvokeModelWithResponseStreamCommand({
        modelId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
        contentType: 'application/json',
        body: bedrockBody('slow over HTTP/2'),
      }),
    );
    if (!answer.body) throw new Error('no body');
    const iterator = answer.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);

    const stopped = gateway.stop(30_000);
    const refused = await failureOf<Error & { $metadata?: { httpStatusCode?: number } }>(
      client.send(
        new InvokeModelCommand({
          modelId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
          contentType: 'application/json',
          body: bedrockBody('too late'),
        }),
      ),
    );
    if (refused.$metadata?.httpStatusCode !== undefined) {
      expect(refused.$metadata.httpStatusCode).toBe(503);
      expect(refused.name).toBe('ServiceUnavailableException');
      expect(refused.message).toMatch(/shutting down/);
    }

    const types: string[] = [];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const bytes = next.value.chunk?.bytes;
      if (bytes) types.push(JSON.parse(new TextDecoder().decode(bytes)).type);
    }
    expect(types.at(-1)).toBe('message_stop');
    await stopped;
    client.destroy();
  });
});

describe('answers still running when the grace period runs out', () => {
  const route = (target: string) => ({ routes: [{ models: ['claude-sonnet-4-5'], targets: [target] }] });
  /** The rows on disk once the gateway has stopped (a stop closes its store). */
  const rowsAfterStop = async () => {
    if (!setup?.storePath) throw new Error('no store file');
    const reopened = await openStore(`sqlite://${setup.storePath}`);
    try {
      return await reopened.queryRequests();
    } finally {
      await reopened.close();
    }
  };

  it('ends an AWS SDK event stream with an exception, not a truncated success', async () => {
    setup = await startTestGateway({ fileStore: true, config: route('bedrock/global') });
    const { gateway, emulator, url } = setup;
    emulator.state.faults.add({ kind: 'stall', platform: 'bedrock', afterEvents: 3 });
    const client = awsClient(url);
    const answer = await client.send(
      new InvokeModelWithResponseStreamCommand({
        modelId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
        contentType: 'application/json',
        body: bedrockBody('outlives the grace period over HTTP/2'),
      }),
    );
    const requestId = answer.$metadata.requestId ?? '';
    if (!answer.body) throw new Error('no body');
    const types: string[] = [];
    const read = (async () => {
      for await (const event of answer.body ?? []) {
        const bytes = event.chunk?.bytes;
        if (bytes) types.push(JSON.parse(new TextDecoder().decode(bytes)).type);
      }
    })();
    await until(() => types.length > 0);
    const stopped = gateway.stop(100);
    const error = await failureOf<Error & { $fault?: string }>(read);
    expect(error.message).toMatch(/shutting down/);
    expect(types).not.toContain('message_stop');
    await stopped;
    const rows = await rowsAfterStop();
    expect(rows.find((row) => row.id === requestId)).toMatchObject({
      status: 503,
      clientDisconnected: false,
    });
    client.destroy();
  });

  it('ends an Anthropic SDK stream with an overloaded error the SDK throws', async () => {
    setup = await startTestGateway({ config: route('vertex/global') });
    const { gateway, emulator, url } = setup;
    emulator.state.faults.add({ kind: 'stall', platform: 'vertex', afterEvents: 3 });
    const client = new Anthropic({ baseURL: url, apiKey: 'any', maxRetries: 0 });
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 300,
      messages: [{ role: 'user', content: 'outlives the grace period over SSE' }],
    });
    const events: string[] = [];
    stream.on('streamEvent', (event) => events.push(event.type));
    const final = stream.finalMessage();
    await until(() => events.length > 0);
    const stopped = gateway.stop(100);
    const error = await failureOf<Error & { error?: { error?: { type?: string } } }>(final);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error.message).toMatch(/shutting down/);
    expect(error.error?.error?.type).toBe('overloaded_error');
    expect(events).not.toContain('message_stop');
    await stopped;
  });

  it('answers a request still waiting for its upstream with 503 in its dialect', async () => {
    setup = await startTestGateway({ fileStore: true, config: route('bedrock/global') });
    const { gateway, emulator, url } = setup;
    emulator.state.faults.add({ kind: 'slow-first-byte', platform: 'bedrock', delayMs: 60_000 });
    const client = awsClient(url);
    const pending = failureOf<Error & { $metadata?: { httpStatusCode?: number } }>(
      client.send(
        new InvokeModelCommand({
          modelId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
          contentType: 'application/json',
          body: bedrockBody('waits past the grace period'),
        }),
      ),
    );
    await until(() => emulator.state.journal.list().length === 1);
    const stopped = gateway.stop(100);
    const refused = await pending;
    expect(refused.$metadata?.httpStatusCode).toBe(503);
    expect(refused.name).toBe('ServiceUnavailableException');
    expect(refused.message).toMatch(/stopped this request while shutting down/);
    await stopped;
    const [row] = await rowsAfterStop();
    expect(row).toMatchObject({ status: 503, clientDisconnected: false });
    client.destroy();
  });
});

describe('a client that goes away mid-stream', () => {
  it('cancels the upstream request and logs 499 with clientDisconnected', async () => {
    setup = await startTestGateway({
      config: { routes: [{ models: ['claude-sonnet-4-5'], targets: ['bedrock/global'] }] },
    });
    // The upstream sends a few events, then nothing: only a cancelled upstream read lets the request end.
    setup.emulator.state.faults.add({ kind: 'stall', platform: 'bedrock', afterEvents: 3 });
    const abort = new AbortController();
    const response = await streamRequest(setup.url, 'I will hang up', abort.signal);
    const requestId = response.headers.get('x-claude-gateway-request-id') ?? '';
    await readUntil(response, 'event: message_start');
    abort.abort();
    const { store, gateway } = setup;
    const { context } = gateway;
    await until(() => context.requestsInFlight === 0);
    await until(async () => {
      await store.flush();
      return (await store.getRequest(requestId)) !== undefined;
    });
    const row = await store.getRequest(requestId);
    expect(row).toMatchObject({ status: 499, clientDisconnected: true, stream: true, platform: 'bedrock' });
  });

  it('cancels the upstream request when an HTTP/2 client (the AWS SDK) aborts', async () => {
    setup = await startTestGateway({
      config: { routes: [{ models: ['claude-sonnet-4-5'], targets: ['anthropic'] }] },
    });
    setup.emulator.state.faults.add({ kind: 'stall', platform: 'anthropic', afterEvents: 3 });
    const abort = new AbortController();
    const client = awsClient(setup.url);
    const answer = await client.send(
      new InvokeModelWithResponseStreamCommand({
        modelId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
        contentType: 'application/json',
        body: bedrockBody('HTTP/2 hang-up'),
      }),
      { abortSignal: abort.signal },
    );
    const requestId = answer.$metadata.requestId ?? '';
    if (!answer.body) throw new Error('no body');
    const iterator = answer.body[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    abort.abort();
    await iterator.return?.();
    const { store, gateway } = setup;
    await until(() => gateway.context.requestsInFlight === 0);
    await until(async () => {
      await store.flush();
      return (await store.getRequest(requestId)) !== undefined;
    });
    expect(await store.getRequest(requestId)).toMatchObject({ status: 499, clientDisconnected: true });
    client.destroy();
  });

  it('logs a client that goes away before the answer starts', async () => {
    setup = await startTestGateway({
      config: { routes: [{ models: ['claude-sonnet-4-5'], targets: ['anthropic'] }] },
    });
    setup.emulator.state.faults.add({ kind: 'slow-first-byte', platform: 'anthropic', delayMs: 60_000 });
    const abort = new AbortController();
    const pending = streamRequest(setup.url, 'never mind', abort.signal).catch((error: Error) => error);
    await until(() => setup?.emulator.state.journal.list().length === 1);
    abort.abort();
    expect(await pending).toBeInstanceOf(Error);
    const store = setup.store;
    await until(async () => {
      await store.flush();
      return (await store.queryRequests()).length > 0;
    });
    const [row] = await store.queryRequests();
    expect(row).toMatchObject({ status: 499, clientDisconnected: true });
  });
});
