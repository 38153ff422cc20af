/**
 * Dashboard sessions on Postgres: signing out on one replica ends the session
 * on the other (the store's NOTIFY drops what it cached), and while Postgres
 * is down a replica keeps the sessions it had read and answers 503 for one it
 * never read, never a 500 or the driver's message.
 */

import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestPostgres, TEST_POSTGRES_URL } from '../../store/__fixtures__/postgres.js';
import { type ChildServer, startPostgresServer } from '../../test-support/child-servers.js';
import { startTestGateway, type TestGateway } from '../../test-support/gateway.js';
import { type LooseJson, readJson } from '../../test-support/json.js';

const ADMIN_KEY = 'admin-key-for-the-ui-sessions-test-0123';

/** Asks until `read` gives `expected`, for at most `withinMs`; what it gave last. */
async function until<Value>(read: () => Promise<Value>, expected: Value, withinMs: number): Promise<Value> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const value = await read();
    if (value === expected || performance.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Signs in with the admin key: the session cookie and its CSRF token. */
async function signIn(gateway: TestGateway): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(`${gateway.url}/ui/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ adminKey: ADMIN_KEY }),
  });
  const json = await readJson(response);
  expect(response.status).toBe(200);
  const cookie = (response.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  return { cookie, csrf: String(json.csrfToken) };
}

async function withCookie(
  gateway: TestGateway,
  path: string,
  cookie: string,
): Promise<{ status: number; json: LooseJson }> {
  const response = await fetch(`${gateway.url}${path}`, { headers: { cookie } });
  return { status: response.status, json: await readJson(response) };
}

describe('two replicas on one Postgres', () => {
  const schema = `cgw_test_${process.pid}_${randomBytes(4).toString('hex')}_ui_sessions`;
  let database: postgres.Sql | Error = new Error('not connected');
  let first: TestGateway;
  let second: TestGateway;

  beforeAll(async () => {
    database = await connectTestPostgres();
    if (database instanceof Error) throw database;
    const config = {
      server: { adminKey: ADMIN_KEY },
      store: { url: `${TEST_POSTGRES_URL}?schema=${schema}` },
    };
    first = await startTestGateway({ config });
    second = await startTestGateway({ config });
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

  it('ends on the other replica a session signed out on one', async () => {
    const { cookie, csrf } = await signIn(first);
    expect((await withCookie(second, '/admin/keys', cookie)).status).toBe(200);
    const out = await fetch(`${first.url}/ui/api/logout`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(out.status).toBe(200);
    expect(
      await until(async () => (await withCookie(second, '/admin/keys', cookie)).status, 401, 2_000),
    ).toBe(401);
    expect((await withCookie(second, '/ui/api/session', cookie)).json.signedIn).toBe(false);
  });

  it('ends on the other replica a session an administrator ended on one', async () => {
    const { cookie } = await signIn(first);
    const state = await withCookie(second, '/ui/api/session', cookie);
    expect(state.json.signedIn).toBe(true);
    const listed = await withCookie(first, '/admin/ui-sessions', cookie);
    const id = String((listed.json.sessions as LooseJson[])[0]?.id);
    const ended = await fetch(`${first.url}/admin/ui-sessions/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(ended.status).toBe(200);
    expect(
      await until(async () => (await withCookie(second, '/admin/keys', cookie)).status, 401, 2_000),
    ).toBe(401);
  });
});

describe('while Postgres is down', () => {
  let server: ChildServer & { url: string };
  let setup: TestGateway;

  beforeAll(async () => {
    server = await startPostgresServer();
    setup = await startTestGateway({
      config: { server: { adminKey: ADMIN_KEY }, store: { url: server.url } },
    });
  });
  afterAll(async () => {
    await setup?.close();
    await server?.dispose();
  });

  it('keeps the sessions a replica has read, answers 503 for one it never read, and refuses ended ones', async () => {
    const seen = await signIn(setup);
    const unseen = await signIn(setup);
    const ended = await signIn(setup);
    expect((await withCookie(setup, '/ui/api/session', seen.cookie)).json.signedIn).toBe(true);
    await fetch(`${setup.url}/ui/api/logout`, {
      method: 'POST',
      headers: { cookie: ended.cookie, 'x-csrf-token': ended.csrf },
    });
    expect((await withCookie(setup, '/ui/api/session', ended.cookie)).json.signedIn).toBe(false);
    const listed = await withCookie(setup, '/admin/ui-sessions', seen.cookie);
    const anyId = String((listed.json.sessions as LooseJson[])[0]?.id);
    await server.stop();
    // Past the short cache: the session is asked of the store, which does not answer.
    setup.gateway.context.callers.invalidate();
    try {
      const kept = await withCookie(setup, '/ui/api/session', seen.cookie);
      expect(kept).toMatchObject({ status: 200, json: { signedIn: true, via: 'admin-key' } });
      expect((await withCookie(setup, '/admin/in-flight', seen.cookie)).status).toBe(200);
      const never = await withCookie(setup, '/admin/in-flight', unseen.cookie);
      expect(never.status).toBe(503);
      expect(never.json.error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
      expect(JSON.stringify(never.json)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
      expect((await withCookie(setup, '/ui/api/session', unseen.cookie)).status).toBe(503);
      expect((await withCookie(setup, '/ui/api/session', ended.cookie)).json.signedIn).toBe(false);
      const login = await fetch(`${setup.url}/ui/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ adminKey: ADMIN_KEY }),
      });
      const ending = await fetch(`${setup.url}/admin/ui-sessions/${anyId}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      expect(ending.status).toBe(503);
      expect((await readJson(ending)).error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
      expect(login.status).toBe(503);
      expect((await readJson(login)).error.message).toContain('cannot record your session right now');
    } finally {
      await server.start();
    }
    const back = async () => (await withCookie(setup, '/ui/api/session', unseen.cookie)).json.signedIn;
    expect(await until(back, true, 20_000)).toBe(true);
  });
});
