import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import {
  type SqliteWriteBatch,
  type SqliteWriterStatements,
  sqliteWriterCore,
} from './sqlite-writer-core.js';
import { sqliteWriterThread, type WriterReply, type WriterRequest } from './sqlite-writer-thread.js';
import { StoreError } from './store-error.js';

/** The write side of the SQLite store, on the main thread or in a worker. */
export interface SqliteWriter {
  write(batch: SqliteWriteBatch): Promise<void>;
  prune(before: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * A writer on the caller's connection and thread: for `:memory:` databases
 * (a worker cannot share them) and for tools that write little.
 *
 * @example
 * const writer = inlineSqliteWriter(database, statements);
 * await writer.write({ requests: [row], attempts: [] });
 */
export function inlineSqliteWriter(
  database: Database.Database,
  statements: SqliteWriterStatements,
): SqliteWriter {
  const core = sqliteWriterCore(database, statements);
  return {
    write: async (batch) => core.write(batch),
    prune: async (before) => core.prune(before),
    close: async () => {},
  };
}

type Pending = { resolve: (value: number) => void; reject: (error: Error) => void };

/**
 * How long the writer thread waits for work before it exits; the next write starts another
 * (a few tens of ms, off the request path). A thread is a whole Node environment, about 10 MB
 * of RSS, which a gateway with no finished requests (idle, or holding only long streams)
 * has no use for; under load the thread never waits this long.
 */
export const WRITER_IDLE_EXIT_MS = 10_000;

/**
 * A writer thread that owns its own connection to the database file; the main
 * thread only encodes rows and posts them. The thread does not keep the
 * process alive while idle, exits after `idleExitMs` without work, and is
 * started again when work comes (or if it dies).
 *
 * @example
 * const writer = new WorkerSqliteWriter('./gateway.db', statements);
 * await writer.write({ requests: [row], attempts: [] });
 * await writer.close();
 */
export class WorkerSqliteWriter implements SqliteWriter {
  readonly #file: string;
  readonly #statements: SqliteWriterStatements;
  #worker: Worker | undefined;
  #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;
  readonly #idleExitMs: number;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(file: string, statements: SqliteWriterStatements, options: { idleExitMs?: number } = {}) {
    this.#file = file;
    this.#statements = statements;
    this.#idleExitMs = options.idleExitMs ?? WRITER_IDLE_EXIT_MS;
  }

  /** Whether a writer thread is running now (none before the first call, nor after an idle exit). */
  get threadRunning(): boolean {
    return this.#worker !== undefined;
  }

  async write(batch: SqliteWriteBatch): Promise<void> {
    await this.#request((id) => ({ id, type: 'write', batch }));
  }

  prune(before: number): Promise<number> {
    return this.#request((id) => ({ id, type: 'prune', before }));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    clearTimeout(this.#idleTimer);
    const worker = this.#worker;
    if (worker) {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      await this.#request((id) => ({ id, type: 'close' })).catch(() => worker.terminate());
      // Held until it has exited: the answer unrefs the thread, and with nothing else left to
      // run (a script's last `await store.close()`) the process would end with this unsettled.
      worker.ref();
      await exited;
    }
    this.#closed = true;
  }

  #request(build: (id: number) => WriterRequest): Promise<number> {
    if (this.#closed) return Promise.reject(new StoreError('The activity store is closed.', 'STORE_CLOSED'));
    clearTimeout(this.#idleTimer);
    const worker = this.#worker ?? this.#start();
    const id = this.#nextId++;
    return new Promise<number>((resolve, reject) => {
      if (this.#pending.size === 0) worker.ref();
      this.#pending.set(id, { resolve, reject });
      worker.postMessage(build(id));
    });
  }

  #start(): Worker {
    const source = [
      "const { parentPort, workerData } = require('node:worker_threads');",
      `(${sqliteWriterThread.toString()})(require, parentPort, workerData, ${sqliteWriterCore.toString()});`,
    ].join('\n');
    const worker = new Worker(source, {
      eval: true,
      workerData: {
        driverPath: createRequire(import.meta.url).resolve('better-sqlite3'),
        file: this.#file,
        statements: this.#statements,
      },
    });
    worker.unref();
    worker.on('message', (reply: WriterReply) => this.#settle(reply));
    // A thread that failed or exited is forgotten (the next call starts another); only the
    // current thread's failure fails the pending calls.
    const lost = (error: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#failAll(error);
    };
    worker.on('error', (error: unknown) =>
      lost(error instanceof Error ? error : new Error(`the SQLite writer thread failed: ${String(error)}`)),
    );
    worker.on('exit', (code) => lost(new Error(`the SQLite writer thread exited (code ${code})`)));
    this.#worker = worker;
    return worker;
  }

  #settle(reply: WriterReply): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) {
      this.#worker?.unref();
      this.#idleTimer = setTimeout(() => this.#retire(), this.#idleExitMs).unref();
    }
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(new Error(reply.message));
  }

  /**
   * Lets an idle thread go: it is forgotten first, so a write that comes while it closes
   * starts a new thread instead of reaching one that no longer answers (SQLite's busy
   * timeout covers the moment both have the file open).
   */
  #retire(): void {
    const worker = this.#worker;
    if (!worker || this.#pending.size > 0 || this.#closed) return;
    this.#worker = undefined;
    worker.postMessage({ id: 0, type: 'close' } satisfies WriterRequest);
  }

  #failAll(error: Error): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const entry of pending) entry.reject(error);
  }
}
