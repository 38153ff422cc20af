import Database from 'better-sqlite3';
import {
  assembleSummary,
  type Placeholder,
  SQLITE_PLACEHOLDER,
  type SummaryGrouping,
  selectRequests,
  summarySql,
  upsertSql,
} from './activity-sql.js';
import { type BatchTuning, BatchWriter } from './batch-writer.js';
import { PRUNE_BUDGET_ALERTS } from './budget-alert-sql.js';
import {
  ATTEMPT_COLUMNS,
  BODY_COLUMNS,
  BUDGET_ALERT_COLUMNS,
  encodeRow,
  KEY_COLUMNS,
  REQUEST_COLUMNS,
  SQLITE_ENCODING,
} from './columns.js';
import { decodeAttempt, decodeKey, decodeRequest, oldSecretLookup, type StoredRow } from './decode-rows.js';
import { SqlIdentityStore, type SqlStatement } from './identity-sql-store.js';
import type { IdentityStore } from './identity-types.js';
import type { ReplayableStore } from './journaled-store.js';
import { pickKeyByReference } from './key-reference.js';
import { displayPrefix, generateSecret, hashSecret } from './key-secrets.js';
import { type LogItem, logItemSize, splitLogItems } from './log-items.js';
import { applyKeyChanges, buildNewKey } from './new-key.js';
import { preparePrivateSqliteFile } from './private-files.js';
import { assembleReport, type ReportDimension, reportSql, type UsageReport } from './report-sql.js';
import { decodeSession, sessionsSql } from './session-sql.js';
import { migrateSqlite } from './sqlite-schema.js';
import { inlineSqliteWriter, type SqliteWriter, WorkerSqliteWriter } from './sqlite-writer.js';
import type { SqliteWriterStatements } from './sqlite-writer-core.js';
import { StoreError } from './store-error.js';
import { writeStoreLogToStderr } from './store-logger.js';
import type {
  ActivityFilter,
  ActivityQuery,
  ApiKeyChanges,
  ApiKeyRecord,
  AttemptRecord,
  BudgetAlertRecord,
  CreatedApiKey,
  KeyChangeOptions,
  NewApiKey,
  RequestRecord,
  RequestRow,
  RequestSummary,
  RotatedApiKey,
  RotateKeyOptions,
  SecretLookup,
  SessionQuery,
  SessionSummary,
  StoreLogger,
  WriteStats,
} from './types.js';

/** Where the gateway keeps its SQLite database unless told otherwise. */
export const DEFAULT_SQLITE_PATH = './.claude-gateway/gateway.db';

export interface SqliteStoreOptions {
  /**
   * The database file, or `:memory:`. Default `./.claude-gateway/gateway.db`. A missing folder is
   * created 0700, and the database and its -wal and -shm files are 0600 (they hold whole prompts).
   */
  path?: string;
  /**
   * Where log writes run: `worker` (default for files), a thread with its own
   * connection, or `inline` on the main thread (always for `:memory:`).
   */
  writer?: 'worker' | 'inline';
  /**
   * Store request and answer bodies of {@link COMPRESSED_BODY_BYTES} or more zstd-compressed (as
   * blobs, read back as text by every reader here): 3.5–6 times less disk for Claude Code's
   * traffic, at about 0.2 ms of the writer thread's time per 100 KB. Off by default: the columns
   * then hold plain text that SQL (the sqlite3 shell, LIKE) reads as it is. Rows written either
   * way are read either way.
   */
  compressBodies?: boolean;
  logger?: StoreLogger;
  batch?: BatchTuning;
}

const BUSY_TIMEOUT_MS = 5000;
const PRUNE_CHUNK_ROWS = 5000;

/*
 * Why a writer thread. Measured on this machine (Node 20, better-sqlite3 12,
 * WAL, synchronous=NORMAL), main-thread time per batch, writing inline vs.
 * posting the same rows to a worker that writes them:
 *   500 rows, no bodies:        2.1 ms inline   vs 0.4 ms posted
 *   500 rows, 2 KB bodies:     14.9 ms          vs 2.3 ms
 *   100 rows, 50 KB bodies:    32.3 ms          vs 4.9 ms
 *    10 rows, 1 MB bodies:     78.7 ms          vs 11.8–25.7 ms
 * Claude Code sends the whole conversation with every request, so bodies of
 * hundreds of KB are the normal case; inline writes would stall every stream
 * on the event loop for tens of ms per flush. A request body comes as the bytes
 * it arrived as, and a large one in shared memory (`joinBody` in the gateway):
 * posting it then copies nothing, and SQLite casts the bytes to text itself. A
 * body in ordinary memory is copied into the message (the byte cap on batches,
 * 8 MiB, bounds that copy). The batching itself (`BatchWriter`) stays on the
 * main thread, shared with Postgres.
 */

/**
 * Opens (creating and migrating) the SQLite activity log and key store.
 * WAL mode, one connection for reads and key changes on the calling thread,
 * log writes batched and written by a worker thread with its own connection.
 *
 * @example
 * const store = await openSqliteStore({ path: './.claude-gateway/gateway.db' });
 * await store.recordRequest(record);
 * await store.close(); // flushes first
 */
export async function openSqliteStore(options: SqliteStoreOptions = {}): Promise<ReplayableStore> {
  return new SqliteStore(options);
}

class SqliteStore implements ReplayableStore {
  readonly kind = 'sqlite';
  readonly #database: Database.Database;
  readonly #writer: SqliteWriter;
  readonly #batch: BatchWriter<LogItem>;
  readonly #statements = new Map<string, Database.Statement>();
  #closed = false;
  readonly identity: IdentityStore = new SqlIdentityStore({
    all: async (statement) => this.#run(statement),
    batch: async (statements) =>
      this.#database.transaction(() => statements.map((statement) => this.#run(statement))).immediate(),
    table: (name) => name,
  });

  constructor(options: SqliteStoreOptions) {
    const path = options.path ?? DEFAULT_SQLITE_PATH;
    const inMemory = path === ':memory:';
    this.#database = openDatabase(path, inMemory);
    this.#database.pragma('journal_mode = WAL');
    this.#database.pragma('synchronous = NORMAL');
    this.#database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    migrateSqlite(this.#database);
    const statements = writerStatements(options.compressBodies === true);
    this.#writer =
      inMemory || options.writer === 'inline'
        ? inlineSqliteWriter(this.#database, statements)
        : new WorkerSqliteWriter(path, statements);
    this.#batch = new BatchWriter<LogItem>({
      ...options.batch,
      logger: options.logger ?? writeStoreLogToStderr,
      sizeOf: logItemSize,
      write: (items) => {
        const { requests, attempts } = splitLogItems(items);
        return this.#writer.write({
          requests: requests.map((record) => encodeRow(REQUEST_COLUMNS, record, SQLITE_ENCODING)),
          attempts: attempts.map((record) => encodeRow(ATTEMPT_COLUMNS, record, SQLITE_ENCODING)),
        });
      },
    });
  }

  async recordRequest(record: RequestRow): Promise<void> {
    this.#batch.push({ kind: 'request', record });
  }

  async recordAttempts(records: readonly AttemptRecord[]): Promise<void> {
    for (const record of records) this.#batch.push({ kind: 'attempt', record });
  }

  async queryRequests(query: ActivityQuery = {}): Promise<RequestRecord[]> {
    const sql = selectRequests('requests', query, SQLITE_PLACEHOLDER);
    return this.#all(sql.text, sql.parameters).map(decodeRequest);
  }

  async getRequest(id: string): Promise<RequestRecord | undefined> {
    const row = this.#all('SELECT * FROM requests WHERE id = ?', [id])[0];
    return row ? decodeRequest(row) : undefined;
  }

  async requestIdsPresent(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = this.#all(`SELECT id FROM requests WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
    return new Set(rows.map((row) => String(row.id)));
  }

  async attemptsOf(requestId: string): Promise<AttemptRecord[]> {
    return this.#all('SELECT * FROM attempts WHERE request_id = ? ORDER BY attempt', [requestId]).map(
      decodeAttempt,
    );
  }

  async summarize(filter: ActivityFilter = {}): Promise<RequestSummary> {
    const rows = (grouping: SummaryGrouping) => {
      const sql = summarySql('requests', filter, grouping, SQLITE_PLACEHOLDER);
      return this.#all(sql.text, sql.parameters);
    };
    return assembleSummary(filter, {
      total: rows('total'),
      key: rows('key'),
      model: rows('model'),
      platform: rows('platform'),
    });
  }

  async sessions(query: SessionQuery = {}): Promise<SessionSummary[]> {
    const sql = sessionsSql('requests', query, SQLITE_PLACEHOLDER);
    return this.#all(sql.text, sql.parameters).map(decodeSession);
  }

  async report(by: readonly ReportDimension[], filter: ActivityFilter = {}): Promise<UsageReport> {
    const sql = reportSql('requests', by, filter, SQLITE_PLACEHOLDER);
    return assembleReport(by, this.#all(sql.text, sql.parameters));
  }

  async spendSince(keyId: string, sinceMs: number): Promise<number> {
    const row = this.#all('SELECT SUM(cost_usd) AS total FROM requests WHERE key_id = ? AND time >= ?', [
      keyId,
      sinceMs,
    ])[0];
    return typeof row?.total === 'number' ? row.total : 0;
  }

  async claimBudgetAlert(alert: BudgetAlertRecord): Promise<boolean> {
    this.#assertOpen();
    const columns = BUDGET_ALERT_COLUMNS.map((column) => column.name);
    const result = this.#statement(
      `INSERT INTO budget_alerts (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT (id) DO NOTHING`,
    ).run(encodeRow(BUDGET_ALERT_COLUMNS, alert, SQLITE_ENCODING));
    return result.changes === 1;
  }

  async prune(olderThanMs: number): Promise<number> {
    this.#assertOpen();
    return this.#writer.prune(olderThanMs);
  }

  async createKey(input: NewApiKey, options: KeyChangeOptions = {}): Promise<CreatedApiKey> {
    this.#assertOpen();
    const created = buildNewKey(input, options.now ?? Date.now());
    const columns = KEY_COLUMNS.map((column) => column.name);
    try {
      this.#statement(
        `INSERT INTO api_keys (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      ).run(encodeRow(KEY_COLUMNS, created.record, SQLITE_ENCODING));
    } catch (error) {
      throw nameTaken(error, created.record.name);
    }
    return created;
  }

  async listKeys(options: { includeRevoked?: boolean } = {}): Promise<ApiKeyRecord[]> {
    const where = options.includeRevoked ? '' : 'WHERE revoked_at IS NULL';
    return this.#all(`SELECT * FROM api_keys ${where} ORDER BY created_at, name, id`, []).map(decodeKey);
  }

  async revokeKey(reference: string): Promise<ApiKeyRecord | undefined> {
    this.#assertOpen();
    const revoke = this.#database.transaction(() => {
      const key = this.#activeKey(reference);
      if (!key) return undefined;
      const revokedAt = Date.now();
      this.#statement('UPDATE api_keys SET revoked_at = ? WHERE id = ?').run(revokedAt, key.id);
      return { ...key, revokedAt };
    });
    return revoke.immediate();
  }

  async updateKey(
    reference: string,
    changes: ApiKeyChanges,
    options: KeyChangeOptions = {},
  ): Promise<ApiKeyRecord | undefined> {
    this.#assertOpen();
    const update = this.#database.transaction(() => {
      const key = this.#activeKey(reference);
      if (!key) return undefined;
      const next = applyKeyChanges(key, changes, options.now ?? Date.now());
      this.#writeKey(next);
      return next;
    });
    return update.immediate();
  }

  async rotateKey(reference: string, options: RotateKeyOptions): Promise<RotatedApiKey | undefined> {
    this.#assertOpen();
    const rotate = this.#database.transaction(() => {
      const key = this.#activeKey(reference);
      if (!key) return undefined;
      const now = options.now ?? Date.now();
      const validUntil = now + Math.max(0, options.graceMs);
      const secret = generateSecret();
      const record: ApiKeyRecord = {
        ...key,
        prefix: displayPrefix(secret),
        hash: hashSecret(secret),
        rotatedAt: now,
      };
      this.#statement(
        'INSERT INTO api_key_old_secrets (hash, key_id, replaced_at, valid_until) VALUES (?, ?, ?, ?)',
      ).run(key.hash, key.id, now, validUntil);
      this.#writeKey(record);
      return { record, secret, previousSecretValidUntil: validUntil };
    });
    return rotate.immediate();
  }

  async findKeyBySecret(secret: string): Promise<ApiKeyRecord | undefined> {
    const row = this.#all('SELECT * FROM api_keys WHERE hash = ? AND revoked_at IS NULL', [
      hashSecret(secret),
    ])[0];
    return row ? decodeKey(row) : undefined;
  }

  async lookupSecret(secret: string): Promise<SecretLookup | undefined> {
    const hash = hashSecret(secret);
    const current = this.#all('SELECT * FROM api_keys WHERE hash = ?', [hash])[0];
    if (current) return { key: decodeKey(current) };
    const old = this.#all(
      `SELECT k.*, o.replaced_at AS old_replaced_at, o.valid_until AS old_valid_until
         FROM api_key_old_secrets o JOIN api_keys k ON k.id = o.key_id WHERE o.hash = ?`,
      [hash],
    )[0];
    return old ? oldSecretLookup(old) : undefined;
  }

  async recordKeyUse(keyId: string, at: number): Promise<void> {
    this.#assertOpen();
    this.#statement(
      'UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)',
    ).run(at, keyId, at);
  }

  /** The active key a reference (id, name, prefix) means; call inside a transaction. */
  #activeKey(reference: string): ApiKeyRecord | undefined {
    const candidates = this.#all(
      'SELECT * FROM api_keys WHERE revoked_at IS NULL AND (id = ? OR name = ? OR prefix = ?)',
      [reference, reference, reference],
    ).map(decodeKey);
    return pickKeyByReference(candidates, reference);
  }

  /** Writes every column of an existing key. */
  #writeKey(record: ApiKeyRecord): void {
    const columns = KEY_COLUMNS.filter((column) => column.name !== 'id');
    try {
      this.#statement(
        `UPDATE api_keys SET ${columns.map((column) => `${column.name} = ?`).join(', ')} WHERE id = ?`,
      ).run([...encodeRow(columns, record, SQLITE_ENCODING), record.id]);
    } catch (error) {
      throw nameTaken(error, record.name);
    }
  }

  stats(): WriteStats {
    return this.#batch.stats();
  }

  flush(): Promise<void> {
    return this.#batch.flush();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#batch.close();
    this.#closed = true;
    await this.#writer.close();
    this.#database.close();
  }

  #all(text: string, parameters: readonly unknown[]): StoredRow[] {
    this.#assertOpen();
    return this.#statement(text).all(...parameters) as StoredRow[];
  }

  /** Any statement: its rows when it returns some (SELECT, RETURNING), else none. */
  #run(statement: SqlStatement): StoredRow[] {
    this.#assertOpen();
    const prepared = this.#statement(statement.text);
    if (prepared.reader) return prepared.all(...statement.parameters) as StoredRow[];
    prepared.run(...statement.parameters);
    return [];
  }

  #statement(text: string): Database.Statement {
    let statement = this.#statements.get(text);
    if (!statement) {
      statement = this.#database.prepare(text);
      this.#statements.set(text, statement);
    }
    return statement;
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreError('The activity store is closed.', 'STORE_CLOSED');
  }
}

function nameTaken(error: unknown, name: string): unknown {
  if (error instanceof Database.SqliteError && /api_keys\.name/.test(error.message)) {
    return new StoreError(
      `An active key is already named ${name}; pick another name or revoke that key first.`,
      'KEY_NAME_TAKEN',
      { cause: error },
    );
  }
  return error;
}

/** Bodies this long or longer are compressed with `compressBodies` (smaller ones gain little). */
export const COMPRESSED_BODY_BYTES = 2048;

/**
 * A body may come as the UTF-8 bytes it arrived as: bound as a blob, SQLite
 * casts it to text itself, with no decoding to a string and encoding back to
 * UTF-8 in the writer (measured: a quarter less writer time per 100 KB row).
 * With compressed bodies the writer binds each body itself (a compressed blob
 * or a string), so the placeholder is plain.
 */
const bodyPlaceholder =
  (columns: readonly string[], compressed: boolean): Placeholder =>
  (position) =>
    !compressed && BODY_COLUMNS.includes(columns[position - 1] ?? '') ? 'CAST(? AS TEXT)' : '?';

function writerStatements(compressBodies: boolean): SqliteWriterStatements {
  const requestColumns = REQUEST_COLUMNS.map((column) => column.name);
  const attemptColumns = ATTEMPT_COLUMNS.map((column) => column.name);
  return {
    pragmas: ['synchronous = NORMAL', `busy_timeout = ${BUSY_TIMEOUT_MS}`],
    insertRequest: upsertSql(
      'requests',
      requestColumns,
      ['id'],
      1,
      bodyPlaceholder(requestColumns, compressBodies),
    ),
    insertAttempt: upsertSql('attempts', attemptColumns, ['request_id', 'attempt'], 1, SQLITE_PLACEHOLDER),
    pruneRequests: `DELETE FROM requests WHERE rowid IN (SELECT rowid FROM requests WHERE time < ? LIMIT ${PRUNE_CHUNK_ROWS})`,
    pruneAttempts: `DELETE FROM attempts WHERE rowid IN (SELECT rowid FROM attempts WHERE time < ? LIMIT ${PRUNE_CHUNK_ROWS})`,
    pruneBudgetAlerts: PRUNE_BUDGET_ALERTS('budget_alerts'),
    ...(compressBodies
      ? {
          compressedBodies: {
            positions: BODY_COLUMNS.map((name) => requestColumns.indexOf(name)),
            fromBytes: COMPRESSED_BODY_BYTES,
          },
        }
      : {}),
  };
}

function openDatabase(path: string, inMemory: boolean): Database.Database {
  try {
    if (!inMemory) preparePrivateSqliteFile(path);
    return new Database(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreError(
      `Cannot open the SQLite activity database at ${path}: ${reason}. Check that the folder is writable, or set store.url.`,
      'STORE_UNREACHABLE',
      { cause: error },
    );
  }
}
