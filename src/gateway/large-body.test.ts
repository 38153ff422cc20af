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
    config: { routes: [{ models: ['*'], targets: ['anthropic'] }], retry: { baseDelayMs: 1, maxDelayMs: 1 } },
  });
});
afterAll(async () => {
  await setup.close();
});

it('sends a large body upstream as it came on a retry too, and logs it whole', async () => {
  // Pretty-printed, so a re-serialized body would not have the same bytes.
  const text = JSON.stringify(
    {
      model: 'claude-sonnet-4-5',
      max_tokens: 50,
      messages: [
        { role: 'user', content: `héllo 👋 ${'a long conversation '.repeat(SHARED_BODY_MIN_BYTES / 5)}` },
      ],
    },
    null,
    2,
  );
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
