/**
 * Two gateways on one Postgres database (one schema of their own): a key
 * revoked, rotated or narrowed through one reaches the other within 2 s
 * (LISTEN/NOTIFY), not after the 30 s key cache.
 */

import { describe, expect, it } from 'vitest';
import { usePostgresReplicas } from '../test-support/postgres-replicas.js';

const { adminOnFirst, statusOnSecond, untilSecondAnswers } = usePostgresReplicas(
  'replicas',
  'admin-key-for-key-changes-012345',
);

describe('key changes between gateways sharing a Postgres store', () => {
  it('a key revoked through one gateway is refused by the other within 2 s', async () => {
    const created = await adminOnFirst('POST', '/admin/keys', { name: 'shared' });
    expect(created.status).toBe(201);
    const secret: string = created.json.secret;
    // The second gateway has the key cached now.
    expect(await statusOnSecond(secret)).toBe(200);
    expect((await adminOnFirst('DELETE', '/admin/keys/shared')).status).toBe(200);
    const seen = await untilSecondAnswers(401, secret);
    expect(seen.at(-1), `statuses: ${seen.join(', ')}`).toBe(401);
  });

  it('a rotation (grace 0) and a narrowing update reach the other gateway within 2 s', async () => {
    const created = await adminOnFirst('POST', '/admin/keys', { name: 'rotated' });
    const old: string = created.json.secret;
    expect(await statusOnSecond(old)).toBe(200);
    const rotated = await adminOnFirst('POST', '/admin/keys/rotated/rotate', { grace: '0' });
    expect(rotated.status).toBe(200);
    const fresh: string = rotated.json.secret;
    expect((await untilSecondAnswers(401, old)).at(-1)).toBe(401);
    expect(await statusOnSecond(fresh)).toBe(200);

    expect(
      (await adminOnFirst('PATCH', '/admin/keys/rotated', { allowedModels: ['claude-haiku-4-5'] })).status,
    ).toBe(200);
    expect((await untilSecondAnswers(403, fresh)).at(-1)).toBe(403);
    expect(await statusOnSecond(fresh, 'claude-haiku-4-5')).toBe(200);
  });
});
