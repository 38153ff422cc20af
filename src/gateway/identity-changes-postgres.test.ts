/**
 * Two gateways on one Postgres database (one schema of their own): a user
 * disabled, a group's allowlist changed and a service token revoked through
 * one reach the other within 2 s (LISTEN/NOTIFY), not after the 30 s
 * identity cache.
 */

import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestPostgres, TEST_POSTGRES_URL } from '../store/__fixtures__/postgres.js';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';
import { readJson } from '../test-support/json.js';

const ADMIN_KEY = 'admin-key-for-identity-changes-01';
const schema = `cgw_test_${process.pid}_${randomBytes(4).toString('hex')}_identity`;
let database: postgres.Sql | Error = new Error('not connected');
let first: TestGateway;
let second: TestGateway;

beforeAll(async () => {
  database = await connectTestPostgres();
  if (database instanceof Error) throw database;
  const config = {
    server: { adminKey: ADMIN_KEY },
    store: { url: `${TEST_POSTGRES_URL}?schema=${schema}` },
    routes: [{ models: ['*'], targets: ['bedrock/global'] }],
  };
  first = await startTestGateway({ config, keys: [{ name: 'keeps-the-gateways-closed' }] });
  second = await startTestGateway({ config });
  // Both listen before anything changes (a gateway serves while LISTEN is being set up).
  expect(await first.gateway.context.callers.watchingKeyChanges).toBe(true);
  expect(await second.gateway.context.callers.watchingKeyChanges).toBe(true);
});
afterAll(async () => {
  await first?.close();
  await second?.close();
  if (database instanceof Error) return;
  await database.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await database.end({ timeout: 5 });
});

async function adminOnFirst(method: string, path: string, body?: unknown) {
  const response = await fetch(`${first.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, json: await readJson(response) };
}

/** The status the second gateway answers a Messages request with this key and model. */
async function statusOnSecond(secret: string, model = 'claude-sonnet-4-5'): Promise<number> {
  const response = await fetch(`${second.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': secret },
    body: JSON.stringify({ model, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Asks the second gateway until it answers `expected`, for at most 2 s; the statuses it gave on the way. */
async function untilSecondAnswers(expected: number, secret: string, model?: string): Promise<number[]> {
  const seen: number[] = [];
  const deadline = performance.now() + 2_000;
  for (;;) {
    const status = await statusOnSecond(secret, model);
    seen.push(status);
    if (status === expected || performance.now() >= deadline) return seen;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('identity changes between gateways sharing a Postgres store', () => {
  it('a user disabled through one gateway is refused by the other within 2 s, with their key', async () => {
    expect((await adminOnFirst('POST', '/admin/groups', { name: 'eng' })).status).toBe(201);
    expect((await adminOnFirst('POST', '/admin/users', { name: 'alice', groups: ['eng'] })).status).toBe(201);
    const key = await adminOnFirst('POST', '/admin/keys', { name: 'alice-laptop', user: 'alice' });
    expect(key.status).toBe(201);
    const secret: string = key.json.secret;
    // The second gateway has the user and the group cached now.
    expect(await statusOnSecond(secret)).toBe(200);
    expect((await adminOnFirst('PATCH', '/admin/users/alice', { disabled: true })).status).toBe(200);
    const seen = await untilSecondAnswers(401, secret);
    expect(seen.at(-1), `statuses: ${seen.join(', ')}`).toBe(401);
    expect((await adminOnFirst('PATCH', '/admin/users/alice', { disabled: false })).status).toBe(200);
    expect((await untilSecondAnswers(200, secret)).at(-1)).toBe(200);
  });

  it("a group's allowlist changed through one gateway is applied by the other within 2 s", async () => {
    const key = await adminOnFirst('POST', '/admin/keys', { name: 'alice-desktop', user: 'alice' });
    const secret: string = key.json.secret;
    expect(await statusOnSecond(secret)).toBe(200);
    const narrowed = await adminOnFirst('PATCH', '/admin/groups/eng', {
      memberPolicy: { allowedModels: ['claude-haiku-4-5'] },
    });
    expect(narrowed.status).toBe(200);
    const seen = await untilSecondAnswers(403, secret);
    expect(seen.at(-1), `statuses: ${seen.join(', ')}`).toBe(403);
    expect(await statusOnSecond(secret, 'claude-haiku-4-5')).toBe(200);
    // Taken away again: the other gateway lets Sonnet through within 2 s.
    await adminOnFirst('PATCH', '/admin/groups/eng', { memberPolicy: { allowedModels: null } });
    expect((await untilSecondAnswers(200, secret)).at(-1)).toBe(200);
  });

  it('a service token revoked through one gateway is refused by the other within 2 s', async () => {
    const created = await adminOnFirst('POST', '/admin/tokens', {
      name: 'ci',
      group: 'eng',
      expiresAt: '30d',
    });
    expect(created.status).toBe(201);
    const secret: string = created.json.secret;
    expect(await statusOnSecond(secret)).toBe(200);
    expect((await adminOnFirst('DELETE', '/admin/tokens/ci')).status).toBe(200);
    const seen = await untilSecondAnswers(401, secret);
    expect(seen.at(-1), `statuses: ${seen.join(', ')}`).toBe(401);
  });
});
