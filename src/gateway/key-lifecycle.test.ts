/**
 * Keys with a life cycle, through the gateway and its admin API, on the
 * gateway's injected clock: expiry, rotation with a grace period, updates in
 * place, last-used times, and key names in the admin API's filters.
 */

import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../clock.js';
import { failureOf, startTestGateway, TEST_NOW, type TestGateway } from '../test-support/gateway.js';
import { type LooseJson, readJson } from '../test-support/json.js';

const ADMIN_KEY = 'admin-key-for-key-lifecycle-0123';
const START = Date.parse(TEST_NOW);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let now = START;
const clock: Clock = () => now;
let setup: TestGateway;

beforeAll(async () => {
  setup = await startTestGateway({
    clock,
    config: {
      server: { adminKey: ADMIN_KEY },
      routes: [
        { models: ['claude-sonnet-4-5'], targets: ['bedrock/global'] },
        { models: ['claude-haiku-4-5'], targets: ['anthropic'] },
      ],
    },
    // Keys are required from the start: the gateway is never open in these tests.
    keys: [{ name: 'keeps-the-gateway-closed' }],
  });
});
afterAll(async () => {
  await setup.close();
});
beforeEach(() => {
  now = START;
  setup.emulator.state.reset();
});

async function admin(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: LooseJson }> {
  const response = await fetch(`${setup.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_KEY}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  return { status: response.status, json: await readJson(response) };
}

async function newKey(body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const created = await admin('POST', '/admin/keys', body);
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  return { id: created.json.key.id, secret: created.json.secret };
}

const ask = (apiKey: string, model = 'claude-sonnet-4-5') =>
  new Anthropic({ baseURL: setup.url, apiKey, maxRetries: 0 }).messages.create({
    model,
    max_tokens: 20,
    messages: [{ role: 'user', content: 'key life cycle' }],
  });

type APIError = InstanceType<typeof Anthropic.APIError>;

/** The refusal in each dialect: status, and the message as the client reads it. */
async function refusals(secret: string): Promise<{ dialect: string; status: number; message: string }[]> {
  const anthropic = await fetch(`${setup.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': secret, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 5,
      messages: [{ role: 'user', content: 'x' }],
    }),
  });
  const bedrock = await fetch(`${setup.url}/model/global.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 5,
      messages: [{ role: 'user', content: 'x' }],
    }),
  });
  const vertex = await fetch(
    `${setup.url}/v1/projects/p/locations/global/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({
        anthropic_version: 'vertex-2023-10-16',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'x' }],
      }),
    },
  );
  const bedrockType = bedrock.headers.get('x-amzn-errortype') ?? '';
  for (const response of [anthropic, bedrock, vertex])
    expect(response.headers.get('x-should-retry')).toBe('false');
  const [a, b, v] = await Promise.all([readJson(anthropic), readJson(bedrock), readJson(vertex)]);
  expect(a.error.type).toBe('authentication_error');
  expect(bedrockType).toMatch(/^UnrecognizedClientException:/);
  expect(v.error.status).toBe('PERMISSION_DENIED');
  return [
    { dialect: 'anthropic', status: anthropic.status, message: a.error.message },
    { dialect: 'bedrock', status: bedrock.status, message: b.message },
    { dialect: 'vertex', status: vertex.status, message: v.error.message },
  ];
}

describe('expiry', () => {
  it('lets a key in until its expiresAt on the gateway clock, then refuses it in every dialect saying when it expired', async () => {
    const key = await newKey({ name: 'expiring', expiresAt: '2026-12-06T00:00:00Z' });
    const listed = await admin('GET', '/admin/keys');
    const shown = listed.json.keys.find((row: { id: string }) => row.id === key.id);
    expect(shown.expiresAt).toBe(Date.parse('2026-12-06T00:00:00Z'));

    now = Date.parse('2026-12-05T23:59:59Z');
    expect((await ask(key.secret)).type).toBe('message');
    now = Date.parse('2026-12-06T00:00:00Z');
    const error = await failureOf<APIError>(ask(key.secret));
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    const answers = await refusals(key.secret);
    // Vertex gets 403 PERMISSION_DENIED for every key refusal: Claude Code's Vertex mode retries a 401.
    expect(answers.map((answer) => [answer.dialect, answer.status])).toEqual([
      ['anthropic', 401],
      ['bedrock', 401],
      ['vertex', 403],
    ]);
    for (const answer of answers) {
      expect(answer.message).toBe(
        'The gateway key "expiring" expired at 2026-12-06T00:00:00.000Z. Ask an administrator for a new key, or to extend this one (`claude-gateway keys update expiring --expires 30d`).',
      );
    }
    expect(setup.emulator.state.journal.list()).toHaveLength(1);

    // Extended in place (PATCH): accepted again at once.
    const extended = await admin('PATCH', '/admin/keys/expiring', { expiresAt: '30d' });
    expect(extended.status).toBe(200);
    expect(extended.json.key.expiresAt).toBe(now + 30 * 24 * HOUR);
    expect((await ask(key.secret)).type).toBe('message');
  });

  it('refuses an expiry that is not a time, or already past on the gateway clock', async () => {
    const wrong = await admin('POST', '/admin/keys', { name: 'x', expiresAt: 'next tuesday' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.message).toMatch(/length of time like 30d.*ISO date/);
    const past = await admin('POST', '/admin/keys', { name: 'x', expiresAt: '2026-12-05T11:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.json.error.message).toContain('is not in the future (now 2026-12-05T12:00:00.000Z)');
  });
});

describe('rotation', () => {
  it('issues a new secret; the old one works until the grace period ends, then is refused as rotated', async () => {
    const key = await newKey({ name: 'rotating', monthlyBudgetUsd: 10 });
    expect((await ask(key.secret)).type).toBe('message');
    const rotated = await admin('POST', '/admin/keys/rotating/rotate', { grace: '1h' });
    expect(rotated.status).toBe(200);
    expect(rotated.json.key).toMatchObject({
      id: key.id,
      name: 'rotating',
      monthlyBudgetUsd: 10,
      rotatedAt: now,
    });
    expect(rotated.json.key).not.toHaveProperty('hash');
    expect(rotated.json.previousSecretValidUntil).toBe(now + HOUR);
    const fresh: string = rotated.json.secret;
    expect(fresh).toMatch(/^cgw_/);
    expect(fresh).not.toBe(key.secret);

    now = START + HOUR - 1;
    expect((await ask(key.secret)).type).toBe('message');
    expect((await ask(fresh)).type).toBe('message');
    now = START + HOUR;
    const answers = await refusals(key.secret);
    expect(answers.map((answer) => answer.status)).toEqual([401, 401, 403]);
    for (const answer of answers) {
      expect(answer.message).toBe(
        'This secret of the gateway key "rotating" was replaced at 2026-12-05T12:00:00.000Z (the key was rotated) and stopped working at 2026-12-05T13:00:00.000Z. Use the key\'s new secret.',
      );
    }
    expect((await ask(fresh)).type).toBe('message');
    // The same key throughout: one id in the log, old secret and new.
    await setup.store.flush();
    const rows = await admin('GET', `/admin/requests?key=${key.id}`);
    expect(rows.json.requests.filter((row: { status: number }) => row.status === 200)).toHaveLength(4);
  });

  it('ends the old secret at once with grace 0, and takes no body as the default grace (24h)', async () => {
    const key = await newKey({ name: 'rotate-now' });
    const immediate = await admin('POST', `/admin/keys/${key.id}/rotate`, { grace: '0' });
    expect(immediate.status).toBe(200);
    await expect(ask(key.secret)).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
    const byDefault = await fetch(`${setup.url}/admin/keys/rotate-now/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(byDefault.status).toBe(200);
    expect((await readJson(byDefault)).previousSecretValidUntil).toBe(now + 24 * HOUR);
    expect((await ask(immediate.json.secret)).type).toBe('message');

    const misspelt = await admin('POST', '/admin/keys/rotate-now/rotate', { gracePeriod: '1h' });
    expect(misspelt.status).toBe(400);
    expect(misspelt.json.error.message).toContain('unknown field "gracePeriod"');
    const badGrace = await admin('POST', '/admin/keys/rotate-now/rotate', { grace: 'a while' });
    expect(badGrace.status).toBe(400);
    expect((await admin('POST', '/admin/keys/nobody/rotate', {})).status).toBe(404);
  });
});

describe('updates in place', () => {
  it('applies a PATCH to the next request at once, validated like create', async () => {
    const key = await newKey({ name: 'patched' });
    expect((await ask(key.secret)).type).toBe('message');
    const narrowed = await admin('PATCH', `/admin/keys/${key.id}`, { allowedModels: ['claude-haiku-4-5'] });
    expect(narrowed.status).toBe(200);
    expect(narrowed.json.key).toMatchObject({ id: key.id, allowedModels: ['claude-haiku-4-5'] });
    const refused = await failureOf<APIError>(ask(key.secret));
    expect(refused.status).toBe(403);
    expect((await ask(key.secret, 'claude-haiku-4-5')).type).toBe('message');
    const widened = await admin('PATCH', '/admin/keys/patched', {
      allowedModels: null,
      requestsPerMinute: 100,
    });
    expect(widened.json.key).not.toHaveProperty('allowedModels');
    expect(widened.json.key.requestsPerMinute).toBe(100);
    expect((await ask(key.secret)).type).toBe('message');

    const misspelt = await admin('PATCH', '/admin/keys/patched', { monthlyBudget: 5 });
    expect(misspelt.status).toBe(400);
    expect(misspelt.json.error.message).toBe(
      'Cannot update the key: unknown field "monthlyBudget"; did you mean "monthlyBudgetUsd"?',
    );
    const badValue = await admin('PATCH', '/admin/keys/patched', { residency: 'mars' });
    expect(badValue.status).toBe(400);
    expect(badValue.json.error.message).toMatch(/residency must be one of/);
    expect((await admin('PATCH', '/admin/keys/patched', '[]')).status).toBe(400);
    expect((await admin('PATCH', '/admin/keys/nobody', { monthlyBudgetUsd: 1 })).status).toBe(404);
  });
});

describe('last use', () => {
  it('is written at most once a minute per key, on the gateway clock, and shown by the admin API', async () => {
    const key = await newKey({ name: 'used' });
    const lastUsed = async () =>
      (await admin('GET', '/admin/keys')).json.keys.find((row: { id: string }) => row.id === key.id)
        .lastUsedAt;
    expect(await lastUsed()).toBeUndefined();
    await ask(key.secret);
    expect(await lastUsed()).toBe(START);
    now = START + 59_000;
    await ask(key.secret);
    expect(await lastUsed()).toBe(START);
    now = START + MINUTE;
    await ask(key.secret);
    expect(await lastUsed()).toBe(START + MINUTE);
  });
});

describe('the admin API filters by key name, id or prefix', () => {
  it('finds the requests of a key by any of them, and says when no key matches', async () => {
    const key = await newKey({ name: 'filtered' });
    await ask(key.secret);
    await setup.store.flush();
    const prefix = key.secret.slice(0, 8);
    for (const reference of ['filtered', key.id, prefix]) {
      const answer = await admin('GET', `/admin/requests?key=${encodeURIComponent(reference)}`);
      expect(answer.status, reference).toBe(200);
      expect(answer.json.requests.length, reference).toBeGreaterThanOrEqual(1);
      expect(answer.json.requests.every((row: { keyId: string }) => row.keyId === key.id)).toBe(true);
    }
    const summary = await admin('GET', '/admin/summary?key=filtered');
    expect(summary.json.byKey.map((row: { keyId: string }) => row.keyId)).toEqual([key.id]);
    const missing = await admin('GET', '/admin/requests?key=nobody');
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toContain('No gateway key matches "nobody"');
  });
});
