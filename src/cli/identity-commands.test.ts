/**
 * `claude-gateway users|groups|tokens` and `keys create --user`, straight on
 * the store (no gateway running), on SQLite and on Postgres. The commands the
 * gateway's refusals tell administrators to run are run here as written.
 */

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type postgres from 'postgres';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectTestPostgres, TEST_POSTGRES_URL } from '../store/__fixtures__/postgres.js';
import { openStore } from '../store/open-store.js';
import { runCli, temporaryFolder, writeConfig } from './__fixtures__/run-cli.js';

const schemaPrefix = `cli_identity_${randomBytes(4).toString('hex')}`;
let database: postgres.Sql | undefined;
let schemas = 0;

beforeAll(async () => {
  const connected = await connectTestPostgres();
  if (connected instanceof Error) throw connected;
  database = connected;
});
afterAll(async () => {
  const leftovers = await database?.unsafe(
    `SELECT nspname FROM pg_namespace WHERE starts_with(nspname, '${schemaPrefix}')`,
  );
  for (const { nspname } of leftovers ?? []) await database?.unsafe(`DROP SCHEMA "${nspname}" CASCADE`);
  await database?.end({ timeout: 5 });
});

const BACKENDS = [
  { name: 'sqlite', url: (folder: string) => `sqlite://${join(folder, 'gateway.db')}?writer=inline` },
  {
    name: 'postgres',
    url: () => {
      schemas += 1;
      return `${TEST_POSTGRES_URL}?schema=${schemaPrefix}_${schemas}`;
    },
  },
];

describe.each(BACKENDS)('identity commands on $name', ({ url }) => {
  let folder: { path: string; remove: () => void };
  let config: string;
  let storeUrl: string;

  beforeEach(() => {
    folder = temporaryFolder();
    storeUrl = url(folder.path);
    config = writeConfig(folder.path, { server: { port: 4123 }, store: { url: storeUrl } });
  });
  afterEach(() => folder.remove());

  const cli = (...argv: string[]) => runCli([...argv, '--config', config]);
  async function inStore<T>(read: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
    const store = await openStore(storeUrl);
    try {
      return await read(store);
    } finally {
      await store.close();
    }
  }

  it('creates and updates groups and users with the commands the refusals name', async () => {
    const group = await cli(
      'groups',
      'create',
      'eng',
      '--models',
      'sonnet,haiku',
      '--daily-budget',
      '10',
      '--group-monthly-budget',
      '500',
    );
    expect(group.error).toEqual([]);
    expect(group.code).toBe(0);
    expect(group.text).toContain('each member models sonnet, haiku; $10/day; group budget $500/month');

    const user = await cli('users', 'create', 'alice', '--email', 'alice@example.com', '--groups', 'eng');
    expect(user.code).toBe(0);
    expect(user.text).toContain('Created user alice (usr_');
    expect(user.text).toContain('keys create alice-laptop --user alice');

    // As the refusals say: users update NAME --daily-budget/--monthly-budget/--rpm/--tpm, groups update NAME --models …
    expect(
      (await cli('users', 'update', 'alice', '--daily-budget', '5', '--rpm', '30', '--tpm', '9000')).code,
    ).toBe(0);
    expect((await cli('users', 'update', 'alice', '--monthly-budget', '100')).code).toBe(0);
    expect(
      (await cli('groups', 'update', 'eng', '--models', 'claude-haiku-5-5', '--group-daily-budget', '50'))
        .code,
    ).toBe(0);
    expect(
      (await cli('groups', 'update', 'eng', '--group-monthly-budget', 'none', '--tpm', '20000')).code,
    ).toBe(0);
    const stored = await inStore(async (store) => ({
      user: await store.identity.findUser('alice@example.com'),
      group: await store.identity.findGroup('eng'),
    }));
    expect(stored.user?.policy).toEqual({
      dailyBudgetUsd: 5,
      monthlyBudgetUsd: 100,
      requestsPerMinute: 30,
      tokensPerMinute: 9000,
    });
    expect(stored.group).toMatchObject({
      memberPolicy: { allowedModels: ['claude-haiku-5-5'], dailyBudgetUsd: 10, tokensPerMinute: 20000 },
      dailyBudgetUsd: 50,
    });
    expect(stored.group?.monthlyBudgetUsd).toBeUndefined();
    expect((await cli('users', 'update', 'alice', '--rpm', 'none')).code).toBe(0);

    const users = await cli('users', 'list');
    expect(users.text).toMatch(/alice\s+alice@example\.com\s+admin\s+eng\s+any\s+-\s+\$5\s+\$100\s+-\s+9000/);
    const groups = await cli('groups', 'list');
    expect(groups.text).toMatch(/eng\s+1\s+claude-haiku-5-5\s+-\s+\$10\s+-\s+-\s+20000\s+\$50\s+-/);
    const json = await cli('groups', 'list', '--json');
    expect(JSON.parse(json.out[0] ?? '{}')).toMatchObject({ name: 'eng', members: ['alice'] });
  });

  it('adds and removes members, disables and enables a user, and refuses what does not exist', async () => {
    await cli('groups', 'create', 'eng');
    await cli('groups', 'create', 'ops', '--residency', 'eu');
    await cli('users', 'create', 'bob', '--groups', 'eng');
    const added = await cli('groups', 'add-member', 'ops', 'bob');
    expect(added.text).toContain('Added bob to group "ops"; their groups: eng, ops.');
    expect((await cli('groups', 'add-member', 'ops', 'bob')).text).toContain('already in group "ops"');
    const removed = await cli('groups', 'remove-member', 'eng', 'bob');
    expect(removed.text).toContain('their groups: ops');
    const notIn = await cli('groups', 'remove-member', 'eng', 'bob');
    expect(notIn.code).toBe(1);
    expect(notIn.error.join('\n')).toContain('bob is not in group "eng"');

    const typo = await cli('groups', 'add-member', 'opps', 'bob');
    expect(typo.code).toBe(1);
    expect(typo.error.join('\n')).toContain('There is no group "opps"; did you mean "ops"?');
    const nobody = await cli('users', 'update', 'nobody', '--rpm', '5');
    expect(nobody.code).toBe(1);
    expect(nobody.error.join('\n')).toContain('No user matches "nobody"');
    const unknownGroup = await cli('users', 'create', 'carl', '--groups', 'engg');
    expect(unknownGroup.code).toBe(1);
    expect(unknownGroup.error.join('\n')).toContain('did you mean "eng"?');

    const disabled = await cli('users', 'disable', 'bob');
    expect(disabled.code).toBe(0);
    expect(disabled.text).toContain('users update bob --enable');
    expect(await inStore(async (store) => (await store.identity.findUser('bob'))?.disabledAt)).toBeDefined();
    const forDisabled = await cli('keys', 'create', '--name', 'bob-laptop', '--user', 'bob');
    expect(forDisabled.code).toBe(1);
    expect(forDisabled.error.join('\n')).toContain('user bob is disabled');
    expect((await cli('users', 'update', 'bob', '--enable')).code).toBe(0);

    const key = await cli('keys', 'create', '--name', 'bob-laptop', '--user', 'bob');
    expect(key.code).toBe(0);
    expect(key.text).toContain('for user bob');
    const bob = await inStore((store) => store.identity.findUser('bob'));
    expect(await inStore(async (store) => (await store.listKeys())[0]?.userId)).toBe(bob?.id);
    expect((await cli('keys', 'update', 'bob-laptop', '--user', 'none')).code).toBe(0);
    expect(await inStore(async (store) => (await store.listKeys())[0]?.userId)).toBeUndefined();
  });

  it('creates, lists and revokes service tokens; a group with tokens is not deleted', async () => {
    await cli('groups', 'create', 'ci-group', '--models', 'haiku');
    const missing = await cli('tokens', 'create', '--name', 'deploy', '--group', 'ci-group');
    expect(missing.code).toBe(2);
    expect(missing.error.join('\n')).toContain('needs --expires');
    const created = await cli(
      'tokens',
      'create',
      '--name',
      'deploy',
      '--group',
      'ci-group',
      '--expires',
      '90d',
    );
    expect(created.code).toBe(0);
    const secret = created.text.match(/cgwt_[A-Za-z0-9_-]{40,}/)?.[0] ?? '';
    expect(created.out.filter((line) => line.trim() === secret)).toHaveLength(1);
    expect(created.text).toContain('expiring 2027-03-05T12:00:00Z');
    const listed = await cli('tokens', 'list');
    expect(listed.text).toMatch(
      /deploy\s+cgwt_\S+\s+ci-group\s+2026-12-05\s+2027-03-05T12:00:00Z\s+never\s+active/,
    );
    expect(listed.text).not.toContain(secret);

    const blocked = await cli('groups', 'delete', 'ci-group');
    expect(blocked.code).toBe(1);
    expect(blocked.error.join('\n')).toContain('has active service tokens (deploy)');
    expect((await cli('tokens', 'revoke', 'deploy')).text).toContain('Revoked service token "deploy"');
    expect((await cli('tokens', 'revoke', 'deploy')).code).toBe(1);
    expect((await cli('tokens', 'list', '--all')).text).toMatch(/revoked 2026-12-05/);
    expect((await cli('groups', 'delete', 'ci-group')).code).toBe(0);
    expect((await cli('groups', 'delete', 'ci-group')).code).toBe(1);
  });

  it('takes a token name as a positional argument too, as users create and groups create do', async () => {
    await cli('groups', 'create', 'apps');
    const created = await cli('tokens', 'create', 'release', '--group', 'apps', '--expires', '30d');
    expect(created.code).toBe(0);
    expect(created.text).toContain('release');
    expect((await cli('tokens', 'list')).text).toMatch(/release\s+cgwt_\S+\s+apps/);
    const nameless = await cli('tokens', 'create', '--group', 'apps', '--expires', '30d');
    expect(nameless.code).toBe(2);
    expect(nameless.error.join('\n')).toContain('tokens create needs a name, e.g. tokens create ci');
  });
});

describe('help', () => {
  it.each([
    ['users', 'users update <id|name|email>'],
    ['groups', '--group-daily-budget USD'],
    ['tokens', 'tokens create NAME --group G --expires T'],
    ['keys', 'keys create NAME [options]'],
  ])('%s --help says what each subcommand does', async (command, line) => {
    for (const argv of [
      [command, '--help'],
      [command, 'create', '--help'],
    ]) {
      const run = await runCli(argv);
      expect(run.code).toBe(0);
      expect(run.text).toContain(line);
    }
    const none = await runCli([command]);
    expect(none.code).toBe(2);
    const unknown = await runCli([command, 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.error.join('\n')).toContain('unknown subcommand "frobnicate"');
  });
});
