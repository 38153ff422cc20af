import postgres from 'postgres';
import {
  assembleSummary,
  POSTGRES_PLACEHOLDER,
  type SummaryGrouping,
  selectRequests,
  summarySql,
  upsertSql,
} from './activity-sql.js';
import { type BatchTuning, BatchWriter } from './batch-writer.js';
import { PRUNE_BUDGET_ALERTS } from './budget-alert-sql.js';
import {
  ATTEMPT_COLUMNS,
  BUDGET_ALERT_COLUMNS,
  type ColumnSpec,
  encodeRow,
  KEY_COLUMNS,
  POSTGRES_ENCODING,
  REQUEST_COLUMNS,
} from './columns.js';
import {
  decodeAttempt,
  decodeKey,
  decodeRequest,
  number,
  oldSecretLookup,
  type StoredRow,
} from './decode-rows.js';
import { SqlIdentityStore, type SqlStatement } from './identity-sql-store.js';
import type { IdentityStore } from './identity-types.js';
import type { ReplayableStore } from './journaled-store.js';
import { pickKeyByReference } from './key-reference.js';
import { displayPrefix, generateSecret, hashSecret } from './key-secrets.js';
import { type LogItem, logItemSize, splitLogItems } from './log-items.js';
import { applyKeyChanges, buildNewKey } from './new-key.js';
import { migratePostgres, quoteIdentifier } from './postgres-schema.js';
import { assembleReport, type ReportDimension, reportSql, type UsageReport } from './report-sql.js';
import { decodeSession, sessionsSql } from './session-sql.js';
import { redactUrl, StoreError } from './store-error.js';
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

/** The schema the tables live in unless the URL (`?schema=`) or the options name another. */
export const DEFAULT_POSTGRES_SCHEMA = 'claude_gateway';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:5432/database[?schema=name]` (or `postgresql://`). */
  url: string;
  /** The schema for the tables (created if missing); wins over `?schema=`. Default `claude_gateway`. */
  schema?: string;
  /** Connections in the pool. Default 10. */
  maxConnections?: number;
  logger?: StoreLogger;
  batch?: BatchTuning;
}

/**
 * The channel key changes are announced on (NOTIFY), with the schema as the
 * payload: every gateway sharing the schema drops its cached keys at once.
 */
export const KEY_CHANGES_CHANNEL = 'claude_gateway_key_changes';

/** Rows per INSERT statement, well under Postgres's 65 535 parameters. */
const ROWS_PER_STATEMENT = 1000;
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
]);
/** SQLSTATEs of a server that is down or going down: connection exceptions, shutdowns, "starting up", too many connections. */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * Whether an error means Postgres cannot be reached right now (refused, lost
 * or timed-out connections, a server shutting down or starting up) rather
 * than a statement it refused: writes wait and retry, reads answer "unreachable".
 *
 * @example
 * isPostgresUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })); // true
 */
export function isPostgresUnavailable(error: unknown): boolean {
  if (error instanceof StoreError) return error.code === 'STORE_UNREACHABLE';
  if (error instanceof AggregateError) return error.errors.some(isPostgresUnavailable);
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const code = String(error.code);
  return CONNECTION_ERRORS.has(code) || code.startsWith('08') || UNAVAILABLE_STATES.has(code);
}

/**
 * Opens the Postgres activity log and key store, for several gateway replicas
 * sharing one log: creates and migrates its schema, then batches log writes
 * into multi-row inserts, one transaction per batch.
 *
 * @example
 * const store = await openPostgresStore({ url: 'postgres://gateway@db:5432/gateway?schema=claude_gateway' });
 * await store.recordRequest(record);
 * await store.close(); // flushes first
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<ReplayableStore> {
  const { url, schema } = splitSchema(options.url, options.schema);
  const sql = postgres(url, {
    max: options.maxConnections ?? 10,
    connect_timeout: 10,
    idle_timeout: 60,
    onnotice: () => {},
  });
  try {
    await migratePostgres(sql, schema);
  } catch (error) {
    await sql.end({ timeout: 0 }).catch(() => {});
    throw describeOpenError(error, options.url);
  }
  return new PostgresStore(sql, schema, options);
}

class PostgresStore implements ReplayableStore {
  readonly kind = 'postgres';
  readonly #sql: postgres.Sql;
  readonly #requests: string;
  readonly #attempts: string;
  readonly #keys: string;
  readonly #oldSecrets: string;
  readonly #budgetAlerts: string;
  readonly #schema: string;
  readonly #batch: BatchWriter<LogItem>;
  #closed = false;
  readonly identity: IdentityStore;
  /** Reads that failed since start (`stats().failedReads`, a metric). */
  #failedReads = 0;

  constructor(sql: postgres.Sql, schema: string, options: PostgresStoreOptions) {
    this.#sql = sql;
    const quoted = quoteIdentifier(schema);
    this.#requests = `${quoted}.requests`;
    this.#attempts = `${quoted}.attempts`;
    this.#keys = `${quoted}.api_keys`;
    this.#oldSecrets = `${quoted}.api_key_old_secrets`;
    this.#budgetAlerts = `${quoted}.budget_alerts`;
    this.#schema = schema;
    this.identity = new SqlIdentityStore({
      all: (statement) => this.#all(numbered(statement.text), statement.parameters),
      batch: (statements, batchOptions) => this.#batch_(statements, batchOptions?.announce === true),
      table: (name) => `${quoted}.${name}`,
    });
    this.#batch = new BatchWriter<LogItem>({
      ...options.batch,
      logger: options.logger ?? writeStoreLogToStderr,
      sizeOf: logItemSize,
      write: (items) => this.#write(items),
      // Postgres down: rows wait in the queue (and the journal) until it answers, instead of being dropped.
      isUnavailable: isPostgresUnavailable,
    });
  }

  async recordRequest(record: RequestRow): Promise<void> {
    this.#batch.push({ kind: 'request', record });
  }

  async recordAttempts(records: readonly AttemptRecord[]): Promise<void> {
    for (const record of records) this.#batch.push({ kind: 'attempt', record });
  }

  async queryRequests(query: ActivityQuery = {}): Promise<RequestRecord[]> {
    const sql = selectRequests(this.#requests, query, POSTGRES_PLACEHOLDER);
    return (await this.#all(sql.text, sql.parameters)).map(decodeRequest);
  }

  async getRequest(id: string): Promise<RequestRecord | undefined> {
    const [row] = await this.#all(`SELECT * FROM ${this.#requests} WHERE id = $1`, [id]);
    return row ? decodeRequest(row) : undefined;
  }

  async requestIdsPresent(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.#all(`SELECT id FROM ${this.#requests} WHERE id = ANY($1::text[])`, [[...ids]]);
    return new Set(rows.map((row) => String(row.id)));
  }

  async attemptsOf(requestId: string): Promise<AttemptRecord[]> {
    const rows = await this.#all(`SELECT * FROM ${this.#attempts} WHERE request_id = $1 ORDER BY attempt`, [
      requestId,
    ]);
    return rows.map(decodeAttempt);
  }

  async summarize(filter: ActivityFilter = {}): Promise<RequestSummary> {
    const rows = (grouping: SummaryGrouping) => {
      const sql = summarySql(this.#requests, filter, grouping, POSTGRES_PLACEHOLDER);
      return this.#all(sql.text, sql.parameters);
    };
    const [total, key, model, platform] = await Promise.all([
      rows('total'),
      rows('key'),
      rows('model'),
      rows('platform'),
    ]);
    return assembleSummary(filter, { total, key, model, platform });
  }

  async sessions(query: SessionQuery = {}): Promise<SessionSummary[]> {
    const sql = sessionsSql(this.#requests, query, POSTGRES_PLACEHOLDER);
    return (await this.#all(sql.text, sql.parameters)).map(decodeSession);
  }

  async report(by: readonly ReportDimension[], filter: ActivityFilter = {}): Promise<UsageReport> {
    const sql = reportSql(this.#requests, by, filter, POSTGRES_PLACEHOLDER);
    return assembleReport(by, await this.#all(sql.text, sql.parameters));
  }

  async spendSince(keyId: string, sinceMs: number): Promise<number> {
    const [row] = await this.#all(
      `SELECT SUM(cost_usd) AS total FROM ${this.#requests} WHERE key_id = $1 AND time >= $2`,
      [keyId, sinceMs],
    );
    return number(row?.total) ?? 0;
  }

  async claimBudgetAlert(alert: BudgetAlertRecord): Promise<boolean> {
    const rows = await this.#all(
      `${insertSql(this.#budgetAlerts, BUDGET_ALERT_COLUMNS, 1)} ON CONFLICT (id) DO NOTHING RETURNING id`,
      encodeRow(BUDGET_ALERT_COLUMNS, alert, POSTGRES_ENCODING),
    );
    return rows.length === 1;
  }

  async prune(olderThanMs: number): Promise<number> {
    this.#assertOpen();
    return this.#sql.begin(async (transaction) => {
      const requests = await transaction.unsafe(`DELETE FROM ${this.#requests} WHERE time < $1`, [
        olderThanMs,
      ]);
      const attempts = await transaction.unsafe(`DELETE FROM ${this.#attempts} WHERE time < $1`, [
        olderThanMs,
      ]);
      const alerts = await transaction.unsafe(PRUNE_BUDGET_ALERTS(this.#budgetAlerts, '$1'), [olderThanMs]);
      return requests.count + attempts.count + alerts.count;
    });
  }

  async createKey(input: NewApiKey, options: KeyChangeOptions = {}): Promise<CreatedApiKey> {
    this.#assertOpen();
    const created = buildNewKey(input, options.now ?? Date.now());
    try {
      await this.#sql.begin(async (transaction) => {
        await transaction.unsafe(
          insertSql(this.#keys, KEY_COLUMNS, 1),
          encodeRow(KEY_COLUMNS, created.record, POSTGRES_ENCODING) as postgres.ParameterOrJSON<never>[],
        );
        await this.#announceKeyChange(transaction);
      });
    } catch (error) {
      throw nameTaken(error, created.record.name);
    }
    return created;
  }

  async listKeys(options: { includeRevoked?: boolean } = {}): Promise<ApiKeyRecord[]> {
    const where = options.includeRevoked ? '' : 'WHERE revoked_at IS NULL';
    return (await this.#all(`SELECT * FROM ${this.#keys} ${where} ORDER BY created_at, name, id`, [])).map(
      decodeKey,
    );
  }

  async revokeKey(reference: string): Promise<ApiKeyRecord | undefined> {
    return this.#changeKey(reference, async (transaction, key) => {
      const [row] = await transaction.unsafe(
        `UPDATE ${this.#keys} SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING *`,
        [Date.now(), key.id],
      );
      return row ? decodeKey(row) : undefined;
    });
  }

  async updateKey(
    reference: string,
    changes: ApiKeyChanges,
    options: KeyChangeOptions = {},
  ): Promise<ApiKeyRecord | undefined> {
    try {
      return await this.#changeKey(reference, async (transaction, key) => {
        const next = applyKeyChanges(key, changes, options.now ?? Date.now());
        await this.#writeKey(transaction, next);
        return next;
      });
    } catch (error) {
      throw nameTaken(error, typeof changes.name === 'string' ? changes.name.trim() : reference);
    }
  }

  async rotateKey(reference: string, options: RotateKeyOptions): Promise<RotatedApiKey | undefined> {
    return this.#changeKey(reference, async (transaction, key) => {
      const now = options.now ?? Date.now();
      const validUntil = now + Math.max(0, options.graceMs);
      const secret = generateSecret();
      const record: ApiKeyRecord = {
        ...key,
        prefix: displayPrefix(secret),
        hash: hashSecret(secret),
        rotatedAt: now,
      };
      await transaction.unsafe(
        `INSERT INTO ${this.#oldSecrets} (hash, key_id, replaced_at, valid_until) VALUES ($1, $2, $3, $4)`,
        [key.hash, key.id, now, validUntil],
      );
      await this.#writeKey(transaction, record);
      return { record, secret, previousSecretValidUntil: validUntil };
    });
  }

  async findKeyBySecret(secret: string): Promise<ApiKeyRecord | undefined> {
    const [row] = await this.#all(`SELECT * FROM ${this.#keys} WHERE hash = $1 AND revoked_at IS NULL`, [
      hashSecret(secret),
    ]);
    return row ? decodeKey(row) : undefined;
  }

  /** A cheap round trip (`SELECT 1`): rejects with a STORE_UNREACHABLE StoreError while Postgres cannot be reached. */
  async ping(): Promise<void> {
    await this.#all('SELECT 1', []);
  }

  async lookupSecret(secret: string): Promise<SecretLookup | undefined> {
    const hash = hashSecret(secret);
    const [current] = await this.#all(`SELECT * FROM ${this.#keys} WHERE hash = $1`, [hash]);
    if (current) return { key: decodeKey(current) };
    const [old] = await this.#all(
      `SELECT k.*, o.replaced_at AS old_replaced_at, o.valid_until AS old_valid_until
         FROM ${this.#oldSecrets} o JOIN ${this.#keys} k ON k.id = o.key_id WHERE o.hash = $1`,
      [hash],
    );
    return old ? oldSecretLookup(old) : undefined;
  }

  async recordKeyUse(keyId: string, at: number): Promise<void> {
    await this.#all(
      `UPDATE ${this.#keys} SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $1)`,
      [at, keyId],
    );
  }

  async watchKeyChanges(listener: () => void): Promise<() => Promise<void>> {
    this.#assertOpen();
    const { unlisten } = await this.#sql.listen(
      KEY_CHANGES_CHANNEL,
      (payload) => {
        if (payload === this.#schema) listener();
      },
      // Also on every (re)connection of the listening connection: changes made while it was down were not heard.
      () => listener(),
    );
    return unlisten;
  }

  /** Runs a change on the active key a reference means, locked, in a transaction that announces it. */
  async #changeKey<Result>(
    reference: string,
    change: (transaction: postgres.TransactionSql, key: ApiKeyRecord) => Promise<Result | undefined>,
  ): Promise<Result | undefined> {
    this.#assertOpen();
    return this.#sql.begin(async (transaction) => {
      const candidates = await transaction.unsafe(
        `SELECT * FROM ${this.#keys} WHERE revoked_at IS NULL AND (id = $1 OR name = $1 OR prefix = $1) FOR UPDATE`,
        [reference],
      );
      const key = pickKeyByReference(candidates.map(decodeKey), reference);
      if (!key) return undefined;
      const result = await change(transaction, key);
      if (result !== undefined) await this.#announceKeyChange(transaction);
      return result;
    }) as Promise<Result | undefined>;
  }

  /** Writes every column of an existing key. */
  async #writeKey(transaction: postgres.TransactionSql, record: ApiKeyRecord): Promise<void> {
    const columns = KEY_COLUMNS.filter((column) => column.name !== 'id');
    await transaction.unsafe(
      `UPDATE ${this.#keys} SET ${columns.map((column, index) => `${column.name} = $${index + 1}`).join(', ')} WHERE id = $${columns.length + 1}`,
      [...encodeRow(columns, record, POSTGRES_ENCODING), record.id] as postgres.ParameterOrJSON<never>[],
    );
  }

  /** Identity statements in one transaction, announced like key changes when they change what gateways cache. */
  async #batch_(statements: readonly SqlStatement[], announce: boolean): Promise<StoredRow[][]> {
    this.#assertOpen();
    try {
      return (await this.#sql.begin(async (transaction) => {
        const results: StoredRow[][] = [];
        for (const statement of statements) {
          const rows = await transaction.unsafe(
            numbered(statement.text),
            statement.parameters as postgres.ParameterOrJSON<never>[],
          );
          results.push([...rows]);
        }
        if (announce) await this.#announceKeyChange(transaction);
        return results;
      })) as StoredRow[][];
    } catch (error) {
      if (isPostgresUnavailable(error)) {
        throw new StoreError(
          `Postgres cannot be reached (${unavailableReason(error)})`,
          'STORE_UNREACHABLE',
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  }

  /** Delivered when the transaction commits, to every gateway listening (see `watchKeyChanges`). */
  async #announceKeyChange(transaction: postgres.TransactionSql): Promise<void> {
    await transaction.unsafe('SELECT pg_notify($1, $2)', [KEY_CHANGES_CHANNEL, this.#schema]);
  }

  stats(): WriteStats {
    return { ...this.#batch.stats(), failedReads: this.#failedReads };
  }

  flush(): Promise<void> {
    return this.#batch.flush();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#batch.close();
    this.#closed = true;
    await this.#sql.end({ timeout: 5 });
  }

  async #write(items: LogItem[]): Promise<void> {
    const { requests, attempts } = splitLogItems(items);
    await this.#sql.begin(async (transaction) => {
      for (const [table, columns, conflict, records] of [
        [this.#requests, REQUEST_COLUMNS, ['id'], requests],
        [this.#attempts, ATTEMPT_COLUMNS, ['request_id', 'attempt'], attempts],
      ] as const) {
        for (let start = 0; start < records.length; start += ROWS_PER_STATEMENT) {
          const chunk = records.slice(start, start + ROWS_PER_STATEMENT);
          const names = (columns as readonly ColumnSpec<object>[]).map((column) => column.name);
          const parameters = chunk.flatMap((record) =>
            encodeRow(columns as readonly ColumnSpec<object>[], record, POSTGRES_ENCODING),
          );
          await transaction.unsafe(
            upsertSql(table, names, conflict, chunk.length, POSTGRES_PLACEHOLDER),
            parameters as postgres.ParameterOrJSON<never>[],
          );
        }
      }
    });
  }

  async #all(text: string, parameters: readonly unknown[]): Promise<StoredRow[]> {
    this.#assertOpen();
    try {
      const rows = await this.#sql.unsafe(text, parameters as postgres.ParameterOrJSON<never>[]);
      return [...rows];
    } catch (error) {
      this.#failedReads += 1;
      // Said plainly, without addresses: the message may reach a log line or a health check.
      if (isPostgresUnavailable(error)) {
        throw new StoreError(
          `Postgres cannot be reached (${unavailableReason(error)})`,
          'STORE_UNREACHABLE',
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreError('The activity store is closed.', 'STORE_CLOSED');
  }
}

/** `?` placeholders as Postgres's `$1, $2, …` (the identity SQL has no `?` inside literals). */
function numbered(text: string): string {
  let index = 0;
  return text.replace(/\?/g, () => `$${++index}`);
}

function nameTaken(error: unknown, name: string): unknown {
  if (error instanceof postgres.PostgresError && error.constraint_name === 'api_keys_active_name') {
    return new StoreError(
      `An active key is already named ${name}; pick another name or revoke that key first.`,
      'KEY_NAME_TAKEN',
      { cause: error },
    );
  }
  return error;
}

function insertSql<Row>(table: string, columns: readonly ColumnSpec<Row>[], rowCount: number): string {
  const names = columns.map((column) => column.name);
  const rows = Array.from(
    { length: rowCount },
    (_, row) =>
      `(${names.map((_, index) => POSTGRES_PLACEHOLDER(row * names.length + index + 1)).join(', ')})`,
  );
  return `INSERT INTO ${table} (${names.join(', ')}) VALUES ${rows.join(', ')}`;
}

/** The URL without `?schema=`, and the schema to use. */
function splitSchema(url: string, schemaOption: string | undefined): { url: string; schema: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new StoreError(
      `The Postgres store URL ${redactUrl(url)} cannot be parsed; expected postgres://user:password@host:5432/database[?schema=name].`,
      'BAD_STORE_URL',
      { cause: error },
    );
  }
  const schema = schemaOption ?? parsed.searchParams.get('schema') ?? DEFAULT_POSTGRES_SCHEMA;
  parsed.searchParams.delete('schema');
  if (!SCHEMA_NAME.test(schema)) {
    throw new StoreError(
      `The Postgres schema name ${JSON.stringify(schema)} is not allowed; use letters, digits and _ (up to 63, not starting with a digit).`,
      'BAD_STORE_URL',
    );
  }
  return { url: parsed.toString(), schema };
}

function unavailableReason(error: unknown): string {
  if (error instanceof AggregateError) {
    const first = error.errors.find(isPostgresUnavailable);
    return first ? unavailableReason(first) : 'connection failed';
  }
  return typeof error === 'object' && error !== null && 'code' in error
    ? String(error.code)
    : 'connection failed';
}

function describeOpenError(error: unknown, url: string): Error {
  if (error instanceof StoreError) return error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const reason = error instanceof Error ? error.message : String(error);
  if (CONNECTION_ERRORS.has(code) || error instanceof AggregateError) {
    return new StoreError(
      `Cannot reach Postgres at ${redactUrl(url)} (${code || reason}). Check store.url and that the server is running.`,
      'STORE_UNREACHABLE',
      { cause: error },
    );
  }
  return new StoreError(
    `Cannot open the Postgres activity store at ${redactUrl(url)}: ${reason}`,
    'STORE_UNREACHABLE',
    {
      cause: error,
    },
  );
}
