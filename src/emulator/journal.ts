import type { Platform } from '../catalog/types.js';

/** One request as it reached the emulator, for `GET /_emulator/requests`. */
export interface JournalEntry {
  id: number;
  time: string;
  platform: Platform | 'control' | 'google' | 'sts' | 'unknown';
  operation: string;
  method: string;
  /** The raw path as the client sent it (colons raw or escaped). */
  path: string;
  region?: string;
  model?: string;
  stream?: boolean;
  /** Request headers, lower-cased, with credentials masked. */
  headers: Record<string, string>;
  /** The JSON body when it parsed, else undefined; `bodyBytes` always. */
  body?: unknown;
  bodyBytes: number;
  status?: number;
  errorType?: string;
  faultId?: number;
}

const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'x-amz-security-token', 'api-key']);

/** Masks a credential, keeping enough to tell which one was used. */
export function maskSecret(value: string): string {
  if (value.startsWith('AWS4-HMAC-SHA256')) return value.replace(/Signature=[0-9a-f]+/, 'Signature=…');
  const [scheme, token] = value.includes(' ') ? value.split(' ', 2) : ['', value];
  const shown = (token ?? '').slice(0, 6);
  return `${scheme ? `${scheme} ` : ''}${shown}…`;
}

/** Headers as the journal keeps them. */
export function journalHeaders(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = SECRET_HEADERS.has(name) ? maskSecret(value) : value;
  });
  return record;
}

/** A bounded list of the requests the emulator has seen, newest last. */
export class RequestJournal {
  private entries: JournalEntry[] = [];
  private nextId = 1;

  constructor(private readonly capacity = 2_000) {}

  add(entry: Omit<JournalEntry, 'id' | 'time'>): JournalEntry {
    const full: JournalEntry = { id: this.nextId++, time: new Date().toISOString(), ...entry };
    this.entries.push(full);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return full;
  }

  list(filter: { platform?: string; sinceId?: number } = {}): JournalEntry[] {
    return this.entries.filter(
      (entry) =>
        (!filter.platform || entry.platform === filter.platform) &&
        (!filter.sinceId || entry.id > filter.sinceId),
    );
  }

  clear(): void {
    this.entries = [];
  }
}
