/**
 * Two gateways on one Postgres database (one schema of their own): a user
 * disabled, a group's allowlist changed and a service token revoked through
 * one reach the other within 2 s (LISTEN/NOTIFY), not after the 30 s
 * identity cache.
 */

import { describe, expect, it } from 'vitest';
import { usePostgresReplicas } from '../test-support/postgres-replicas.js';

const { adminOnFirst, statusOnSecond, untilSecondAnswers } = usePostgresReplicas(
  'identity',
  'admin-key-for-identity-changes-01',
);

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
