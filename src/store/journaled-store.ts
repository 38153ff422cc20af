import { type JournalEntry, JournalFile, readJournalSegment } from './journal-file.js';
import type { ReportDimension } from './report-sql.js';
import { canPing } from './store-health.js';
import { writeStoreLogToStderr } from './store-logger.js';
import type {
  ActivityFilter,
  ActivityQuery,
  ApiKeyChanges,
  AttemptRecord,
  BudgetAlertRecord,
  KeyChangeOptions,
  NewApiKey,
  RequestRow,
  RotateKeyOptions,
  SessionQuery,
  Store,
  StoreLogger,
} from './types.js';

/** The journal settings (`store.journal` in the configuration). */
export interface JournalOptions {
  /** The folder of the journal files. Default: the SQLite database's folder; a Postgres store has none unless set. */
  dir?: string;
  /**
   * fdatasync each append, so a finished request's row also survives a machine
   * crash or power loss. Default false: the row survives a crash of the
   * process (SIGKILL, out of memory) once it is written to the kernel.
   */
  fsync?: boolean;
  /** How often the journal is rotated and what the store has written deleted. Default 1000 ms. */
  checkpointMs?: number;
  /** Rotate early once the current journal file holds this many bytes. Default 32 MiB. */
  maxSegmentBytes?: number;
}

/** A store the journal can replay into: it can tell which request ids it already holds. */
export interface ReplayableStore extends Store {
  /** Which of these request ids have a row. */
  requestIdsPresent(ids: readonly string[]): Promise<Set<string>>;
}

/** What a replay at open found and did. */
export interface ReplayReport {
  segments: number;
  requests: number;
  /** Requests the store already had (skipped). */
  skipped: number;
  attempts: number;
  tornLines: number;
  badLines: number;
}

const DEFAULT_CHECKPOINT_MS = 1000;
const DEFAULT_MAX_SEGMENT_BYTES = 32 * 1024 * 1024;
const ID_CHUNK = 500;

/**
 * Wraps a store so that every row it is given is first appended to a local
 * journal file, synchronously, before `recordRequest` returns: the gateway
 * calls it before the answer's last byte goes out, so a request the client
 * saw finish is in the journal even if the process is killed a moment later,
 * before the batch writer wrote it. At open, journal files left by a process
 * that is gone are replayed into the store (requests it already has are
 * skipped; attempts are upserted, which is idempotent), then deleted. While
 * running, the journal is rotated every `checkpointMs` and the old file
 * deleted once the store has written (not dropped) everything queued before.
 *
 * @example
 * const store = await openJournaledStore(await openSqliteStore({ path }), { dir: './.claude-gateway', prefix: 'gateway.db-activity' });
 */
export async function openJournaledStore(
  inner: ReplayableStore,
  options: JournalOptions & { dir: string; prefix: string; logger?: StoreLogger },
): Promise<Store & { replayed: ReplayReport }> {
  const journal = new JournalFile({
    dir: options.dir,
    prefix: options.prefix,
    ...(options.fsync !== undefined ? { fsync: options.fsync } : {}),
  });
  const logger = options.logger ?? writeStoreLogToStderr;
  let replayed: ReplayReport;
  try {
    replayed = await replay(inner, journal, logger);
  } catch (error) {
    journal.close();
    throw error;
  }
  return new JournaledStore(inner, journal, options, logger, replayed);
}

/** Replays segment by segment, so memory and the write queue hold one segment's rows at a time. */
async function replay(
  inner: ReplayableStore,
  journal: JournalFile,
  logger: StoreLogger,
): Promise<ReplayReport> {
  const segments = journal.staleSegments();
  const report: ReplayReport = {
    segments: segments.length,
    requests: 0,
    skipped: 0,
    attempts: 0,
    tornLines: 0,
    badLines: 0,
  };
  const kept: string[] = [];
  for (const segment of segments) {
    const contents = readJournalSegment(segment);
    if (contents.tornLastLine) report.tornLines += 1;
    report.badLines += contents.badLines;
    const ids = contents.requests.map((record) => record.id);
    const present = new Set<string>();
    for (let start = 0; start < ids.length; start += ID_CHUNK) {
      for (const id of await inner.requestIdsPresent(ids.slice(start, start + ID_CHUNK))) present.add(id);
    }
    const droppedBefore = inner.stats().dropped;
    for (const record of contents.requests) {
      if (present.has(record.id)) {
        report.skipped += 1;
        continue;
      }
      await inner.recordRequest(record);
      report.requests += 1;
    }
    // Attempts are upserted by (request id, attempt): writing one the store has changes nothing.
    await inner.recordAttempts(contents.attempts);
    report.attempts += contents.attempts.length;
    await inner.flush();
    if (inner.stats().dropped === droppedBefore) journal.remove([segment]);
    else kept.push(segment);
  }
  if (kept.length > 0) {
    logger({
      level: 'error',
      message: `replaying the activity journal: some rows could not be written; these journal files are kept for the next start: ${kept.join(', ')}`,
    });
  }
  if (report.requests > 0 || report.badLines > 0) {
    const problems =
      report.badLines > 0 ? `; the unreadable rest of ${report.badLines} journal files ignored` : '';
    logger({
      level: 'warn',
      message: `recovered ${report.requests} activity rows (and ${report.attempts} attempts) from the journal of a gateway that stopped without flushing${problems}`,
    });
  }
  return report;
}

class JournaledStore implements Store {
  readonly #inner: ReplayableStore;
  readonly #journal: JournalFile;
  readonly #logger: StoreLogger;
  readonly #maxSegmentBytes: number;
  readonly #timer: NodeJS.Timeout;
  /** Sealed segments whose rows may still be queued. */
  #sealed: string[] = [];
  #checkpointing: Promise<void> | undefined;
  #failing = false;
  #closed = false;
  /** The store's dropped count when the rows of the current and sealed segments began to be queued. */
  #droppedBaseline: number;
  readonly replayed: ReplayReport;

  constructor(
    inner: ReplayableStore,
    journal: JournalFile,
    options: JournalOptions,
    logger: StoreLogger,
    replayed: ReplayReport,
  ) {
    this.#inner = inner;
    this.#journal = journal;
    this.#logger = logger;
    this.replayed = replayed;
    const watch = inner.watchKeyChanges?.bind(inner);
    if (watch) this.watchKeyChanges = watch;
    this.#maxSegmentBytes = options.maxSegmentBytes ?? DEFAULT_MAX_SEGMENT_BYTES;
    this.#droppedBaseline = inner.stats().dropped;
    this.#timer = setInterval(() => void this.#checkpoint(), options.checkpointMs ?? DEFAULT_CHECKPOINT_MS);
    this.#timer.unref();
  }

  get kind() {
    return this.#inner.kind;
  }

  get identity() {
    return this.#inner.identity;
  }

  /** Resolves once the row is in the journal file (the gateway waits for it before the answer's last byte). */
  async recordRequest(record: RequestRow): Promise<void> {
    const journaled = this.#append({ request: record });
    await this.#inner.recordRequest(record);
    await journaled;
  }

  async recordAttempts(records: readonly AttemptRecord[]): Promise<void> {
    const journaled = records.length > 0 ? this.#append({ attempts: [...records] }) : undefined;
    await this.#inner.recordAttempts(records);
    await journaled;
  }

  queryRequests(query?: ActivityQuery) {
    return this.#inner.queryRequests(query);
  }
  getRequest(id: string) {
    return this.#inner.getRequest(id);
  }
  attemptsOf(requestId: string) {
    return this.#inner.attemptsOf(requestId);
  }
  summarize(filter?: ActivityFilter) {
    return this.#inner.summarize(filter);
  }
  sessions(query?: SessionQuery) {
    return this.#inner.sessions(query);
  }
  report(by: readonly ReportDimension[], filter?: ActivityFilter) {
    return this.#inner.report(by, filter);
  }
  spendSince(keyId: string, sinceMs: number) {
    return this.#inner.spendSince(keyId, sinceMs);
  }
  claimBudgetAlert(alert: BudgetAlertRecord) {
    return this.#inner.claimBudgetAlert(alert);
  }
  prune(olderThanMs: number) {
    return this.#inner.prune(olderThanMs);
  }
  createKey(input: NewApiKey, options?: KeyChangeOptions) {
    return this.#inner.createKey(input, options);
  }
  listKeys(options?: { includeRevoked?: boolean }) {
    return this.#inner.listKeys(options);
  }
  revokeKey(reference: string) {
    return this.#inner.revokeKey(reference);
  }
  updateKey(reference: string, changes: ApiKeyChanges, options?: KeyChangeOptions) {
    return this.#inner.updateKey(reference, changes, options);
  }
  rotateKey(reference: string, options: RotateKeyOptions) {
    return this.#inner.rotateKey(reference, options);
  }
  findKeyBySecret(secret: string) {
    return this.#inner.findKeyBySecret(secret);
  }
  lookupSecret(secret: string) {
    return this.#inner.lookupSecret(secret);
  }
  recordKeyUse(keyId: string, at: number) {
    return this.#inner.recordKeyUse(keyId, at);
  }
  readonly watchKeyChanges?: Store['watchKeyChanges'];
  stats() {
    return this.#inner.stats();
  }
  flush() {
    return this.#inner.flush();
  }
  /** The inner store's reachability check (a store without one is always reachable). */
  async ping(): Promise<void> {
    if (canPing(this.#inner)) await this.#inner.ping();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    // Taken now: a checkpoint still running may move the baseline past drops that hit the last segment's rows.
    const droppedBefore = this.#droppedBaseline;
    // The store closes first: a checkpoint waiting on rows held for an unreachable store is released by
    // the store giving up on them (they stay in these journal files for the next start).
    const innerClosed = this.#inner.close();
    await this.#checkpointing;
    await innerClosed;
    await this.#journal.idle();
    const last = this.#journal.close();
    const sealed = last ? [...this.#sealed, last] : this.#sealed;
    this.#sealed = [];
    // Rows the store gave up on (refused when queued, or failed to write) stay in the journal, for the next start.
    if (this.#inner.stats().dropped === droppedBefore) this.#removeQuietly(sealed);
  }

  /**
   * Writes the row to the journal off the event loop (rows arriving together go out in one
   * `writev`); resolves once it is in the kernel. A failing disk costs durability, never the
   * request: the promise never rejects.
   */
  #append(entry: JournalEntry): Promise<void> | undefined {
    if (this.#closed) return undefined;
    const written = this.#journal.write(entry).then(
      () => {
        if (this.#failing) {
          this.#failing = false;
          this.#logger({ level: 'warn', message: 'the activity journal is writable again' });
        }
      },
      (error: unknown) => {
        if (this.#failing) return;
        this.#failing = true;
        this.#logger({
          level: 'error',
          message: `cannot append to the activity journal in ${this.#journal.dir}; rows are still queued for the store but would be lost in a crash`,
          error,
        });
      },
    );
    if (this.#journal.pendingBytes >= this.#maxSegmentBytes) void this.#checkpoint();
    return written;
  }

  /** Starts a new journal file, waits until the store wrote what the old ones hold, then deletes them. */
  #checkpoint(): Promise<void> {
    if (this.#checkpointing || this.#closed) return this.#checkpointing ?? Promise.resolve();
    if (this.#journal.pendingBytes === 0 && this.#sealed.length === 0) return Promise.resolve();
    this.#checkpointing = (async () => {
      try {
        const sealed = this.#journal.seal();
        if (sealed) this.#sealed.push(sealed);
        const covered = [...this.#sealed];
        await this.#inner.flush();
        const dropped = this.#inner.stats().dropped;
        // A drop since the last checkpoint may be a row of these files: then they are kept for the
        // next start's replay (which skips what was written), no longer ours to delete.
        if (dropped === this.#droppedBaseline) this.#removeQuietly(covered);
        this.#droppedBaseline = dropped;
        this.#sealed = this.#sealed.filter((path) => !covered.includes(path));
      } catch (error) {
        this.#logger({ level: 'warn', message: 'rotating the activity journal failed', error });
      } finally {
        this.#checkpointing = undefined;
      }
    })();
    return this.#checkpointing;
  }

  #removeQuietly(paths: readonly string[]): void {
    try {
      this.#journal.remove(paths);
    } catch (error) {
      this.#logger({ level: 'warn', message: 'deleting a written activity journal file failed', error });
    }
  }
}
