import type { MessagePort } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { SqliteWriteBatch, SqliteWriterStatements, sqliteWriterCore } from './sqlite-writer-core.js';

/** What the writer thread is started with. */
export interface WriterThreadData {
  /** The resolved path of better-sqlite3, so the thread loads the same build. */
  driverPath: string;
  file: string;
  statements: SqliteWriterStatements;
}

/** A message to the writer thread. */
export type WriterRequest =
  | { id: number; type: 'write'; batch: SqliteWriteBatch }
  | { id: number; type: 'prune'; before: number }
  | { id: number; type: 'close' };

/** The writer thread's answer to one request. */
export type WriterReply =
  | { id: number; ok: true; value: number }
  | { id: number; ok: false; message: string };

/**
 * The body of the writer thread: opens its own connection and answers
 * requests one at a time. It runs from its source text (the same text whether
 * the gateway runs from dist or from the TypeScript sources in tests), so it is
 * self-contained and receives what it needs as arguments.
 *
 * @example
 * const source = `(${sqliteWriterThread})(require, require('node:worker_threads').parentPort, require('node:worker_threads').workerData, ${sqliteWriterCore})`;
 */
export function sqliteWriterThread(
  load: (path: string) => unknown,
  port: MessagePort,
  data: WriterThreadData,
  createCore: typeof sqliteWriterCore,
): void {
  const describe = (error: unknown) =>
    error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  let database: Database.Database;
  let core: ReturnType<typeof createCore>;
  try {
    const Driver = load(data.driverPath) as typeof Database;
    database = new Driver(data.file);
    core = createCore(database, data.statements);
  } catch (error) {
    // SqliteError loses its message crossing threads; a plain Error keeps it.
    throw new Error(`the SQLite writer thread could not start: ${describe(error)}`);
  }
  port.on('message', (request: WriterRequest) => {
    try {
      if (request.type === 'close') {
        database.close();
        port.postMessage({ id: request.id, ok: true, value: 0 } satisfies WriterReply);
        port.close();
        return;
      }
      let value = 0;
      if (request.type === 'prune') value = core.prune(request.before);
      else core.write(request.batch);
      port.postMessage({ id: request.id, ok: true, value } satisfies WriterReply);
    } catch (error) {
      port.postMessage({ id: request.id, ok: false, message: describe(error) } satisfies WriterReply);
    }
  });
}
