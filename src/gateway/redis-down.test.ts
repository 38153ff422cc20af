import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ChildServer, eventually, startRedisServer } from '../test-support/child-servers.js';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';

/** Only to detect the stall the operations issue measured (~12 s per request), never a measurement. */
const HANG_MS = 2_000;

let redis: ChildServer;
let setup: TestGateway;
beforeAll(async () => {
  redis = await startRedisServer();
  setup = await startTestGateway({
    config: {
      sessions: { redisUrl: `redis://127.0.0.1:${redis.port}` },
      routes: [{ models: ['*'], targets: ['vertex/global', 'anthropic'] }],
    },
  });
});
afterAll(async () => {
  await setup?.close();
  await redis?.dispose();
});

async function ask(session: string, stream: boolean) {
  const started = performance.now();
  const response = await fetch(`${setup.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-claude-code-session-id': session },
    body: JSON.stringify({
      model: 'claude-haiku-4-5',
      max_tokens: 50,
      stream,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  await response.text();
  expect(response.status).toBe(200);
  expect(performance.now() - started).toBeLessThan(HANG_MS);
  return response.headers.get('x-claude-gateway-target');
}

const redisWarnings = () =>
  setup.logs.filter((line) => line['level'] === 40 && String(line['msg']).includes('Redis at'));

it('serves sessions without waiting for a stopped Redis, warns once, and once more when it is back', async () => {
  const session = `cc-${randomUUID()}`;
  expect(await ask(session, false)).toBe('vertex/global');
  expect(redisWarnings()).toEqual([]);
  const beforeOutage = await (await fetch(`${setup.url}/metrics`)).text();

  await redis.stop();
  expect(await ask(session, false)).toBe('vertex/global');
  expect(await ask(session, true)).toBe('vertex/global');
  expect(await ask(`cc-${randomUUID()}`, true)).toBe('vertex/global');
  const warnings = redisWarnings();
  expect(warnings).toHaveLength(1);
  // Each failed command and reconnection attempt is counted, by what Redis serves; none before the outage.
  expect(beforeOutage).toContain('claude_gateway_redis_errors_total{use="sessions"} 0');
  const during = await (await fetch(`${setup.url}/metrics`)).text();
  expect(
    Number(/claude_gateway_redis_errors_total\{use="sessions"\} (\d+)/.exec(during)?.[1]),
  ).toBeGreaterThan(0);
  expect(String(warnings[0]?.['msg'])).toContain('is unreachable');

  await redis.start();
  await eventually(() => redisWarnings().length === 2, 20_000, 'the "answers again" warning');
  expect(String(redisWarnings()[1]?.['msg'])).toContain('answers again');
  expect(await ask(session, false)).toBe('vertex/global');
  expect(redisWarnings()).toHaveLength(2);
});
