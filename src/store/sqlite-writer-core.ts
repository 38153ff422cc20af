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
  /**
   * With `store.compressBodies`: where the bodies are in a request row, and the size (in bytes)
   * from which one is stored zstd-compressed, as a blob. Absent: bodies are stored as text.
   */
  compressedBodies?: { positions: number[]; fromBytes: number };
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
  /**
   * How a body is bound when bodies are compressed: from `fromBytes` on, zstd
   * (level 1, a few hundred MB/s, 3.5–6 times smaller on Claude Code's
   * JSON) as a blob when that is smaller; otherwise as text. Nested, like
   * everything here, because this function's text is the writer thread's code.
   */
  function bodyStorage(fromBytes: number | undefined): (value: unknown) => unknown {
    if (fromBytes === undefined) return (value) => value;
    const zlib = process.getBuiltinModule('node:zlib');
    // With a checksum (4 bytes a frame), so a damaged blob fails to decompress instead of reading wrong.
    const options = {
      params: { [zlib.constants.ZSTD_c_compressionLevel]: 1, [zlib.constants.ZSTD_c_checksumFlag]: 1 },
    };
    const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
    return (value) => {
      if (typeof value !== 'string' && !(value instanceof Uint8Array)) return value;
      const size = typeof value === 'string' ? Buffer.byteLength(value) : value.byteLength;
      if (size >= fromBytes) {
        const compressed = zlib.zstdCompressSync(value, options);
        if (compressed.byteLength < size) return compressed;
      }
      return typeof value === 'string' ? value : utf8.decode(value);
    };
  }
  for (const pragma of statements.pragmas) database.pragma(pragma);
  const insertRequest = database.prepare(statements.insertRequest);
  const insertAttempt = database.prepare(statements.insertAttempt);
  const pruneRequests = database.prepare(statements.pruneRequests);
  const pruneAttempts = database.prepare(statements.pruneAttempts);
  const pruneBudgetAlerts = database.prepare(statements.pruneBudgetAlerts);
  const storeBody = bodyStorage(statements.compressedBodies?.fromBytes);
  const bodyPositions = statements.compressedBodies?.positions ?? [];
  // Without compression, bodies may come as the UTF-8 bytes they arrived as: the insert casts them
  // to text (see the store). With it, each is made a compressed blob or a string here.
  const writeBatch = database.transaction((batch: SqliteWriteBatch) => {
    for (const row of batch.requests) {
      if (bodyPositions.length === 0) {
        insertRequest.run(row);
        continue;
      }
      // A copy: the caller's row keeps the bodies as it gave them (a batch may be written again).
      const values = row.slice();
      for (const position of bodyPositions) values[position] = storeBody(row[position]);
      insertRequest.run(values);
    }
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
