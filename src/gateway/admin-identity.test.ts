/**
 * The admin API for users, groups, memberships and service tokens, and the
 * policies it sets taking effect on the request path, with the official
 * Anthropic SDK as the caller.
 */

import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf, startTestGateway, type TestGateway } from '../test-support/gateway.js';
import type { LooseJson } from '../test-support/json.js';

const ADMIN_KEY = 'admin-key-for-identity-tests-0123';

let setup: TestGateway;

beforeAll(async () => {
  setup = await startTestGateway({ config: { server: { adminKey: ADMIN_KEY } } });
});
afterAll(async () => {
  await setup.close();
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
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

const ask = (apiKey: string, model = 'claude-sonnet-5-5') =>
  new Anthropic({ baseURL: setup.url, apiKey, maxRetries: 0 }).messages.create({
    model,
    max_tokens: 16,
    messages: [{ role: 'user', content: 'identity admin' }],
  });

type ApiError = InstanceType<typeof Anthropic.APIError>;

describe('groups through the admin API', () => {
  it('creates, lists, reads and changes a group; a misspelt field is refused naming it', async () => {
    const created = await admin('POST', '/admin/groups', {
      name: 'eng',
      description: 'Engineering',
      memberPolicy: { allowedModels: ['sonnet', 'haiku'], dailyBudgetUsd: 20, requestsPerMinute: 60 },
      monthlyBudgetUsd: 500,
    });
    expect(created.status).toBe(201);
    expect(created.json.group).toMatchObject({
      name: 'eng',
      memberPolicy: { allowedModels: ['sonnet', 'haiku'], dailyBudgetUsd: 20 },
      monthlyBudgetUsd: 500,
    });
    expect((await admin('POST', '/admin/groups', { name: 'eng' })).status).toBe(409);

    const misspelt = await admin('PATCH', '/admin/groups/eng', { memberPolicy: { dailyBudgetUSD: 5 } });
    expect(misspelt.status).toBe(400);
    expect(misspelt.json.error.message).toContain(
      'unknown field "dailyBudgetUSD"; did you mean "dailyBudgetUsd"?',
    );
    const typo = await admin('PATCH', '/admin/groups/eng', { monthlyBudget: 5 });
    expect(typo.json.error.message).toContain('unknown field "monthlyBudget"');

    const changed = await admin('PATCH', '/admin/groups/eng', {
      memberPolicy: { requestsPerMinute: null, tokensPerMinute: 10_000 },
      dailyBudgetUsd: 50,
    });
    expect(changed.status).toBe(200);
    expect(changed.json.group.memberPolicy).toEqual({
      allowedModels: ['sonnet', 'haiku'],
      dailyBudgetUsd: 20,
      tokensPerMinute: 10_000,
    });
    expect(changed.json.group.dailyBudgetUsd).toBe(50);

    const listed = await admin('GET', '/admin/groups');
    expect(listed.json.groups.map((group: { name: string }) => group.name)).toContain('eng');
    const one = await admin('GET', '/admin/groups/eng');
    expect(one.json).toMatchObject({ group: { name: 'eng' }, members: [] });

    const missing = await admin('GET', '/admin/groups/engg');
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toContain('There is no group "engg"; did you mean "eng"?');
    expect((await admin('PATCH', '/admin/groups/nope', { description: 'x' })).status).toBe(404);
    expect((await admin('GET', '/admin/groupz')).status).toBe(404);
  });
});

describe('users through the admin API', () => {
  it('creates a user in a group, refuses a group the gateway lacks, and finds them by id, name or e-mail', async () => {
    const unknownGroup = await admin('POST', '/admin/users', { name: 'zed', groups: ['engg'] });
    expect(unknownGroup.status).toBe(404);
    expect(unknownGroup.json.error.message).toContain('did you mean "eng"?');

    const created = await admin('POST', '/admin/users', {
      name: 'alice',
      email: 'alice@example.com',
      groups: ['eng'],
      policy: { monthlyBudgetUsd: 30 },
    });
    expect(created.status).toBe(201);
    const user = created.json.user;
    expect(user).toMatchObject({
      name: 'alice',
      source: 'admin',
      groups: ['eng'],
      policy: { monthlyBudgetUsd: 30 },
    });
    for (const reference of [user.id, 'alice', 'alice@example.com']) {
      const found = await admin('GET', `/admin/users/${encodeURIComponent(reference)}`);
      expect(found.status).toBe(200);
      expect(found.json.user.id).toBe(user.id);
    }
    expect(
      (await admin('GET', '/admin/users')).json.users.map((each: { name: string }) => each.name),
    ).toContain('alice');
    const nobody = await admin('GET', '/admin/users/nobody@example.com');
    expect(nobody.status).toBe(404);
    expect(nobody.json.error.message).toContain('No user matches "nobody@example.com"');

    const misspelt = await admin('PATCH', '/admin/users/alice', { policy: { residancy: 'eu' } });
    expect(misspelt.status).toBe(400);
    expect(misspelt.json.error.message).toContain('unknown field "residancy"; did you mean "residency"?');
    const wrong = await admin('POST', '/admin/users', { name: 'bob', emial: 'bob@example.com' });
    expect(wrong.json.error.message).toContain('unknown field "emial"; did you mean "email"?');
  });

  it("gives a user a key; the user's and their group's policy hold for it, and disabling the user refuses it", async () => {
    const key = await admin('POST', '/admin/keys', { name: 'alice-laptop', user: 'alice@example.com' });
    expect(key.status).toBe(201);
    const alice = (await admin('GET', '/admin/users/alice')).json.user;
    expect(key.json.key.userId).toBe(alice.id);
    const secret: string = key.json.secret;
    expect((await ask(secret)).type).toBe('message');

    // The group's allowlist holds for the user's key.
    const refused = await failureOf<ApiError>(ask(secret, 'claude-opus-5-5'));
    expect(refused.status).toBe(403);
    expect(refused.message).toContain('group "eng" allows only sonnet, haiku');

    const noOne = await admin('POST', '/admin/keys', { name: 'orphan', user: 'nobody' });
    expect(noOne.status).toBe(404);
    expect(noOne.json.error.message).toContain('No user matches "nobody"');

    // The user's own allowlist narrows it further, at once.
    expect(
      (await admin('PATCH', '/admin/users/alice', { policy: { allowedModels: ['claude-haiku-5-5'] } }))
        .status,
    ).toBe(200);
    const narrowed = await failureOf<ApiError>(ask(secret));
    expect(narrowed.status).toBe(403);
    expect(narrowed.message).toContain('your own user policy allows only claude-haiku-5-5');
    expect((await ask(secret, 'claude-haiku-5-5')).type).toBe('message');

    // A user with a key is disabled, not deleted; the key is refused at once.
    const deleted = await admin('DELETE', '/admin/users/alice');
    expect(deleted.status).toBe(200);
    expect(deleted.json).toMatchObject({ deleted: false, user: { name: 'alice' } });
    expect(deleted.json.note).toContain('disabled rather than deleted');
    const disabled = await failureOf<ApiError>(ask(secret, 'claude-haiku-5-5'));
    expect(disabled.status).toBe(401);
    expect(disabled.message).toContain('alice');

    const forDisabled = await admin('POST', '/admin/keys', { name: 'alice-2', user: 'alice' });
    expect(forDisabled.status).toBe(400);
    expect(forDisabled.json.error.message).toContain('is disabled');
    expect(
      (await admin('PATCH', '/admin/users/alice', { disabled: false })).json.user.disabledAt,
    ).toBeUndefined();
    expect((await ask(secret, 'claude-haiku-5-5')).type).toBe('message');
  });

  it('deletes a user nothing refers to', async () => {
    const created = await admin('POST', '/admin/users', { name: 'temp' });
    const deleted = await admin('DELETE', `/admin/users/${created.json.user.id}`);
    expect(deleted.json).toMatchObject({ deleted: true });
    expect((await admin('GET', '/admin/users/temp')).status).toBe(404);
    expect((await admin('DELETE', '/admin/users/temp')).status).toBe(404);
  });
});

describe('memberships through the admin API', () => {
  it('adds a user to a group and takes them out; the group lists its members', async () => {
    await admin('POST', '/admin/groups', { name: 'ops', memberPolicy: { residency: 'eu' } });
    const carol = (await admin('POST', '/admin/users', { name: 'carol', groups: ['eng'] })).json.user;
    const added = await admin('POST', '/admin/groups/ops/members', { user: 'carol' });
    expect(added.status).toBe(200);
    expect(added.json).toMatchObject({ added: true, user: { groups: ['eng', 'ops'] } });
    expect((await admin('POST', '/admin/groups/ops/members', { user: 'carol' })).json.added).toBe(false);
    expect((await admin('GET', '/admin/groups/ops')).json.members).toEqual([{ id: carol.id, name: 'carol' }]);
    const listed = (await admin('GET', '/admin/groups')).json.groups.find(
      (group: { name: string }) => group.name === 'ops',
    );
    expect(listed.members).toEqual([{ id: carol.id, name: 'carol' }]);

    const misspelt = await admin('POST', '/admin/groups/ops/members', { usr: 'carol' });
    expect(misspelt.status).toBe(400);
    expect(misspelt.json.error.message).toContain('unknown field "usr"');
    expect((await admin('POST', '/admin/groups/nope/members', { user: 'carol' })).status).toBe(404);
    expect((await admin('POST', '/admin/groups/ops/members', { user: 'nobody' })).status).toBe(404);

    const removed = await admin('DELETE', '/admin/groups/ops/members/carol');
    expect(removed.status).toBe(200);
    expect(removed.json.user.groups).toEqual(['eng']);
    const again = await admin('DELETE', '/admin/groups/ops/members/carol');
    expect(again.status).toBe(404);
    expect(again.json.error.message).toContain('carol is not in group "ops"');
  });
});

describe('service tokens through the admin API', () => {
  it("creates a token for a group (secret shown once), held to the group's policy, then revokes it", async () => {
    const noExpiry = await admin('POST', '/admin/tokens', { name: 'ci', group: 'eng' });
    expect(noExpiry.status).toBe(400);
    expect(noExpiry.json.error.message).toContain('needs an expiry');
    const noGroup = await admin('POST', '/admin/tokens', { name: 'ci', group: 'nope', expiresAt: '30d' });
    expect(noGroup.status).toBe(400);
    expect(noGroup.json.error.message).toContain('there is no group "nope"');
    const misspelt = await admin('POST', '/admin/tokens', { name: 'ci', grop: 'eng', expiresAt: '30d' });
    expect(misspelt.json.error.message).toContain('unknown field "grop"; did you mean "group"?');

    const created = await admin('POST', '/admin/tokens', { name: 'ci', group: 'eng', expiresAt: '30d' });
    expect(created.status).toBe(201);
    expect(created.json.secret).toMatch(/^cgwt_/);
    expect(created.json.token).toMatchObject({
      name: 'ci',
      group: 'eng',
      expiresAt: Date.parse('2027-01-04T12:00:00Z'),
    });
    expect(created.json.token.hash).toBeUndefined();
    const secret: string = created.json.secret;

    const listed = await admin('GET', '/admin/tokens');
    expect(JSON.stringify(listed.json)).not.toContain(secret);
    expect(listed.json.tokens.map((token: { name: string }) => token.name)).toEqual(['ci']);

    expect((await ask(secret)).type).toBe('message');
    const refused = await failureOf<ApiError>(ask(secret, 'claude-opus-5-5'));
    expect(refused.status).toBe(403);
    expect(refused.message).toContain('service token "ci"');

    const blocked = await admin('DELETE', '/admin/groups/eng');
    expect(blocked.status).toBe(409);
    expect(blocked.json.error.message).toContain('has active service tokens (ci)');

    expect((await admin('DELETE', '/admin/tokens/ci')).json.token.revokedAt).toBeDefined();
    const revoked = await failureOf<ApiError>(ask(secret));
    expect(revoked.status).toBe(401);
    expect(revoked.message).toContain('revoked');
    expect((await admin('DELETE', '/admin/tokens/ci')).status).toBe(404);
    expect((await admin('GET', '/admin/tokens')).json.tokens).toEqual([]);
    expect((await admin('GET', '/admin/tokens?all=true')).json.tokens).toHaveLength(1);
  });
});
