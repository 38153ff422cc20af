/**
 * The SQLite activity log holds whole prompts and answers: its folder is
 * created 0700 and its files (database, -wal, -shm, activity journal) are
 * 0600, whatever the process umask lets through.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request } from './__fixtures__/records.js';
import { openStore } from './open-store.js';

let folder = '';
let umask = 0;
const mode = (path: string) => statSync(path).mode & 0o777;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'claude-gateway-modes-'));
  // The usual umask: without the fix SQLite's files come out 0644 and the folder 0755.
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
  rmSync(folder, { recursive: true, force: true });
});

describe('the SQLite files', () => {
  for (const writer of ['worker', 'inline'] as const) {
    it(`are private to the user (${writer} writer)`, async () => {
      const database = join(folder, 'state', 'logs', 'gateway.db');
      const store = await openStore(`sqlite://${database}?writer=${writer}`, { journal: {} });
      await store.recordRequest(request({ requestBody: 'a prompt nobody else may read' }));
      await store.flush();
      expect(mode(join(folder, 'state'))).toBe(0o700);
      expect(mode(join(folder, 'state', 'logs'))).toBe(0o700);
      const files = readdirSync(join(folder, 'state', 'logs'));
      expect(files).toEqual(
        expect.arrayContaining([
          'gateway.db',
          'gateway.db-wal',
          'gateway.db-shm',
          expect.stringMatching(/\.journal$/),
        ]),
      );
      for (const file of files)
        expect([file, mode(join(folder, 'state', 'logs', file))]).toEqual([file, 0o600]);
      await store.close();
    });
  }

  it('are made private when an earlier version left them readable, leaving an existing folder as it is', async () => {
    const database = join(folder, 'gateway.db');
    const before = await openStore(`sqlite://${database}?writer=inline`);
    await before.recordRequest(request());
    await before.flush();
    await before.close();
    chmodSync(folder, 0o755);
    chmodSync(database, 0o644);
    writeFileSync(`${database}-wal`, '');
    chmodSync(`${database}-wal`, 0o644);
    const store = await openStore(`sqlite://${database}`);
    expect(await store.getRequest('req_1')).toBeDefined();
    expect(mode(database)).toBe(0o600);
    if (existsSync(`${database}-wal`)) expect(mode(`${database}-wal`)).toBe(0o600);
    expect(mode(folder)).toBe(0o755);
    await store.close();
  });

  it('leave a folder that exists alone (it may be the working directory)', async () => {
    const shared = join(folder, 'shared');
    mkdirSync(shared, { mode: 0o755 });
    chmodSync(shared, 0o755);
    const store = await openStore(`sqlite://${join(shared, 'gateway.db')}`);
    await store.close();
    expect(mode(shared)).toBe(0o755);
    expect(mode(join(shared, 'gateway.db'))).toBe(0o600);
  });
});
