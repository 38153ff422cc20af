import { basename, dirname } from 'node:path';
import type { BatchTuning } from './batch-writer.js';
import { type JournalOptions, openJournaledStore, type ReplayableStore } from './journaled-store.js';
import { DEFAULT_SQLITE_PATH, openSqliteStore } from './sqlite-store.js';
import { redactUrl, StoreError } from './store-error.js';
import type { Store, StoreLogger } from './types.js';

/** The store URL the gateway uses unless configured. */
export const DEFAULT_STORE_URL = `sqlite://${DEFAULT_SQLITE_PATH}`;

export interface OpenStoreOptions {
  logger?: StoreLogger;
  batch?: BatchTuning;
  /**
   * Journal each finished row to a local file before it is queued, replayed at
   * the next open after a crash (see `openJournaledStore`): the gateway turns it
   * on. SQLite files keep it beside the database unless `dir` says otherwise; a
   * Postgres store journals only with a `dir`; `:memory:` never. Off when absent.
   */
  journal?: JournalOptions & { enabled?: boolean };
  /**
   * SQLite: store large bodies zstd-compressed (`store.compressBodies`, see
   * `openSqliteStore`). Postgres compresses large text itself (TOAST), so it
   * ignores this.
   */
  compressBodies?: boolean;
}

const EXPECTED_FORMS =
  'sqlite://./path/to/gateway.db (relative), sqlite:///absolute/path/gateway.db, sqlite::memory:, ' +
  'or postgres://user:password@host:5432/database[?schema=name] (also postgresql://)';

/**
 * Opens the store a URL names:
 * - `sqlite://./relative/path.db`, `sqlite:///absolute/path.db`: SQLite file
 *   (add `?writer=inline` to write on the main thread instead of a worker);
 * - `sqlite::memory:`: an in-memory SQLite database, for tests;
 * - `postgres://…` or `postgresql://…` (with `?schema=name`): Postgres.
 *
 * @example
 * const store = await openStore('sqlite://./.claude-gateway/gateway.db');
 * const shared = await openStore('postgres://gateway@db:5432/gateway?schema=claude_gateway');
 */
export async function openStore(
  url: string = DEFAULT_STORE_URL,
  options: OpenStoreOptions = {},
): Promise<Store> {
  const trimmed = url.trim();
  const { journal, compressBodies, ...storeOptions } = options;
  const journaled = journal && journal.enabled !== false ? journal : undefined;
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    // Loaded only for Postgres URLs: the client costs ~7 MB of memory a SQLite gateway never uses.
    const { openPostgresStore } = await import('./postgres-store.js');
    const store = await openPostgresStore({ url: trimmed, ...storeOptions });
    return journaled?.dir
      ? withJournal(store, journaled, journaled.dir, 'postgres-activity', options)
      : store;
  }
  if (trimmed === 'sqlite::memory:' || trimmed === 'sqlite://:memory:') {
    return openSqliteStore({
      path: ':memory:',
      ...storeOptions,
      ...(compressBodies ? { compressBodies } : {}),
    });
  }
  const sqlite = /^sqlite:(?:\/\/)?([^?]+)(?:\?(.*))?$/i.exec(trimmed);
  if (sqlite?.[1]) {
    const parameters = new URLSearchParams(sqlite[2] ?? '');
    const writer = parameters.get('writer') ?? 'worker';
    if (writer !== 'worker' && writer !== 'inline') {
      throw new StoreError(
        `The store URL says writer=${writer}; use writer=worker or writer=inline.`,
        'BAD_STORE_URL',
      );
    }
    const path = decodeURIComponent(sqlite[1]);
    const store = await openSqliteStore({
      path,
      writer,
      ...storeOptions,
      ...(compressBodies ? { compressBodies } : {}),
    });
    return journaled
      ? withJournal(store, journaled, journaled.dir ?? dirname(path), `${basename(path)}-activity`, options)
      : store;
  }
  throw new StoreError(
    `The store URL ${JSON.stringify(redactUrl(trimmed))} is not one claude-gateway knows. Expected ${EXPECTED_FORMS}.`,
    'BAD_STORE_URL',
  );
}

async function withJournal(
  store: ReplayableStore,
  journal: JournalOptions,
  dir: string,
  prefix: string,
  options: OpenStoreOptions,
): Promise<Store> {
  try {
    return await openJournaledStore(store, {
      ...journal,
      dir,
      prefix,
      ...(options.logger ? { logger: options.logger } : {}),
    });
  } catch (error) {
    await store.close().catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreError(
      `Cannot open the activity journal in ${dir}: ${reason}. Check that the folder is writable, or set store.journal.dir.`,
      'STORE_UNREACHABLE',
      { cause: error },
    );
  }
}
