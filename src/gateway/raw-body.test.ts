import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';

let setup: TestGateway;
beforeAll(async () => {
  setup = await startTestGateway({ config: { routes: [{ models: ['*'], targets: ['anthropic'] }] } });
});
afterAll(async () => {
  await setup.close();
});

async function send(model: string) {
  // Pretty-printed on purpose: re-serializing would change the byte count.
  const text = JSON.stringify(
    { model, max_tokens: 50, messages: [{ role: 'user', content: 'bytes' }] },
    null,
    2,
  );
  const response = await fetch(`${setup.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: text,
  });
  expect(response.status).toBe(200);
  return {
    sent: Buffer.byteLength(text),
    arrived: setup.emulator.state.journal.list({ platform: 'anthropic' }).at(-1),
  };
}

it("forwards an Anthropic client's bytes untouched when the model name needs no change", async () => {
  const { sent, arrived } = await send('claude-sonnet-4-5');
  expect(arrived?.bodyBytes).toBe(sent);
});

it('rewrites the body when the model must change (an alias the API does not know)', async () => {
  const { sent, arrived } = await send('sonnet');
  expect(arrived?.bodyBytes).toBeLessThan(sent);
  expect(arrived?.body).toMatchObject({ model: 'claude-sonnet-5-5' });
});
