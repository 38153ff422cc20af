/**
 * The admin API behind `server.adminKey`: keys (create, list, revoke), the
 * activity log (requests, one request with its attempts, a summary). The
 * secret of a key is shown once, on create, and never listed.
 */

import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';
import { type LooseJson, readJson } from '../test-support/json.js';

const ADMIN_KEY = 'admin-key-for-tests-0123456789';

let setup: TestGateway;

beforeAll(async () => {
  setup = await startTestGateway({
    config: {
      server: { adminKey: ADMIN_KEY },
      routes: [{ models: ['claude-sonnet-4-5'], targets: ['bedrock/global', 'vertex/global'] }],
    },
  });
});
afterAll(async () => {
  await setup.close();
});

async function admin(
  method: string,
  path: string,
  body?: unknown,
  key: string | null = ADMIN_KEY,
): Promise<{ status: number; json: LooseJson; text: string }> {
  const response = await fetch(`${setup.url}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let json: LooseJson;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

const ask = (apiKey: string, text = 'admin test') =>
  new Anthropic({ baseURL: setup.url, apiKey, maxRetries: 0 }).messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 50,
    messages: [{ role: 'user', content: text }],
  });

describe('the admin API', () => {
  it('refuses a missing or wrong admin key with 401, saying what to send', async () => {
    for (const key of [null, 'wrong-admin-key-0123456789', ADMIN_KEY.slice(0, -1)]) {
      const answer = await admin('GET', '/admin/keys', undefined, key);
      expect(answer.status).toBe(401);
      expect(answer.json.error.type).toBe('authentication_error');
      expect(answer.json.error.message).toContain('Authorization: Bearer');
      expect(answer.text).not.toContain(ADMIN_KEY);
    }
  });

  let created: { id: string; secret: string; prefix: string };

  it('creates a key and returns its secret once', async () => {
    const answer = await admin('POST', '/admin/keys', {
      name: 'team-a',
      allowedModels: ['claude-sonnet-4-5'],
      monthlyBudgetUsd: 100,
    });
    expect(answer.status).toBe(201);
    expect(answer.json.secret).toMatch(/^cgw_/);
    expect(answer.json.key).toMatchObject({ name: 'team-a', allowedModels: ['claude-sonnet-4-5'] });
    expect(answer.json.key).not.toHaveProperty('hash');
    expect(answer.json.key).not.toHaveProperty('secret');
    created = { id: answer.json.key.id, secret: answer.json.secret, prefix: answer.json.key.prefix };
    expect(created.secret.startsWith(created.prefix)).toBe(true);
  });

  it('lists keys without secrets or hashes', async () => {
    const answer = await admin('GET', '/admin/keys');
    expect(answer.status).toBe(200);
    expect(answer.json.keys.map((key: { name: string }) => key.name)).toEqual(['team-a']);
    expect(answer.text).not.toContain(created.secret);
    expect(answer.text).not.toContain('"hash"');
  });

  it('makes the gateway require keys at once: the new key works, no key does not', async () => {
    const message = await ask(created.secret, 'with the new key');
    expect(message.stop_reason).toBe('end_turn');
    const response = await fetch(`${setup.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'claude-sonnet-4-5',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'x' }],
      }),
    });
    expect(response.status).toBe(401);
  });

  it('does not take the admin key as a gateway key', async () => {
    await expect(ask(ADMIN_KEY)).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it('queries requests by key, one request with its attempts, and a summary', async () => {
    setup.emulator.state.faults.add({ kind: 'http', platform: 'bedrock', status: 429, count: 2 });
    await ask(created.secret, 'after a failover');
    await setup.store.flush();
    const listed = await admin('GET', `/admin/requests?key=${created.id}&since=1h`);
    expect(listed.status).toBe(200);
    expect(listed.json.requests.length).toBeGreaterThanOrEqual(2);
    expect(listed.json.requests.every((row: { keyId: string }) => row.keyId === created.id)).toBe(true);
    const latest = listed.json.requests[0];
    expect(latest).toMatchObject({ platform: 'vertex', status: 200, keyName: 'team-a' });

    const one = await admin('GET', `/admin/requests/${latest.id}`);
    expect(one.status).toBe(200);
    expect(one.json.request.requestBody).toContain('after a failover');
    expect(one.json.attempts.map((attempt: { outcome: string }) => attempt.outcome)).toEqual([
      'retried',
      'failed-over',
      'success',
    ]);

    const summary = await admin('GET', '/admin/summary?since=1d');
    expect(summary.status).toBe(200);
    const team = summary.json.byKey.find((row: { keyName?: string }) => row.keyName === 'team-a');
    expect(team.requests).toBeGreaterThanOrEqual(2);
    expect(team.costUsd).toBeGreaterThan(0);
    expect(summary.json.total.requests).toBeGreaterThanOrEqual(team.requests);

    const missing = await admin('GET', '/admin/requests/req_gw_nope');
    expect(missing.status).toBe(404);
    const badSince = await admin('GET', '/admin/requests?since=yesterday-ish');
    expect(badSince.status).toBe(400);
    expect(badSince.json.error.message).toMatch(/since must be like 1h/);
  });

  it('revokes a key: refused at once, listed only with all=true', async () => {
    const revoked = await admin('DELETE', '/admin/keys/team-a');
    expect(revoked.status).toBe(200);
    expect(revoked.json.key.revokedAt).toBeGreaterThan(0);
    // No active key is left: keep one so the gateway stays closed.
    const other = await admin('POST', '/admin/keys', { name: 'team-b' });
    expect(other.status).toBe(201);
    await expect(ask(created.secret)).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
    expect((await admin('GET', '/admin/keys')).json.keys.map((key: { name: string }) => key.name)).toEqual([
      'team-b',
    ]);
    const all = await admin('GET', '/admin/keys?all=true');
    expect(all.json.keys.map((key: { name: string }) => key.name).sort()).toEqual(['team-a', 'team-b']);
    expect(all.text).not.toContain(created.secret);
    expect((await admin('DELETE', '/admin/keys/team-a')).status).toBe(404);
  });

  it('says what is wrong with a bad key description', async () => {
    const notJson = await admin('POST', '/admin/keys', '{"name":');
    expect(notJson.status).toBe(400);
    expect(notJson.json.error.message).toMatch(/not valid JSON/);
    const badResidency = await admin('POST', '/admin/keys', { name: 'x', residency: 'mars' });
    expect(badResidency.status).toBe(400);
    expect(badResidency.json.error.message).toMatch(/residency must be one of/);
    const misspelt = await admin('POST', '/admin/keys', { name: 'x', residancy: 'eu' });
    expect(misspelt.status).toBe(400);
    expect(misspelt.json.error.message).toBe(
      'Cannot create the key: unknown field "residancy"; did you mean "residency"?',
    );
    const taken = await admin('POST', '/admin/keys', { name: 'team-b' });
    expect(taken.status).toBe(400);
    expect(taken.json.error.message).toMatch(/already named team-b/);
    for (const body of ['null', '[]', '"a string"']) {
      const odd = await admin('POST', '/admin/keys', body);
      expect(odd.status, body).toBe(400);
      expect(odd.json.error.message).toMatch(/name/);
    }
  });

  it('answers unknown admin paths with 404', async () => {
    const answer = await admin('GET', '/admin/nothing-here');
    expect(answer.status).toBe(404);
    expect(answer.json.error.type).toBe('not_found_error');
    expect(answer.json.error.message).toContain('/admin/nothing-here');
  });
});

describe('without server.adminKey', () => {
  it('keeps the admin API off', async () => {
    const other = await startTestGateway();
    try {
      const response = await fetch(`${other.url}/admin/keys`, {
        headers: { authorization: 'Bearer anything' },
      });
      expect(response.status).toBe(404);
      expect((await readJson(response)).error.message).toMatch(/server\.adminKey/);
    } finally {
      await other.close();
    }
  });
});
