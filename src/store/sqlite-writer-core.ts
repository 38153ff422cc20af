import type Database from 'better-sqlite3';

/** The SQL the writer runs, built by the store from its column lists. */
export interface SqliteWriterStatements {
  /** Pragmas for the writer's own connection (`synchronous = NORMAL`, …). */
  pragmas: string[];
  insertRequest: string;
  insertAttempt: string;
  /** Deletes one chunk of requests older than the bound parameter. */
  pruneRequests: string;
  /** Deletes one chunk of attempts older than the bound parameter. */
  pruneAttempts: string;
  /** Deletes the budget alert claims whose period ended before the bound parameter (a few rows: one statement). */
  pruneBudgetAlerts: string;
}

/** One batch of encoded rows (values in column order). */
export interface SqliteWriteBatch {
  requests: unknown[][];
  attempts: unknown[][];
}

/** What the writer does, on whichever thread it runs. */
export interface SqliteWriterCore {
  /** Writes a batch in one transaction. */
  write(batch: SqliteWriteBatch): void;
  /** Deletes rows older than `before` in small transactions; returns how many. */
  prune(before: number): number;
}

/**
 * The write side of the SQLite store over one connection. Its source text
 * also runs in the writer thread (see `sqlite-writer-thread.ts`), so it must
 * stay self-contained: no reference to anything outside the function.
 *
 * @example
 * const core = sqliteWriterCore(database, statements);
 * core.write({ requests: [encodedRow], attempts: [] });
 */
export function sqliteWriterCore(
  database: Database.Database,
  statements: SqliteWriterStatements,
): SqliteWriterCore {
  for (const pragma of statements.pragmas) database.pragma(pragma);
  const insertRequest = database.prepare(statements.insertRequest);
  const insertAttempt = database.prepare(statements.insertAttempt);
  const pruneRequests = database.prepare(statements.pruneRequests);
  const pruneAttempts = database.prepare(statements.pruneAttempts);
  const pruneBudgetAlerts = database.prepare(statements.pruneBudgetAlerts);
  // Bodies may come as the UTF-8 bytes they arrived as: the insert casts them to text (see the store).
  const writeBatch = database.transaction((batch: SqliteWriteBatch) => {
    for (const row of batch.requests) insertRequest.run(row);
    for (const row of batch.attempts) insertAttempt.run(row);
  });
  const pruneChunk = database.transaction(
    (before: number) => pruneRequests.run(before).changes + pruneAttempts.run(before).changes,
  );
  return {
    write(batch) {
      writeBatch(batch);
    },
    prune(before) {
      let removed = pruneBudgetAlerts.run(before).changes;
      for (;;) {
        const changes = pruneChunk(before);
        removed += changes;
        if (changes === 0) return removed;
      }
    },
  };
}
