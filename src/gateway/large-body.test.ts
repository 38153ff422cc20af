/**
 * A body large enough to be kept in shared memory (see shared-body.ts): sent
 * upstream untouched on every attempt, and logged whole by the SQLite writer
 * thread, which reads the same memory.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';
import { SHARED_BODY_MIN_BYTES } from './shared-body.js';

let setup: TestGateway;
beforeAll(async () => {
  setup = await startTestGateway({
    fileStore: true,
    config: {
      routes: [
        { models: ['claude-sonnet-4-5'], targets: ['anthropic'] },
        { models: ['claude-haiku-4-5'], targets: ['bedrock/us', 'vertex/global'] },
      ],
      retry: { baseDelayMs: 1, maxDelayMs: 1 },
    },
  });
});
afterAll(async () => {
  await setup.close();
});

/** A body of several times the shared-memory threshold, pretty-printed (re-serializing would change its bytes). */
function largeBody(model: string): string {
  return JSON.stringify(
    {
      model,
      max_tokens: 50,
      messages: [
        { role: 'user', content: `héllo 👋 ${'a long conversation '.repeat(SHARED_BODY_MIN_BYTES / 5)}` },
      ],
    },
    null,
    2,
  );
}

it('sends a large body upstream as it came on a retry too, and logs it whole', async () => {
  const text = largeBody('claude-sonnet-4-5');
  setup.emulator.state.faults.add({ kind: 'http', platform: 'anthropic', status: 529, count: 1 });
  const response = await fetch(`${setup.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: text,
  });
  expect(response.status).toBe(200);
  const sent = Buffer.byteLength(text);
  expect(sent).toBeGreaterThan(4 * SHARED_BODY_MIN_BYTES);
  const arrived = setup.emulator.state.journal.list({ platform: 'anthropic' });
  expect(arrived.map((entry) => entry.bodyBytes)).toEqual([sent, sent]);
  const { request, attempts } = await setup.activity(
    response.headers.get('x-claude-gateway-request-id') ?? '',
  );
  expect(attempts).toHaveLength(2);
  expect(request?.requestBody).toBe(text);
});

it('splices a large body for Bedrock, fails over to Vertex with it, and logs it whole', async () => {
  const text = largeBody('claude-haiku-4-5');
  setup.emulator.state.faults.add({ kind: 'http', platform: 'bedrock', status: 503, count: 0 });
  const response = await fetch(`${setup.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: text,
  });
  setup.emulator.state.faults.clear();
  expect(response.status).toBe(200);
  const sent = JSON.parse(text) as { messages: unknown };
  for (const platform of ['bedrock', 'vertex']) {
    const arrived = setup.emulator.state.journal.list({ platform }).at(-1);
    expect(arrived?.body).toMatchObject({ messages: sent.messages });
  }
  const { request, attempts } = await setup.activity(
    response.headers.get('x-claude-gateway-request-id') ?? '',
  );
  expect(attempts.at(-1)).toMatchObject({ platform: 'vertex', outcome: 'success' });
  expect(request?.requestBody).toBe(text);
});
