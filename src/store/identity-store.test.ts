import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestPostgres, TEST_POSTGRES_URL } from './__fixtures__/postgres.js';
import { request } from './__fixtures__/records.js';
import { openPostgresStore } from './postgres-store.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './types.js';

const NOW = Date.parse('2026-12-05T12:00:00Z');
const schemaPrefix = `identity_test_${randomBytes(4).toString('hex')}`;
let admin: postgres.Sql | undefined;
let schemas = 0;

beforeAll(async () => {
  const connected = await connectTestPostgres();
  if (connected instanceof Error) throw connected;
  admin = connected;
});
afterAll(async () => {
  const leftovers = await admin?.unsafe(
    `SELECT nspname FROM pg_namespace WHERE starts_with(nspname, '${schemaPrefix}')`,
  );
  for (const { nspname } of leftovers ?? []) await admin?.unsafe(`DROP SCHEMA "${nspname}" CASCADE`);
  await admin?.end({ timeout: 5 });
});

const BACKENDS: { name: string; open: () => Promise<Store> }[] = [
  { name: 'sqlite', open: () => openSqliteStore({ path: ':memory:' }) },
  {
    name: 'postgres',
    open: () => {
      schemas += 1;
      return openPostgresStore({ url: TEST_POSTGRES_URL, schema: `${schemaPrefix}_${schemas}` });
    },
  },
];

describe.each(BACKENDS)('identity store: $name', ({ open }) => {
  it('keeps an IdP user by issuer and subject, with the groups of their latest sign-in', async () => {
    const store = await open();
    try {
      const identity = store.identity;
      expect(await identity.credentialsExist()).toBe(false);
      const first = await identity.upsertSignedInUser(
        { issuer: 'https://idp', subject: 'alice-sub', email: 'alice@example.com', groups: ['eng', 'all'] },
        NOW,
      );
      expect(first).toMatchObject({ name: 'alice@example.com', source: 'oidc', groups: ['eng', 'all'] });
      const again = await identity.upsertSignedInUser(
        { issuer: 'https://idp', subject: 'alice-sub', email: 'alice@example.com', groups: ['interns'] },
        NOW + 1000,
      );
      expect(again.id).toBe(first.id);
      expect((await identity.findUser('alice@example.com'))?.groups).toEqual(['interns']);
      expect((await identity.findUser(first.id))?.lastLoginAt).toBe(NOW + 1000);
      // Another issuer's subject is another person.
      const other = await identity.upsertSignedInUser(
        { issuer: 'https://other', subject: 'alice-sub', groups: [] },
        NOW,
      );
      expect(other.id).not.toBe(first.id);
      expect(await identity.credentialsExist()).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('creates and changes groups and users; null removes a rule, a misspelt field is named', async () => {
    const store = await open();
    try {
      const identity = store.identity;
      await identity.createGroup(
        {
          name: 'eng',
          memberPolicy: { allowedModels: ['sonnet'], dailyBudgetUsd: 5 },
          monthlyBudgetUsd: 100,
        },
        NOW,
      );
      await expect(identity.createGroup({ name: 'eng' }, NOW)).rejects.toMatchObject({ code: 'NAME_TAKEN' });
      await expect(
        identity.createGroup({ name: 'x', memberPolicy: { resdency: 'eu' } as never }, NOW),
      ).rejects.toThrow('did you mean "residency"?');
      const group = await identity.updateGroup('eng', {
        memberPolicy: { dailyBudgetUsd: null, requestsPerMinute: 10 },
        monthlyBudgetUsd: null,
      });
      expect(group).toMatchObject({ memberPolicy: { allowedModels: ['sonnet'], requestsPerMinute: 10 } });
      expect(group?.memberPolicy.dailyBudgetUsd).toBeUndefined();
      expect(group?.monthlyBudgetUsd).toBeUndefined();

      const bob = await identity.createUser(
        { name: 'bob', email: 'bob@example.com', groups: ['eng'], policy: { tokensPerMinute: 1000 } },
        NOW,
      );
      expect(bob).toMatchObject({ source: 'admin', groups: ['eng'], policy: { tokensPerMinute: 1000 } });
      const { record: session, refreshToken } = await identity.createSession(bob.id, NOW + 86_400_000, NOW);
      expect((await identity.lookupRefreshToken(refreshToken))?.id).toBe(session.id);
      const disabled = await identity.updateUser('bob', { disabled: true }, NOW + 5);
      expect(disabled?.disabledAt).toBe(NOW + 5);
      expect((await identity.findSession(session.id))?.revokedAt).toBe(NOW + 5);
      expect((await identity.listUsers()).map((user) => [user.name, user.groups])).toEqual([
        ['bob', ['eng']],
      ]);
      expect(await identity.deleteGroup('eng')).toMatchObject({ name: 'eng' });
      expect(await identity.listGroups()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('issues service tokens for a group that exists, finds them by secret, revokes them', async () => {
    const store = await open();
    try {
      const identity = store.identity;
      await expect(
        identity.createServiceToken({ name: 'ci', group: 'nope', expiresAt: NOW + 1000 }, NOW),
      ).rejects.toThrow('there is no group "nope"');
      await identity.createGroup({ name: 'ci' }, NOW);
      await expect(
        identity.createServiceToken({ name: 'ci', group: 'ci', expiresAt: NOW - 1 }, NOW),
      ).rejects.toThrow('not in the future');
      const { record, secret } = await identity.createServiceToken(
        { name: 'deploy', group: 'ci', expiresAt: NOW + 1000 },
        NOW,
      );
      expect(secret).toMatch(/^cgwt_/);
      expect(record.prefix).toBe(secret.slice(0, 9));
      expect((await identity.lookupServiceToken(secret))?.id).toBe(record.id);
      expect(await identity.lookupServiceToken(`${secret}x`)).toBeUndefined();
      expect((await identity.revokeServiceToken('deploy', NOW + 1))?.revokedAt).toBe(NOW + 1);
      expect((await identity.lookupServiceToken(secret))?.revokedAt).toBe(NOW + 1);
      expect(await identity.listServiceTokens()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it("sums spend by the log rows' user and group columns, as each request was charged", async () => {
    const store = await open();
    try {
      const identity = store.identity;
      await identity.createGroup({ name: 'eng' }, NOW);
      await identity.createGroup({ name: 'ops' }, NOW);
      const alice = await identity.createUser({ name: 'alice', groups: ['eng'] }, NOW);
      const key = await store.createKey({ name: 'alice-laptop', userId: alice.id });
      const { record: session } = await identity.createSession(alice.id, NOW + 1000, NOW);
      const token = await identity.createServiceToken(
        { name: 'ci', group: 'eng', expiresAt: NOW + 1000 },
        NOW,
      );
      const asAlice = { userId: alice.id, userName: 'alice', group: 'eng' };
      await store.recordRequest(
        request({ id: 'r1', time: NOW, keyId: key.record.id, costUsd: 0.25, ...asAlice }),
      );
      await store.recordRequest(
        request({ id: 'r2', time: NOW, keyId: session.id, costUsd: 0.5, ...asAlice }),
      );
      await store.recordRequest(
        request({
          id: 'r3',
          time: NOW,
          keyId: token.record.id,
          userId: token.record.id,
          group: 'eng',
          costUsd: 1,
        }),
      );
      await store.recordRequest(
        request({ id: 'r4', time: NOW - 10, keyId: session.id, costUsd: 8, ...asAlice }),
      );
      // Charged to ops when it was served: moving alice later does not move it.
      await store.recordRequest(
        request({ id: 'r5', time: NOW, keyId: session.id, costUsd: 2, ...asAlice, group: 'ops' }),
      );
      // A row of a key that was not hers when it was served stays off her spend.
      await store.recordRequest(request({ id: 'r6', time: NOW, keyId: key.record.id, costUsd: 16 }));
      await store.flush();
      await identity.updateUser('alice', { groups: ['ops'] }, NOW);
      expect(await identity.userSpendSince(alice.id, NOW)).toBeCloseTo(2.75);
      expect(await identity.groupSpendSince('eng', NOW)).toBeCloseTo(1.75);
      expect(await identity.groupSpendSince('ops', NOW)).toBeCloseTo(2);
      expect(await identity.groupSpendSince('other', NOW)).toBe(0);
      expect(await identity.serviceTokenSpendSince(token.record.id, NOW)).toBeCloseTo(1);
      expect((await store.listKeys())[0]?.userId).toBe(alice.id);
    } finally {
      await store.close();
    }
  });

  it('deletes a user nothing refers to, and disables one that keys, sign-ins or log rows name', async () => {
    const store = await open();
    try {
      const identity = store.identity;
      await identity.createGroup({ name: 'eng' }, NOW);
      const carol = await identity.createUser({ name: 'carol', groups: ['eng'] }, NOW);
      expect(await identity.deleteUser('carol', NOW)).toMatchObject({
        deleted: true,
        user: { id: carol.id },
      });
      expect(await identity.findUser('carol')).toBeUndefined();
      expect(await identity.deleteUser('carol', NOW)).toBeUndefined();

      const dave = await identity.createUser({ name: 'dave' }, NOW);
      await store.createKey({ name: 'dave-laptop', userId: dave.id });
      const kept = await identity.deleteUser(dave.id, NOW + 5);
      expect(kept).toMatchObject({ deleted: false, user: { disabledAt: NOW + 5 } });
      expect((await identity.findUser('dave'))?.disabledAt).toBe(NOW + 5);

      const erin = await identity.createUser({ name: 'erin' }, NOW);
      await store.recordRequest(request({ id: 'e1', time: NOW, userId: erin.id, costUsd: 0 }));
      await store.flush();
      expect((await identity.deleteUser('erin', NOW))?.deleted).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('makes one token signing secret and keeps it', async () => {
    const store = await open();
    try {
      const secret = await store.identity.tokenSigningSecret();
      expect(secret.byteLength).toBe(32);
      expect(await store.identity.tokenSigningSecret()).toEqual(secret);
    } finally {
      await store.close();
    }
  });

  it('keeps dashboard sessions until they are ended, by signing out or by disabling their user', async () => {
    const store = await open();
    try {
      const identity = store.identity;
      const admin = await identity.createUiSession(
        { subject: 'admin', via: 'admin-key', expiresAt: NOW + 1000, clientAddress: '127.0.0.1' },
        NOW,
      );
      expect(admin).toMatchObject({
        subject: 'admin',
        via: 'admin-key',
        createdAt: NOW,
        expiresAt: NOW + 1000,
      });
      expect(admin.id).toMatch(/^uis_[0-9a-f]{16}$/);
      expect(await identity.findUiSession(admin.id)).toEqual(admin);
      const alice = await identity.upsertSignedInUser(
        { issuer: 'https://idp', subject: 'alice-sub', email: 'alice@example.com', groups: ['admins'] },
        NOW,
      );
      const hers = await identity.createUiSession(
        { subject: alice.name, via: 'oidc', userId: alice.id, expiresAt: NOW + 2000, userAgent: 'Chromium' },
        NOW + 1,
      );
      expect((await identity.listUiSessions()).map((session) => session.id)).toEqual([hers.id, admin.id]);

      expect(await identity.endUiSession(admin.id, NOW + 10)).toMatchObject({ endedAt: NOW + 10 });
      expect((await identity.endUiSession(admin.id, NOW + 20))?.endedAt).toBe(NOW + 10);
      expect(await identity.endUiSession('uis_0000000000000000', NOW)).toBeUndefined();
      expect((await identity.listUiSessions()).map((session) => session.id)).toEqual([hers.id]);
      expect(await identity.listUiSessions({ includeEnded: true })).toHaveLength(2);

      await identity.updateUser(alice.id, { disabled: true }, NOW + 30);
      expect((await identity.findUiSession(hers.id))?.endedAt).toBe(NOW + 30);
      expect(await identity.listUiSessions()).toEqual([]);
      // A month after they expired, the next sign-in clears them away.
      const later = NOW + 31 * 24 * 60 * 60 * 1000;
      const next = await identity.createUiSession(
        { subject: 'admin', via: 'admin-key', expiresAt: later + 1000 },
        later,
      );
      expect((await identity.listUiSessions({ includeEnded: true })).map((session) => session.id)).toEqual([
        next.id,
      ]);
    } finally {
      await store.close();
    }
  });
});
