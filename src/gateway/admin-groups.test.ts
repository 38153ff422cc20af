/**
 * `auth.oidc.adminGroups`: a signed-in user in one of those groups uses the
 * admin API with their gateway token (with no admin key configured at all);
 * anyone else gets 403 naming the rule, and a bad token the sign-in's 401.
 * The sign-in is a real device flow against an in-process OIDC provider.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';
import { type LooseJson, readJson } from '../test-support/json.js';
import { signInThroughGateway, startTestIdp, type TestIdp } from '../test-support/oidc-idp.js';

const ACCOUNTS = [
  { sub: 'alice-sub', email: 'alice@example.com', name: 'Alice', groups: ['eng', 'platform-admins'] },
  { sub: 'bob-sub', email: 'bob@example.com', name: 'Bob', groups: ['eng'] },
];

let idp: TestIdp;
let setup: TestGateway;

beforeAll(async () => {
  idp = await startTestIdp(ACCOUNTS);
  setup = await startTestGateway({
    config: {
      auth: {
        oidc: {
          issuer: idp.issuer,
          clientId: idp.clientId,
          scopes: ['openid', 'email', 'profile', 'groups'],
          groupsClaim: 'groups',
          adminGroups: ['platform-admins'],
        },
      },
    },
  });
});
afterAll(async () => {
  await setup?.close();
  await idp?.close();
});

async function admin(
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: LooseJson }> {
  const response = await fetch(`${setup.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, json: await readJson(response) };
}

describe('administrators signed in through the identity provider', () => {
  it('lets a member of an admin group use the admin API with their gateway token', async () => {
    const alice = await signInThroughGateway(setup.url, idp, 'alice-sub');
    const created = await admin(alice.access_token, 'POST', '/admin/groups', {
      name: 'eng',
      memberPolicy: { allowedModels: ['haiku'] },
    });
    expect(created.status).toBe(201);
    const users = await admin(alice.access_token, 'GET', '/admin/users');
    expect(users.status).toBe(200);
    expect(users.json.users.map((user: { name: string }) => user.name)).toContain('alice@example.com');
    expect((await admin(alice.access_token, 'GET', '/admin/keys')).status).toBe(200);
  });

  it('refuses a signed-in user outside the admin groups with 403 naming the rule', async () => {
    const bob = await signInThroughGateway(setup.url, idp, 'bob-sub');
    const refused = await admin(bob.access_token, 'GET', '/admin/users');
    expect(refused.status).toBe(403);
    expect(refused.json.error.type).toBe('permission_error');
    expect(refused.json.error.code).toBe('ADMIN_GROUP_REQUIRED');
    expect(refused.json.error.message).toContain(
      "bob@example.com may not use the admin API: it is open to members of platform-admins (auth.oidc.adminGroups), and bob@example.com's groups are eng.",
    );
    expect((await admin(bob.access_token, 'POST', '/admin/groups', { name: 'mine' })).status).toBe(403);
  });

  it('says how to get in without a credential, and refuses a wrong one or an ended sign-in with 401', async () => {
    const none = await admin(undefined, 'GET', '/admin/users');
    expect(none.status).toBe(401);
    expect(none.json.error.message).toContain(
      'as a member of platform-admins (auth.oidc.adminGroups), your gateway token',
    );
    expect(none.json.error.message).not.toContain('server.adminKey"');
    expect((await admin('not-an-admin-key-0123456789', 'GET', '/admin/users')).status).toBe(401);

    const alice = await signInThroughGateway(setup.url, idp, 'alice-sub');
    // Disabled by another administrator: their token no longer opens the admin API.
    const other = await signInThroughGateway(setup.url, idp, 'alice-sub');
    expect(
      (await admin(other.access_token, 'PATCH', '/admin/users/alice@example.com', { disabled: true })).status,
    ).toBe(200);
    const ended = await admin(alice.access_token, 'GET', '/admin/users');
    expect(ended.status).toBe(401);
    expect(ended.json.error.message).toContain('This sign-in was ended');
  });
});

describe('the admin API with neither an admin key nor admin groups', () => {
  it('is off, and says which settings turn it on', async () => {
    const plain = await startTestGateway();
    try {
      const response = await fetch(`${plain.url}/admin/users`);
      expect(response.status).toBe(404);
      expect((await readJson(response)).error.message).toContain(
        'Set server.adminKey (or auth.oidc.adminGroups, for signed-in administrators)',
      );
    } finally {
      await plain.close();
    }
  });
});
