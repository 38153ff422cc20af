import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';

let setup: TestGateway;
beforeAll(async () => {
  setup = await startTestGateway({
    config: { store: { bodies: 'metadata' }, routes: [{ models: ['*'], targets: ['anthropic'] }] },
  });
});
afterAll(async () => {
  await setup.close();
});

it('logs usage and the stop reason of a stream without parsing its deltas, and streams it whole', async () => {
  const response = await fetch(`${setup.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'claude-haiku-4-5',
      max_tokens: 300,
      stream: true,
      messages: [{ role: 'user', content: 'metadata only' }],
    }),
  });
  const text = await response.text();
  const deltas = [...text.matchAll(/"text_delta","text":("(?:[^"\\]|\\.)*")/g)].map((match) =>
    JSON.parse(match[1] ?? '""'),
  );
  expect(deltas.join('')).toContain('metadata only');
  expect(text.trim().endsWith('data: {"type":"message_stop"}')).toBe(true);
  const id = response.headers.get('x-claude-gateway-request-id') ?? '';
  const { request } = await setup.activity(id);
  expect(request?.stopReason).toBe('end_turn');
  expect(request?.inputTokens).toBeGreaterThan(0);
  expect(request?.outputTokens).toBeGreaterThan(10);
  expect(request?.requestBody).toMatch(/^\(\d+ bytes not kept\)$/);
  expect(request?.responseBody).toBeUndefined();
});
