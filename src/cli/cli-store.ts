import { existsSync } from 'node:fs';
import { openStore } from '../store/open-store.js';
import { redactUrl, StoreError } from '../store/store-error.js';
import type { Store } from '../store/types.js';
import { CliError } from './command.js';

const SQLITE_FILE = /^sqlite:(?:\/\/)?([^?]+)(?:\?(.*))?$/i;

/**
 * Opens the store of the configuration (`store.url`) for a one-off command:
 * SQLite writes on the calling thread (no writer thread for a few rows).
 * With `mustExist`, a SQLite file that is not there is an error that says so
 * rather than a new empty log. Store problems become one CLI error line.
 */
export async function openCliStore(url: string, options: { mustExist: boolean }): Promise<Store> {
  const trimmed = url.trim();
  const sqlite = SQLITE_FILE.exec(trimmed);
  let target = trimmed;
  if (sqlite?.[1] && sqlite[1] !== ':memory:') {
    const path = decodeURIComponent(sqlite[1]);
    if (options.mustExist && !existsSync(path)) {
      throw new CliError(
        `there is no activity log at ${path} (store.url ${trimmed}): the gateway has not run with this configuration yet, ` +
          'or --config names another file',
        1,
      );
    }
    const parameters = new URLSearchParams(sqlite[2] ?? '');
    if (!parameters.has('writer')) parameters.set('writer', 'inline');
    target = `sqlite://${sqlite[1]}?${parameters.toString()}`;
  }
  try {
    return await openStore(target);
  } catch (error) {
    if (error instanceof StoreError) throw new CliError(error.message, 1);
    throw new CliError(`cannot open the store ${redactUrl(trimmed)}: ${(error as Error).message}`, 1);
  }
}
