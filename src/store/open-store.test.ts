import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request } from './__fixtures__/records.js';
import { DEFAULT_STORE_URL, openStore } from './open-store.js';
import { StoreError } from './store-error.js';

describe('openStore', () => {
  let folder = '';
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'claude-gateway-open-'));
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('opens an in-memory SQLite store for sqlite::memory:', async () => {
    const store = await openStore('sqlite::memory:');
    expect(store.kind).toBe('sqlite');
    await store.recordRequest(request());
    await store.flush();
    expect(await store.queryRequests()).toHaveLength(1);
    await store.close();
  });

  it('opens a SQLite file for sqlite:// with an absolute or relative path', async () => {
    const absolute = join(folder, 'absolute.db');
    const store = await openStore(`sqlite://${absolute}`);
    await store.close();
    expect(existsSync(absolute)).toBe(true);
    expect(DEFAULT_STORE_URL).toBe('sqlite://./.claude-gateway/gateway.db');
    const relative = join(folder, 'relative.db');
    const fromRelative = await openStore(`sqlite:${relative}?writer=inline`);
    await fromRelative.close();
    expect(existsSync(relative)).toBe(true);
  });

  it('refuses an unknown writer', async () => {
    await expect(openStore(`sqlite://${join(folder, 'x.db')}?writer=threads`)).rejects.toMatchObject({
      code: 'BAD_STORE_URL',
      message: expect.stringContaining('writer=worker or writer=inline'),
    });
  });

  it('sends postgres:// and postgresql:// URLs to Postgres', async () => {
    for (const scheme of ['postgres', 'postgresql']) {
      const error = await openStore(`${scheme}://nobody@127.0.0.1:1/none`).catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        code: 'STORE_UNREACHABLE',
        message: expect.stringContaining('Postgres'),
      });
    }
  });

  it('names the expected forms for a URL it does not know, without the password', async () => {
    const error = await openStore('mysql://admin:topsecret@db/logs').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'BAD_STORE_URL' });
    const message = (error as Error).message;
    for (const form of ['sqlite://./', 'sqlite::memory:', 'postgres://', 'postgresql://']) {
      expect(message).toContain(form);
    }
    expect(message).toContain('admin:***@db');
    expect(message).not.toContain('topsecret');
    await expect(openStore('')).rejects.toMatchObject({ code: 'BAD_STORE_URL' });
  });
});
