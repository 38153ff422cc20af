import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestPostgres, TEST_POSTGRES_URL } from './__fixtures__/postgres.js';
import { request } from './__fixtures__/records.js';
import { POSTGRES_MIGRATIONS } from './postgres-schema.js';
import { openPostgresStore } from './postgres-store.js';
import { StoreError } from './store-error.js';

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('Postgres store: opening', () => {
  it('says which server it cannot reach, without the password', async () => {
    const port = await closedPort();
    const error = await openPostgresStore({ url: `postgres://gateway:hunter2@127.0.0.1:${port}/logs` }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_UNREACHABLE' });
    const message = (error as Error).message;
    expect(message).toContain(`postgres://gateway:***@127.0.0.1:${port}/logs`);
    expect(message).toContain('ECONNREFUSED');
    expect(message).not.toContain('hunter2');
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(openPostgresStore({ url: `${TEST_POSTGRES_URL}?schema=a;drop` })).rejects.toMatchObject({
      code: 'BAD_STORE_URL',
    });
  });
});

describe('Postgres store: schemas and replicas', () => {
  const prefix = `cgw_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  let admin: postgres.Sql | Error = new Error('not connected');

  beforeAll(async () => {
    admin = await connectTestPostgres();
  });
  afterAll(async () => {
    if (admin instanceof Error) return;
    const schemas = await admin`SELECT nspname FROM pg_namespace WHERE starts_with(nspname, ${prefix})`;
    for (const { nspname } of schemas) await admin.unsafe(`DROP SCHEMA "${nspname}" CASCADE`);
    await admin.end({ timeout: 5 });
  });

  function database(): postgres.Sql {
    if (admin instanceof Error) throw admin;
    return admin;
  }

  it('keeps its tables in the schema the URL names, apart from other schemas', async () => {
    const sql = database();
    const first = await openPostgresStore({ url: `${TEST_POSTGRES_URL}?schema=${prefix}_a` });
    const second = await openPostgresStore({
      url: `${TEST_POSTGRES_URL}?schema=ignored`,
      schema: `${prefix}_b`,
    });
    try {
      await first.recordRequest(request({ id: 'only-in-a' }));
      await first.flush();
      expect(await first.queryRequests()).toHaveLength(1);
      expect(await second.queryRequests()).toHaveLength(0);
      const tables =
        await sql`SELECT table_name FROM information_schema.tables WHERE table_schema = ${`${prefix}_a`} ORDER BY 1`;
      expect(tables.map((row) => row.table_name)).toEqual([
        'api_key_old_secrets',
        'api_keys',
        'attempts',
        'auth_secrets',
        'auth_sessions',
        'budget_alerts',
        'identity_groups',
        'identity_memberships',
        'identity_users',
        'requests',
        'schema_version',
        'service_tokens',
        'ui_sessions',
      ]);
      const ignored = await sql`SELECT 1 FROM pg_namespace WHERE nspname = 'ignored'`;
      expect(ignored).toHaveLength(0);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('lets replicas start together (one migration) and share one log', async () => {
    const sql = database();
    const schema = `${prefix}_replicas`;
    const replicas = await Promise.all(
      [1, 2, 3].map(() => openPostgresStore({ url: TEST_POSTGRES_URL, schema })),
    );
    try {
      const versions = await sql.unsafe(`SELECT version FROM "${schema}".schema_version`);
      expect(versions.map((row) => row.version)).toEqual(POSTGRES_MIGRATIONS.map((_, index) => index + 1));
      await Promise.all(
        replicas.map(async (replica, index) => {
          await replica.recordRequest(request({ id: `from-${index}` }));
          await replica.flush();
        }),
      );
      const { secret } = await (replicas[0] ?? expect.fail('no replica')).createKey({ name: 'shared' });
      for (const replica of replicas) {
        expect(await replica.queryRequests()).toHaveLength(3);
        expect((await replica.findKeyBySecret(secret))?.name).toBe('shared');
      }
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });

  it('stores text Postgres cannot hold (U+0000) with a replacement instead of losing the row', async () => {
    database();
    const store = await openPostgresStore({ url: TEST_POSTGRES_URL, schema: `${prefix}_nul` });
    try {
      await store.recordRequest(request({ id: 'nul', errorMessage: 'bad\u0000byte' }));
      await store.flush();
      expect((await store.getRequest('nul'))?.errorMessage).toBe('bad\uFFFDbyte');
      expect(store.stats().dropped).toBe(0);
    } finally {
      await store.close();
    }
  });
});
