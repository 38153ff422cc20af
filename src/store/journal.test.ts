/**
 * The activity journal: a finished row is appended to a local file before the
 * gateway sends the answer's last byte, replayed into the store at the next
 * start after a crash, and deleted once the store has written it. (The crash
 * itself, a gateway killed with SIGKILL, is in src/gateway/crash-durability.test.ts.)
 */
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectTestPostgres, TEST_POSTGRES_URL } from './__fixtures__/postgres.js';
import { attempt, fullRequest, request } from './__fixtures__/records.js';
import { JournalFile, readJournalSegment } from './journal-file.js';
import { openJournaledStore, type ReplayableStore } from './journaled-store.js';
import { openStore } from './open-store.js';
import type { StoreLogEntry } from './types.js';

let folder = '';
const database = () => join(folder, 'gateway.db');
const url = () => `sqlite://${database()}`;
const prefix = 'gateway.db-activity';
const journalFiles = () => readdirSync(folder).filter((name) => name.endsWith('.journal'));

/** A journal left behind by a gateway that is gone (here: closed without its rows being written). */
function leftBehind(write: (journal: JournalFile) => void): string {
  const journal = new JournalFile({ dir: folder, prefix });
  write(journal);
  const sealed = journal.close();
  if (!sealed) throw new Error('nothing was written');
  return sealed;
}

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'claude-gateway-journal-'));
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('the journal file', () => {
  it('appends each entry to a private file, bodies as they are, and reads them back', () => {
    const path = leftBehind((journal) => {
      journal.append({ request: fullRequest() });
      journal.append({
        attempts: [attempt({ requestId: 'req_full' }), attempt({ requestId: 'req_full', attempt: 2 })],
      });
      journal.append({ request: request({ id: 'req_empty_body', requestBody: '' }) });
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // The body's JSON is copied, not escaped into the entry's JSON.
    expect(readFileSync(path, 'utf8')).toContain(fullRequest().requestBody);
    const contents = readJournalSegment(path);
    expect(contents.requests).toEqual([fullRequest(), request({ id: 'req_empty_body', requestBody: '' })]);
    expect(contents.requests[1]).not.toHaveProperty('responseBody');
    expect(contents.attempts.map((record) => record.attempt)).toEqual([1, 2]);
    expect(contents).toMatchObject({ tornLastLine: false, badLines: 0 });
  });

  it('writes off the event loop, entries that arrive together in one go and in order, bodies given as bytes as they are', async () => {
    const journal = new JournalFile({ dir: folder, prefix });
    const body = fullRequest().requestBody as string;
    // A body as it arrived: a view into a larger buffer, copied to the file as it is.
    const arrived = Buffer.from(`xx${body}yy`).subarray(2, 2 + Buffer.byteLength(body));
    const writes = [
      // Big: off the event loop (a small entry with nothing in flight is written at once).
      journal.write({ request: request({ id: 'req_1', requestBody: 'x'.repeat(64 * 1024) }) }),
      journal.write({ request: { ...fullRequest({ id: 'req_2' }), requestBody: arrived } }),
      journal.write({ attempts: [attempt({ requestId: 'req_2' })] }),
    ];
    // The first write is in flight at once; the two after it wait for it and go out together, though small.
    // Sealed meanwhile: the write in flight still lands in the sealed segment, the waiting ones start another.
    const first = journal.seal();
    await Promise.all(writes);
    await journal.write({ request: request({ id: 'req_3' }) });
    await journal.idle();
    const second = journal.close();
    if (!first || !second) throw new Error('no segment');
    expect(readJournalSegment(first).requests.map((record) => record.id)).toEqual(['req_1']);
    const later = readJournalSegment(second);
    expect(later.requests.map((record) => record.id)).toEqual(['req_2', 'req_3']);
    expect(later.requests[0]).toEqual(fullRequest({ id: 'req_2' }));
    expect(later.attempts).toHaveLength(1);
  });

  it('ignores a last entry cut short by a crash, wherever the cut falls', () => {
    const whole = leftBehind((journal) => {
      journal.append({ request: request({ id: 'req_a' }) });
      journal.append({ request: fullRequest({ id: 'req_torn' }) });
    });
    const bytes = readFileSync(whole);
    const second = bytes.indexOf('{"request":{"id":"req_torn"');
    expect(second).toBeGreaterThan(0);
    // Cut inside the JSON line, right after it, inside the bodies, and just before the final newline.
    for (const cut of [second + 10, bytes.indexOf(10, second) + 1, bytes.length - 20, bytes.length - 1]) {
      writeFileSync(whole, bytes.subarray(0, cut));
      const contents = readJournalSegment(whole);
      expect([cut, contents.requests.map((record) => record.id)]).toEqual([cut, ['req_a']]);
      expect(contents).toMatchObject({ tornLastLine: true, badLines: 0 });
    }
    writeFileSync(whole, bytes);
    expect(readJournalSegment(whole).requests.map((record) => record.id)).toEqual(['req_a', 'req_torn']);
  });

  it('stops at an entry it cannot read in the middle, keeping what came before', () => {
    const path = leftBehind((journal) => journal.append({ request: request({ id: 'req_a' }) }));
    appendFileSync(path, 'not json\n');
    appendFileSync(path, `${JSON.stringify({ attempts: [attempt()] })}\n`);
    const contents = readJournalSegment(path);
    expect(contents.requests.map((record) => record.id)).toEqual(['req_a']);
    expect(contents).toMatchObject({ tornLastLine: false, badLines: 1 });
  });

  it('leaves the segments of a journal still open (another gateway on the same database) alone', () => {
    const live = new JournalFile({ dir: folder, prefix });
    live.append({ request: request({ id: 'req_live' }) });
    const gone = leftBehind((journal) => journal.append({ request: request({ id: 'req_gone' }) }));
    const reader = new JournalFile({ dir: folder, prefix });
    expect(reader.staleSegments()).toEqual([gone]);
    live.close();
    expect(reader.staleSegments()).toHaveLength(2);
    reader.close();
  });
});

describe('a journaled store', () => {
  it('replays the rows of a gateway that stopped without writing them, skipping rows the store has', async () => {
    const before = await openStore(url());
    // Already written before the crash, with content the replay must not replace.
    await before.recordRequest(request({ id: 'req_written', status: 201 }));
    await before.close();
    leftBehind((journal) => {
      journal.append({ request: request({ id: 'req_written', status: 200 }) });
      journal.append({ request: request({ id: 'req_lost', status: 200 }) });
      journal.append({ attempts: [attempt({ requestId: 'req_lost' })] });
    });
    leftBehind((journal) => {
      journal.append({ request: fullRequest({ id: 'req_lost_too' }) });
    });
    appendFileSync(join(folder, journalFiles().sort()[0] as string), '{"request":{"id":"req_to');
    const logs: StoreLogEntry[] = [];
    const store = await openStore(url(), { journal: {}, logger: (entry) => logs.push(entry) });
    expect((store as unknown as { replayed: unknown }).replayed).toMatchObject({
      segments: 2,
      requests: 2,
      skipped: 1,
      attempts: 1,
      tornLines: 1,
      badLines: 0,
    });
    expect((await store.getRequest('req_written'))?.status).toBe(201);
    expect(await store.getRequest('req_lost')).toEqual(request({ id: 'req_lost' }));
    expect(await store.getRequest('req_lost_too')).toEqual(fullRequest({ id: 'req_lost_too' }));
    expect(await store.attemptsOf('req_lost')).toEqual([attempt({ requestId: 'req_lost' })]);
    expect(journalFiles()).toEqual([]);
    expect(logs.map((entry) => entry.message)).toContainEqual(
      expect.stringContaining('recovered 2 activity rows'),
    );
    await store.close();
    // Replaying again finds nothing: the files are gone.
    const again = await openStore(url(), { journal: {} });
    expect((again as unknown as { replayed: unknown }).replayed).toMatchObject({ segments: 0 });
    expect(await again.queryRequests()).toHaveLength(3);
    await again.close();
  });

  it('journals each row before queuing it, and deletes the journal once the rows are written', async () => {
    const store = await openStore(url(), { journal: { checkpointMs: 20 } });
    await store.recordRequest(request({ id: 'req_1' }));
    await store.recordAttempts([attempt({ requestId: 'req_1' })]);
    // In the journal at once, before the batch writer has written anything.
    const [file] = journalFiles();
    expect(file).toMatch(/^gateway\.db-activity-\d+-[0-9a-f]+-000001\.journal$/);
    expect(readJournalSegment(join(folder, file as string)).requests.map((record) => record.id)).toEqual([
      'req_1',
    ]);
    await vi.waitFor(() => expect(journalFiles()).toEqual([]), { timeout: 10_000, interval: 10 });
    expect(await store.getRequest('req_1')).toBeDefined();
    await store.recordRequest(request({ id: 'req_2' }));
    expect(journalFiles()).toHaveLength(1);
    await store.close();
    expect(journalFiles()).toEqual([]);
    const reopened = await openStore(url());
    expect((await reopened.queryRequests()).map((record) => record.id).sort()).toEqual(['req_1', 'req_2']);
    await reopened.close();
  });

  it('keeps the journal of rows the store gave up on, for the next start', async () => {
    const inner = await openStore(`${url()}?writer=inline`);
    let dropped = 0;
    // A store whose writes are all dropped (a failing disk or database).
    const failing = {
      ...inner,
      kind: inner.kind,
      recordRequest: async () => {
        dropped += 1;
      },
      recordAttempts: async () => {},
      flush: async () => {},
      close: () => inner.close(),
      stats: () => ({ ...inner.stats(), dropped }),
      requestIdsPresent: async () => new Set<string>(),
    } as unknown as ReplayableStore;
    const store = await openJournaledStore(failing, { dir: folder, prefix, checkpointMs: 10 });
    await store.recordRequest(request({ id: 'req_dropped' }));
    await store.close();
    expect(journalFiles()).toHaveLength(1);
    const next = await openStore(url(), { journal: {} });
    expect(await next.getRequest('req_dropped')).toBeDefined();
    expect(journalFiles()).toEqual([]);
    await next.close();
  });

  it('journals in the folder named for it, and not at all when turned off or in memory', async () => {
    const elsewhere = join(folder, 'journal');
    const store = await openStore(url(), { journal: { dir: elsewhere } });
    await store.recordRequest(request());
    expect(readdirSync(elsewhere)).toHaveLength(1);
    expect(statSync(elsewhere).mode & 0o777).toBe(0o700);
    await store.close();
    const off = await openStore(url(), { journal: { enabled: false } });
    await off.recordRequest(request({ id: 'req_off' }));
    expect(journalFiles()).toEqual([]);
    await off.close();
    const memory = await openStore('sqlite::memory:', { journal: {} });
    await memory.recordRequest(request());
    await memory.close();
    expect(journalFiles()).toEqual([]);
  });
});

describe('a journaled Postgres store', () => {
  it('journals only in a folder named for it, and replays into Postgres skipping what it has', async () => {
    const admin = await connectTestPostgres();
    if (admin instanceof Error) throw admin;
    const schema = `journal_${randomBytes(4).toString('hex')}`;
    const pgUrl = `${TEST_POSTGRES_URL}?schema=${schema}`;
    try {
      const unjournaled = await openStore(pgUrl, { journal: {} });
      await unjournaled.recordRequest(request({ id: 'req_written', status: 201 }));
      await unjournaled.close();
      expect(journalFiles()).toEqual([]);
      const journal = new JournalFile({ dir: folder, prefix: 'postgres-activity' });
      journal.append({ request: request({ id: 'req_written' }) });
      journal.append({ request: request({ id: 'req_lost' }) });
      journal.close();
      const store = await openStore(pgUrl, { journal: { dir: folder } });
      expect((store as unknown as { replayed: unknown }).replayed).toMatchObject({ requests: 1, skipped: 1 });
      expect((await store.getRequest('req_written'))?.status).toBe(201);
      expect(await store.getRequest('req_lost')).toEqual(request({ id: 'req_lost' }));
      expect(journalFiles()).toEqual([]);
      await store.close();
    } finally {
      await admin.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });
});
