/**
 * `store.compressBodies`: a gateway on SQLite keeps large request and answer
 * bodies zstd-compressed, and every reader (the store's queries, the admin
 * API) gives them back as the text that was sent and answered.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';

const ADMIN_KEY = 'admin-key-for-compressed-bodies-0123';

let setup: TestGateway;
beforeAll(async () => {
  setup = await startTestGateway({
    fileStore: true,
    config: {
      server: { adminKey: ADMIN_KEY },
      store: { compressBodies: true },
      routes: [{ models: ['claude-sonnet-4-5'], targets: ['bedrock/us'] }],
    },
  });
});
afterAll(async () => {
  await setup.close();
});

/** Each body column's storage class, as SQL on the database file sees it. */
function storageOf(requestId: string): { request: string; response: string } {
  const database = new Database(setup.storePath ?? '', { readonly: true });
  try {
    return database
      .prepare(
        'SELECT typeof(request_body) AS request, typeof(response_body) AS response FROM requests WHERE id = ?',
      )
      .get(requestId) as { request: string; response: string };
  } finally {
    database.close();
  }
}

it('keeps a large request and a long answer compressed, and gives both back as text', async () => {
  const source = Array.from({ length: 300 }, (_, line) => `const value${line} = compute(${line}); // é 👋`);
  const text = JSON.stringify({
    model: 'claude-sonnet-4-5',
    max_tokens: 4000,
    messages: [
      { role: 'user', content: source.join('\n') },
      { role: 'assistant', content: 'Read it.' },
      { role: 'user', content: `Explain @emulator ${JSON.stringify({ min_chars: 6000 })}` },
    ],
  });
  const response = await fetch(`${setup.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: text,
  });
  expect(response.status).toBe(200);
  const answer = await response.text();
  const requestId = response.headers.get('x-claude-gateway-request-id') ?? '';
  const { request } = await setup.activity(requestId);
  expect(request?.requestBody).toBe(text);
  expect(JSON.parse(request?.responseBody ?? '{}')).toEqual(JSON.parse(answer));
  expect(storageOf(requestId)).toEqual({ request: 'blob', response: 'blob' });

  // The admin API reads it back as text too.
  const admin = await fetch(`${setup.url}/admin/requests/${requestId}`, {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  expect(admin.status).toBe(200);
  const shown = (await admin.json()) as { request?: { requestBody?: string } };
  expect(shown.request?.requestBody).toBe(text);
});

it('keeps a small request as plain text', async () => {
  const response = await fetch(`${setup.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'Hi' }],
    }),
  });
  expect(response.status).toBe(200);
  await response.text();
  const requestId = response.headers.get('x-claude-gateway-request-id') ?? '';
  await setup.activity(requestId);
  expect(storageOf(requestId)).toEqual({ request: 'text', response: 'text' });
});
