import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';
import { readJson } from '../test-support/json.js';

let setup: TestGateway;
beforeAll(async () => {
  setup = await startTestGateway({ config: { server: { adminKey: 'admin-key-of-sixteen-chars' } } });
});
afterAll(async () => {
  await setup.close();
});

it('answers paths with broken percent-encoding in the client dialect, not with a 500', async () => {
  const model = await fetch(`${setup.url}/v1/models/claude-%E0`);
  expect(model.status).toBe(404);
  expect((await readJson(model)).error.type).toBe('not_found_error');
  const bedrock = await fetch(`${setup.url}/model/anthropic.claude-%E0/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'x' }],
    }),
  });
  expect(bedrock.status).toBeLessThan(500);
  expect(bedrock.headers.get('x-amzn-errortype')).toBeTruthy();
  const admin = await fetch(`${setup.url}/admin/keys/%E0`, {
    method: 'DELETE',
    headers: { authorization: 'Bearer admin-key-of-sixteen-chars' },
  });
  expect(admin.status).toBe(404);
});
