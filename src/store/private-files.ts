import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** The files SQLite keeps beside a database: write-ahead log, shared memory, rollback journal. */
const SQLITE_COMPANIONS = ['-wal', '-shm', '-journal'];

/**
 * Makes a SQLite database private to its user before it is opened: the
 * activity log holds whole prompts and answers. A missing folder is created
 * 0700 (an existing one is left as it is: it may be the working directory);
 * the database file is created 0600 before SQLite opens it, and SQLite gives
 * its -wal and -shm files the database's mode; files left 0644 by an earlier
 * version are changed to 0600.
 *
 * @example
 * preparePrivateSqliteFile('./.claude-gateway/gateway.db'); // folder 0700, gateway.db 0600
 */
export function preparePrivateSqliteFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, ...SQLITE_COMPANIONS.map((suffix) => `${path}${suffix}`)]) makePrivate(file);
}

/** chmod 0600 when group or others have any access; a file that is not there (or not ours) is left alone. */
export function makePrivate(file: string): void {
  try {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EPERM') throw error;
  }
}
