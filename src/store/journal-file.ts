import { randomBytes } from 'node:crypto';
import {
  close,
  closeSync,
  fdatasync,
  fdatasyncSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writev,
  writevSync,
} from 'node:fs';
import { join } from 'node:path';
import type { AttemptRecord, RequestRecord, RequestRow } from './types.js';

/** One entry of the journal: a finished request's row, or its attempts. */
export type JournalEntry = { request: RequestRow } | { attempts: AttemptRecord[] };

/** What a stale segment held: its rows, and whether its end or its middle could not be read. */
export interface JournalContents {
  requests: RequestRecord[];
  attempts: AttemptRecord[];
  /** The last entry is incomplete: a write cut short by a crash (ignored). */
  tornLastLine: boolean;
  /** An entry in the middle could not be read; the rest of the segment is ignored (reported). */
  badLines: number;
}

/** The journal files' extension. */
export const JOURNAL_EXTENSION = '.journal';

const NEWLINE = Buffer.from('\n');
const NO_BODY = Buffer.alloc(0);

/** Entries up to this size are written synchronously when no write is in flight (a row without big bodies). */
const SYNC_WRITE_BYTES = 16 * 1024;

/** An entry waiting to be written: its buffers, their length, and whom to tell. */
interface QueuedEntry {
  buffers: Buffer[];
  length: number;
  done: (error?: Error) => void;
}

/** Owners (see `JournalFile.owner`) of the journals open in this process. */
const liveOwners = new Set<string>();

/**
 * The append-only journal of one process: files named
 * `<prefix>-<pid>-<nonce>-<sequence>.journal` in a folder (mode 0600, opened
 * for appending), each entry written with one `writev`. An entry is a JSON
 * line, `{"request":{…},"bodies":[requestBytes,responseBytes]}` or
 * `{"attempts":[…]}`, and for a request its two bodies as raw UTF-8 right
 * after it, then a newline: the bodies (often 100 KB of JSON) are copied, not
 * escaped (escaping them into the JSON cost several times more). A segment is "sealed"
 * when the next one starts; the owner deletes sealed segments once the store
 * has written their rows.
 *
 * A process crash (SIGKILL, OOM kill) loses nothing once the write has
 * returned: the bytes are in the kernel. Surviving a machine crash needs
 * `fsync: true` (an fdatasync per append).
 *
 * @example
 * const journal = new JournalFile({ dir: './.claude-gateway', prefix: 'gateway.db-activity' });
 * journal.append({ request: record });
 * const sealed = journal.seal(); // later, once the rows are in the store: journal.remove(sealed)
 */
export class JournalFile {
  readonly dir: string;
  readonly prefix: string;
  /** `<pid>-<nonce>`: whose segments these are (another process's are replayed only once it is gone). */
  readonly owner: string;
  readonly #fsync: boolean;
  #sequence = 0;
  #fd: number | undefined;
  #path: string | undefined;
  #bytes = 0;
  #closed = false;
  /** Entries waiting for the write in flight to end: written together by the next one (group commit). */
  #queue: QueuedEntry[] = [];
  /** Small entries of the current run of code, written together by a microtask (see `write`). */
  #turn: QueuedEntry[] | undefined;
  #writing = false;
  /** Segments sealed while a write to them was in flight: closed when it ends. */
  #closeAfterWrite: number[] = [];
  #idle: (() => void)[] = [];

  constructor(options: { dir: string; prefix: string; fsync?: boolean }) {
    this.dir = options.dir;
    this.prefix = options.prefix;
    this.#fsync = options.fsync ?? false;
    this.owner = `${process.pid}-${randomBytes(4).toString('hex')}`;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    liveOwners.add(this.owner);
  }

  /** Bytes appended to the current segment. */
  get pendingBytes(): number {
    return this.#bytes;
  }

  /**
   * Appends one entry; throws what the file system throws (the caller logs
   * it). After a failed or short write the segment is given up (left for the
   * next start's replay) so a partial entry is never followed by another.
   */
  append(entry: JournalEntry): void {
    const buffers = encodeEntry(entry);
    let length = 0;
    for (const buffer of buffers) length += buffer.length;
    this.#writeNow(this.#fd ?? this.#open(), buffers, length);
  }

  #writeNow(fd: number, buffers: Buffer[], length: number): void {
    try {
      // A regular file takes the whole write unless the disk is full or failing.
      const written = writevSync(fd, buffers);
      if (written !== length)
        throw new Error(`short write to the activity journal (${written} of ${length} bytes)`);
      if (this.#fsync) fdatasyncSync(fd);
    } catch (error) {
      this.#abandon();
      throw error;
    }
    this.#bytes += length;
  }

  /**
   * Appends one entry, big ones off the event loop: resolves once its bytes
   * are in the kernel (and on the disk with `fsync`), rejects with what the
   * file system threw. Entries that arrive while a write is in flight go out
   * together in the next `writev`, in the order they came. Use either this
   * or `append` on one journal, not both.
   */
  write(entry: JournalEntry): Promise<void> {
    const buffers = encodeEntry(entry);
    let length = 0;
    for (const buffer of buffers) length += buffer.length;
    return new Promise((resolve, reject) => {
      const queued = { buffers, length, done: (error?: Error) => (error ? reject(error) : resolve()) };
      // Entries of the same run of code (a request's row and its attempts) join one write, in order.
      if (this.#turn) {
        this.#turn.push(queued);
        return;
      }
      // Nothing in flight and a small entry: written at the end of this run of code (a microtask,
      // so before anyone awaiting it goes on), which costs the event loop less than handing it to
      // the thread pool; big ones, any that arrive while a write is in flight, and every one with
      // `fsync` (a disk wait), go off the loop.
      if (!this.#writing && !this.#fsync && length <= SYNC_WRITE_BYTES) {
        this.#turn = [queued];
        queueMicrotask(() => this.#writeTurn());
        return;
      }
      this.#enqueue([queued]);
    });
  }

  /** Resolves once no write is in flight or waiting. */
  idle(): Promise<void> {
    if (!this.#writing && this.#queue.length === 0 && !this.#turn) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** The entries of one run of code: one synchronous `writev` when small, else off the loop. */
  #writeTurn(): void {
    const turn = this.#turn ?? [];
    this.#turn = undefined;
    let length = 0;
    for (const entry of turn) length += entry.length;
    if (this.#writing || length > SYNC_WRITE_BYTES) {
      this.#enqueue(turn);
      return;
    }
    let failure: Error | undefined;
    try {
      this.#writeNow(
        this.#fd ?? this.#open(),
        turn.flatMap((entry) => entry.buffers),
        length,
      );
    } catch (error) {
      failure = error as Error;
    }
    for (const entry of turn) entry.done(failure);
    if (!this.#writing && this.#queue.length === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  #enqueue(entries: QueuedEntry[]): void {
    // Counted now, so the owner rotates on size without waiting for the write.
    for (const entry of entries) this.#bytes += entry.length;
    this.#queue.push(...entries);
    if (!this.#writing) this.#writeQueued();
  }

  #writeQueued(): void {
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) {
      this.#writing = false;
      for (const fd of this.#closeAfterWrite.splice(0)) closeQuietly(fd);
      for (const resolve of this.#idle.splice(0)) resolve();
      return;
    }
    this.#writing = true;
    let fd: number;
    try {
      fd = this.#fd ?? this.#open();
    } catch (error) {
      for (const entry of batch) entry.done(error as Error);
      this.#writeQueued();
      return;
    }
    const buffers = batch.flatMap((entry) => entry.buffers);
    const length = batch.reduce((sum, entry) => sum + entry.length, 0);
    const finish = (error: Error | null) => {
      if (error) this.#giveUp(fd);
      for (const entry of batch) entry.done(error ?? undefined);
      this.#writeQueued();
    };
    writev(fd, buffers, (error, written) => {
      if (!error && written !== length)
        error = new Error(`short write to the activity journal (${written} of ${length} bytes)`);
      if (error || !this.#fsync) return finish(error);
      fdatasync(fd, finish);
    });
  }

  /** After a failed write the segment is given up (left for the next start's replay), as `append` does. */
  #giveUp(fd: number): void {
    if (this.#fd !== fd) return;
    this.#closeAfterWrite.push(fd);
    this.#fd = undefined;
    this.#path = undefined;
    this.#bytes = 0;
  }

  /** Ends the current segment (the next append starts another) and returns its path, if it has any. */
  seal(): string | undefined {
    const path = this.#path;
    // A write in flight still goes to the sealed segment: its file is closed when the write ends.
    if (this.#fd !== undefined) {
      if (this.#writing) this.#closeAfterWrite.push(this.#fd);
      else closeSync(this.#fd);
    }
    this.#fd = undefined;
    this.#path = undefined;
    this.#bytes = 0;
    return path;
  }

  /** Deletes segments whose rows are in the store. */
  remove(paths: readonly string[]): void {
    for (const path of paths) {
      try {
        unlinkSync(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  }

  /** Seals the current segment and stops; the owner counts as gone from then on. */
  close(): string | undefined {
    if (this.#closed) return undefined;
    this.#closed = true;
    const sealed = this.seal();
    liveOwners.delete(this.owner);
    return sealed;
  }

  /**
   * Segments in the folder left by journals that are gone: a process that
   * ended (crashed) or an earlier run with this process's pid, oldest first.
   * Segments of a live process (another gateway on the same database) are
   * left alone.
   */
  staleSegments(): string[] {
    const pattern = new RegExp(
      `^${escapeRegExp(this.prefix)}-(\\d+)-([0-9a-f]+)-(\\d+)${escapeRegExp(JOURNAL_EXTENSION)}$`,
    );
    const found: { path: string; pid: number; owner: string; sequence: number }[] = [];
    for (const name of readdirSync(this.dir)) {
      const match = pattern.exec(name);
      if (!match) continue;
      const pid = Number(match[1]);
      const owner = `${match[1]}-${match[2]}`;
      if (liveOwners.has(owner)) continue;
      if (pid !== process.pid && processAlive(pid)) continue;
      found.push({ path: join(this.dir, name), pid, owner, sequence: Number(match[3]) });
    }
    found.sort((a, b) => a.owner.localeCompare(b.owner) || a.sequence - b.sequence);
    return found.map((segment) => segment.path);
  }

  #abandon(): void {
    try {
      if (this.#fd !== undefined) closeSync(this.#fd);
    } catch {
      // already failing
    }
    this.#fd = undefined;
    this.#path = undefined;
    this.#bytes = 0;
  }

  #open(): number {
    if (this.#closed) throw new Error('the activity journal is closed');
    this.#sequence += 1;
    const name = `${this.prefix}-${this.owner}-${String(this.#sequence).padStart(6, '0')}${JOURNAL_EXTENSION}`;
    const path = join(this.dir, name);
    const fd = openSync(path, 'a', 0o600);
    if (this.#fsync) syncFolder(this.dir);
    this.#fd = fd;
    this.#path = path;
    this.#bytes = 0;
    return fd;
  }
}

/** The buffers of one entry: its JSON line, and a request's bodies as they are. */
function encodeEntry(entry: JournalEntry): Buffer[] {
  if (!('request' in entry)) return [Buffer.from(`${JSON.stringify(entry)}\n`)];
  const { requestBody, responseBody, ...fields } = entry.request;
  const request = bodyBytes(requestBody);
  const response = bodyBytes(responseBody);
  const bodies = [
    requestBody === undefined ? null : request.length,
    responseBody === undefined ? null : response.length,
  ];
  return [Buffer.from(`${JSON.stringify({ request: fields, bodies })}\n`), request, response, NEWLINE];
}

/** A body's UTF-8 bytes: those it arrived as (not copied), or its text encoded. */
function bodyBytes(body: string | Uint8Array | undefined): Buffer {
  if (body === undefined) return NO_BODY;
  if (typeof body === 'string') return Buffer.from(body);
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

function closeQuietly(fd: number): void {
  close(fd, () => {});
}

/**
 * Reads a segment: every complete entry. An incomplete last entry is a write
 * a crash cut short: ignored. An entry that cannot be read in the middle
 * (which appends never leave: a failed write ends its segment) stops the
 * reading there.
 *
 * @example
 * readJournalSegment('/var/lib/claude-gateway/gateway.db-activity-41-1a2b3c4d-000001.journal').requests.length // 12
 */
export function readJournalSegment(path: string): JournalContents {
  const data = readFileSync(path);
  const contents: JournalContents = { requests: [], attempts: [], tornLastLine: false, badLines: 0 };
  let position = 0;
  while (position < data.length) {
    const newline = data.indexOf(10, position);
    if (newline === -1) {
      contents.tornLastLine = true;
      break;
    }
    let entry: unknown;
    try {
      entry = JSON.parse(data.toString('utf8', position, newline));
    } catch {
      if (newline === data.length - 1) contents.tornLastLine = true;
      else contents.badLines += 1;
      break;
    }
    position = newline + 1;
    if (isObject(entry) && Array.isArray(entry['attempts'])) {
      contents.attempts.push(...(entry['attempts'] as AttemptRecord[]));
      continue;
    }
    const bodies = isObject(entry) ? entry['bodies'] : undefined;
    if (
      !isObject(entry) ||
      !isObject(entry['request']) ||
      typeof entry['request']['id'] !== 'string' ||
      !Array.isArray(bodies) ||
      bodies.length !== 2 ||
      !bodies.every((length) => length === null || (Number.isInteger(length) && length >= 0))
    ) {
      contents.badLines += 1;
      break;
    }
    const [requestLength, responseLength] = bodies as (number | null)[];
    const end = position + (requestLength ?? 0) + (responseLength ?? 0);
    if (end >= data.length) {
      contents.tornLastLine = true;
      break;
    }
    if (data[end] !== 10) {
      contents.badLines += 1;
      break;
    }
    const record = { ...entry['request'] } as unknown as RequestRecord;
    if (requestLength !== null && requestLength !== undefined) {
      record.requestBody = data.toString('utf8', position, position + requestLength);
    }
    if (responseLength !== null && responseLength !== undefined) {
      record.responseBody = data.toString('utf8', position + (requestLength ?? 0), end);
    }
    contents.requests.push(record);
    position = end + 1;
  }
  return contents;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Makes a new file's name in the folder survive a machine crash (with `fsync: true`). */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // some file systems refuse fsync on a folder; the data itself is still synced
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
