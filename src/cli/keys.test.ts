import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import { runCli, temporaryFolder, writeConfig } from './__fixtures__/run-cli.js';

let folder: { path: string; remove: () => void };
let config: string;
let storeUrl: string;

beforeEach(() => {
  folder = temporaryFolder();
  storeUrl = `sqlite://${join(folder.path, 'keys', 'gateway.db')}?writer=inline`;
  config = writeConfig(folder.path, { server: { port: 4123 }, store: { url: storeUrl } });
});
afterEach(() => folder.remove());

async function inStore<T>(read: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
  const store = await openStore(storeUrl);
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

function secretIn(lines: string[]): string {
  const secret = lines.join('\n').match(/cgw_[A-Za-z0-9_-]{40,}/)?.[0];
  if (!secret) throw new Error(`no secret in:\n${lines.join('\n')}`);
  return secret;
}

describe('keys create', () => {
  it('creates a key in the store, prints its secret once with how to use it', async () => {
    const run = await runCli([
      'keys',
      'create',
      '--name',
      'ci',
      '--models',
      'sonnet, claude-haiku-*',
      '--residency',
      'eu',
      '--budget',
      '50',
      '--rpm',
      '60',
      '--tpm',
      '100000',
      '--config',
      config,
    ]);
    expect(run.error).toEqual([]);
    expect(run.code).toBe(0);
    const secret = secretIn(run.out);
    expect(run.out.filter((line) => line.trim() === secret)).toHaveLength(1);
    expect(run.text).toContain(`ANTHROPIC_BASE_URL=http://127.0.0.1:4123 ANTHROPIC_AUTH_TOKEN=${secret}`);
    expect(run.text).toContain(`x-api-key: ${secret}`);
    expect(run.text).toContain("baseURL: 'http://127.0.0.1:4123'");
    expect(run.text).toContain('within 30 seconds');
    expect(run.text).toContain('This is the first key');
    const record = await inStore((store) => store.findKeyBySecret(secret));
    expect(record).toMatchObject({
      name: 'ci',
      allowedModels: ['sonnet', 'claude-haiku-*'],
      residency: 'eu',
      monthlyBudgetUsd: 50,
      requestsPerMinute: 60,
      tokensPerMinute: 100000,
    });
    const second = await runCli(['keys', 'create', '--name', 'deploy', '--config', config]);
    expect(second.code).toBe(0);
    expect(second.text).not.toContain('This is the first key');
  });

  it('takes the name as a positional argument too, as users create and groups create do', async () => {
    const run = await runCli(['keys', 'create', 'laptop', '--rpm', '30', '--config', config]);
    expect(run.code).toBe(0);
    expect(run.text).toContain('Created key "laptop"');
    expect(await inStore(async (store) => (await store.listKeys()).map((key) => key.name))).toContain(
      'laptop',
    );
    const same = await runCli(['keys', 'create', 'desk', '--name', 'desk', '--config', config]);
    expect(same.code).toBe(0);
  });

  it.each([
    [
      ['--name', 'x', '--residency', 'mars'],
      '--residency must be one of us, eu, europe, jp, apac, au; got "mars"',
    ],
    [['--name', 'x', '--budget=-5'], '--budget must be a number above 0; got "-5"'],
    [['--name', 'x', '--budget', '-5'], "Option '--budget' argument is ambiguous. Did you forget"],
    [['--name', 'x', '--rpm', '1.5'], '--rpm must be a whole number above 0; got "1.5"'],
    [['--name', 'x', '--models', ' , '], '--models needs at least one model name'],
    [['--models', 'sonnet'], 'keys create needs a name, e.g. keys create ci (or --name ci)'],
    [['one', 'two'], 'keys create takes one name; got 2'],
    [['one', '--name', 'two'], 'keys create got two names, "one" and --name "two": give one'],
    [['--name', 'x', '--colour', 'red'], "Unknown option '--colour'"],
  ])('refuses %j with one clear line', async (flags, expected) => {
    const run = await runCli(['keys', 'create', ...flags, '--config', config]);
    expect(run.code).toBe(2);
    expect(run.out).toEqual([]);
    expect(run.error).toHaveLength(1);
    expect(run.error[0]).toContain('claude-gateway keys: ');
    expect(run.error[0]).toContain(expected);
  });

  it('creates a key for a name the catalog does not know, noting it, with the likely intended name', async () => {
    const run = await runCli([
      'keys',
      'create',
      '--name',
      'newer',
      '--models',
      'claude-sonet-4-5,claude-opus-9,claude-haiku-*',
      '--config',
      config,
    ]);
    expect(run.code).toBe(0);
    expect(run.error).toEqual([
      'note: "claude-sonet-4-5" is not in the model catalog; the key allows it only by that exact name. Did you mean "claude-sonnet-4-5"?',
      'note: "claude-opus-9" is not in the model catalog; the key allows it only by that exact name (fine for a model newer than the catalog).',
    ]);
  });

  it('refuses a name already taken, as one line', async () => {
    await runCli(['keys', 'create', '--name', 'ci', '--config', config]);
    const run = await runCli(['keys', 'create', '--name', 'ci', '--config', config]);
    expect(run.code).toBe(1);
    expect(run.error).toHaveLength(1);
  });
});

describe('keys list and revoke', () => {
  it('lists keys without their secret or hash, and revokes by name, id or prefix', async () => {
    const created = await runCli(['keys', 'create', '--name', 'ci', '--budget', '12.5', '--config', config]);
    const secret = secretIn(created.out);
    const record = await inStore(async (store) => (await store.findKeyBySecret(secret)) ?? null);
    if (!record) throw new Error('the key was not stored');

    const listed = await runCli(['keys', 'list', '--config', config]);
    expect(listed.code).toBe(0);
    expect(listed.out[0]).toMatch(/^ID\s+NAME\s+PREFIX/);
    expect(listed.text).toContain(record.id);
    expect(listed.text).toContain(record.prefix);
    expect(listed.text).toContain('$12.5');
    expect(listed.text).not.toContain(secret);
    expect(listed.text).not.toContain(record.hash);

    const json = await runCli(['keys', 'list', '--json', '--config', config]);
    const [shown] = json.out.map((line) => JSON.parse(line));
    expect(shown).toMatchObject({ id: record.id, name: 'ci', prefix: record.prefix });
    expect(shown).not.toHaveProperty('hash');

    const revoked = await runCli(['keys', 'revoke', record.prefix, '--config', config]);
    expect(revoked.code).toBe(0);
    expect(revoked.text).toContain(`Revoked key "ci" (${record.id}`);
    expect(revoked.text).toContain('within 30 seconds');
    expect(revoked.text).toContain('No active key is left: the gateway now refuses every caller');
    expect(await inStore((store) => store.findKeyBySecret(secret))).toBeUndefined();

    expect((await runCli(['keys', 'list', '--config', config])).text).toContain('No active keys');
    expect((await runCli(['keys', 'list', '--all', '--config', config])).text).toMatch(
      /revoked \d{4}-\d{2}-\d{2}/,
    );
  });

  it('says so when no active key matches', async () => {
    const run = await runCli(['keys', 'revoke', 'nobody', '--config', config]);
    expect(run.code).toBe(1);
    expect(run.error).toEqual([
      'claude-gateway keys: no active key matches "nobody" (by id, name or prefix); see `keys list --all`',
    ]);
  });

  it('shows help, and refuses an unknown subcommand', async () => {
    expect((await runCli(['keys', '--help'])).code).toBe(0);
    expect((await runCli(['keys', 'list', '--help'])).text).toContain('Usage: claude-gateway keys');
    const unknown = await runCli(['keys', 'rename']);
    expect(unknown.code).toBe(2);
    expect(unknown.error[0]).toContain('unknown subcommand "rename"');
    expect((await runCli(['keys', 'revoke', '--config', config])).error[0]).toContain(
      'keys revoke needs the key',
    );
  });
});

describe('keys with a life cycle', () => {
  // The CLI runs on the pinned test clock: 2026-12-05T12:00:00Z.
  it('creates a key with --expires (a length of time or a date) and lists expiry and last use', async () => {
    const run = await runCli(['keys', 'create', '--name', 'ci', '--expires', '30d', '--config', config]);
    expect(run.code).toBe(0);
    expect(run.text).toContain('expires 2027-01-04T12:00:00Z');
    const secret = secretIn(run.out);
    expect((await inStore((store) => store.findKeyBySecret(secret)))?.expiresAt).toBe(
      Date.parse('2027-01-04T12:00:00Z'),
    );
    const dated = await runCli([
      'keys',
      'create',
      '--name',
      'dated',
      '--expires',
      '2027-01-31',
      '--config',
      config,
    ]);
    expect(dated.text).toContain('expires 2027-01-31T00:00:00Z');
    const used = await inStore(async (store) => {
      const [key] = await store.listKeys();
      if (key) await store.recordKeyUse(key.id, Date.parse('2026-12-05T11:59:00Z'));
      return key;
    });
    const listed = await runCli(['keys', 'list', '--config', config]);
    expect(listed.out[0]).toMatch(/EXPIRES\s+LAST USED\s+STATUS/);
    const line = listed.out.find((text) => text.includes(used?.id ?? '?')) ?? '';
    expect(line).toMatch(/2027-01-04T12:00:00Z\s+2026-12-05T11:59:00Z\s+active/);
    expect(listed.out.find((text) => text.includes(' dated '))).toMatch(
      /2027-01-31T00:00:00Z\s+never\s+active/,
    );

    const past = await runCli([
      'keys',
      'create',
      '--name',
      'late',
      '--expires',
      '2026-01-01',
      '--config',
      config,
    ]);
    expect(past.code).toBe(1);
    expect(past.error[0]).toContain('expiresAt 2026-01-01T00:00:00.000Z is not in the future');
    const wrong = await runCli(['keys', 'create', '--name', 'late', '--expires', 'soon', '--config', config]);
    expect(wrong.code).toBe(2);
    expect(wrong.error[0]).toContain('--expires: The expiry must be a length of time like 30d');
  });

  it('updates a key in place: set, remove with "none", refuse a misspelt flag', async () => {
    const created = await runCli([
      'keys',
      'create',
      '--name',
      'ci',
      '--budget',
      '5',
      '--rpm',
      '10',
      '--config',
      config,
    ]);
    const secret = secretIn(created.out);
    const run = await runCli([
      'keys',
      'update',
      'ci',
      '--budget',
      '100',
      '--rpm',
      'none',
      '--models',
      'haiku',
      '--residency',
      'europe',
      '--expires',
      '12h',
      '--config',
      config,
    ]);
    expect(run.error).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.out[0]).toBe(
      'Updated key "ci" (' +
        (await inStore(async (store) => (await store.findKeyBySecret(secret))?.id)) +
        '): models haiku; residency europe; budget $100/month; expires 2026-12-06T00:00:00Z.',
    );
    expect(run.text).toContain('within 30 seconds');
    const record = await inStore((store) => store.findKeyBySecret(secret));
    expect(record).toMatchObject({ monthlyBudgetUsd: 100, allowedModels: ['haiku'], residency: 'europe' });
    expect(record).not.toHaveProperty('requestsPerMinute');
    const cleared = await runCli([
      'keys',
      'update',
      'ci',
      '--expires',
      'none',
      '--name',
      'ci-2',
      '--config',
      config,
    ]);
    expect(cleared.code).toBe(0);
    expect(await inStore((store) => store.findKeyBySecret(secret))).toMatchObject({ name: 'ci-2' });
    expect((await inStore((store) => store.findKeyBySecret(secret)))?.expiresAt).toBeUndefined();

    const misspelt = await runCli(['keys', 'update', 'ci-2', '--budgett', '5', '--config', config]);
    expect(misspelt.code).toBe(2);
    expect(misspelt.error[0]).toContain("Unknown option '--budgett'");
    const nothing = await runCli(['keys', 'update', 'ci-2', '--config', config]);
    expect(nothing.error[0]).toContain('keys update needs something to change');
    const nobody = await runCli(['keys', 'update', 'nobody', '--budget', '1', '--config', config]);
    expect(nobody.code).toBe(1);
    expect(nobody.error[0]).toContain('no active key matches "nobody"');
  });

  it('rotates a key: a new secret, the old one valid for the grace period', async () => {
    const created = await runCli(['keys', 'create', '--name', 'ci', '--config', config]);
    const old = secretIn(created.out);
    const run = await runCli(['keys', 'rotate', 'ci', '--grace', '2h', '--config', config]);
    expect(run.code).toBe(0);
    const fresh = secretIn(run.out);
    expect(fresh).not.toBe(old);
    expect(run.text).toContain('The old secret keeps working until 2026-12-05T14:00:00Z, then is refused.');
    const [current, previous] = await inStore(async (store) => [
      await store.lookupSecret(fresh),
      await store.lookupSecret(old),
    ]);
    expect(current?.key.id).toBe(previous?.key.id);
    expect(previous?.rotated).toEqual({
      at: Date.parse('2026-12-05T12:00:00Z'),
      validUntil: Date.parse('2026-12-05T14:00:00Z'),
    });
    const byDefault = await runCli(['keys', 'rotate', 'ci', '--config', config]);
    expect(byDefault.text).toContain('until 2026-12-06T12:00:00Z');
    const now = await runCli(['keys', 'rotate', 'ci', '--grace', '0', '--config', config]);
    expect(now.text).toContain('The old secret is refused from now on');
    const bad = await runCli(['keys', 'rotate', 'ci', '--grace', 'long', '--config', config]);
    expect(bad.code).toBe(2);
    expect(bad.error[0]).toContain('--grace: The grace period must be a length of time');
    expect((await runCli(['keys', 'rotate', '--config', config])).error[0]).toContain(
      'keys rotate needs the key',
    );
  });
});
