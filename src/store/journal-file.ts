import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fdatasyncSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { AttemptRecord, RequestRecord } from './types.js';

/** One line of the journal: a finished request's row, or its attempts. */
export type JournalEntry = { request: RequestRecord } | { attempts: AttemptRecord[] };

/** What a stale segment held: its rows, and lines that could not be read. */
export interface JournalContents {
  requests: RequestRecord[];
  attempts: AttemptRecord[];
  /** A last line without its newline that does not parse: a write cut by a crash (ignored). */
  tornLastLine: boolean;
  /** Other lines that do not parse (ignored, and reported). */
  badLines: number;
}

/** Owners (see `JournalFile.owner`) of the journals open in this process. */
const liveOwners = new Set<string>();

/**
 * The append-only journal of one process: files named
 * `<prefix>-<pid>-<nonce>-<sequence>.jsonl` in a folder, each line one JSON
 * entry written with a single `writeSync` to a file opened for appending
 * (mode 0600). A segment is "sealed" when the next one starts; the owner
 * deletes sealed segments once the store has written their rows.
 *
 * A process crash (SIGKILL, OOM kill) loses nothing once `writeSync` has
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

  /** Appends one entry as one line; throws what the file system throws (the caller logs it). */
  append(entry: JournalEntry): void {
    const line = `${JSON.stringify(entry)}\n`;
    const fd = this.#fd ?? this.#open();
    writeSync(fd, line);
    this.#bytes += line.length;
    if (this.#fsync) fdatasyncSync(fd);
  }

  /** Ends the current segment (the next append starts another) and returns its path, if it has any. */
  seal(): string | undefined {
    const path = this.#path;
    if (this.#fd !== undefined) closeSync(this.#fd);
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
    const pattern = new RegExp(`^${escapeRegExp(this.prefix)}-(\\d+)-([0-9a-f]+)-(\\d+)\\.jsonl$`);
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

  #open(): number {
    if (this.#closed) throw new Error('the activity journal is closed');
    this.#sequence += 1;
    const name = `${this.prefix}-${this.owner}-${String(this.#sequence).padStart(6, '0')}.jsonl`;
    const path = join(this.dir, name);
    const fd = openSync(path, 'a', 0o600);
    if (this.#fsync) syncFolder(this.dir);
    this.#fd = fd;
    this.#path = path;
    this.#bytes = 0;
    return fd;
  }
}

/**
 * Reads a segment: every complete line's entry. A last line without its
 * newline is a write a crash cut short: kept if it parses, else ignored.
 *
 * @example
 * readJournalSegment('/var/lib/claude-gateway/gateway.db-activity-41-1a2b3c4d-000001.jsonl').requests.length // 12
 */
export function readJournalSegment(path: string): JournalContents {
  const text = readFileSync(path, 'utf8');
  const contents: JournalContents = { requests: [], attempts: [], tornLastLine: false, badLines: 0 };
  const lines = text.split('\n');
  const last = lines.length - 1;
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      if (index === last) contents.tornLastLine = true;
      else contents.badLines += 1;
      continue;
    }
    if (isObject(entry) && isObject(entry['request']) && typeof entry['request']['id'] === 'string') {
      contents.requests.push(entry['request'] as unknown as RequestRecord);
    } else if (isObject(entry) && Array.isArray(entry['attempts'])) {
      contents.attempts.push(...(entry['attempts'] as AttemptRecord[]));
    } else {
      contents.badLines += 1;
    }
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
