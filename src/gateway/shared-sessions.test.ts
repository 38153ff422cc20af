import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';

const redisUrl = process.env['CLAUDE_GATEWAY_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const started: TestGateway[] = [];
afterEach(async () => {
  for (const setup of started.splice(0)) await setup.close();
});

async function ask(setup: TestGateway, session: string) {
  const response = await fetch(`${setup.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-claude-code-session-id': session },
    body: JSON.stringify({
      model: 'claude-haiku-4-5',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  expect(response.status).toBe(200);
  return response.headers.get('x-claude-gateway-target');
}

it('keeps a session on its target across replicas that share Redis (sessions.redisUrl)', async () => {
  const sessions = { redisUrl };
  const replicaA = await startTestGateway({
    config: { sessions, routes: [{ models: ['*'], targets: ['vertex/global', 'anthropic'] }] },
  });
  started.push(replicaA);
  const replicaB = await startTestGateway({
    config: { sessions, routes: [{ models: ['*'], targets: ['anthropic', 'vertex/global'] }] },
  });
  started.push(replicaB);
  const session = `shared-${randomUUID()}`;
  expect(await ask(replicaA, session)).toBe('vertex/global');
  // Replica B would pick the Anthropic API first, but the session already lives on Vertex.
  expect(await ask(replicaB, session)).toBe('vertex/global');
  expect(await ask(replicaB, `fresh-${randomUUID()}`)).toBe('anthropic');
});
