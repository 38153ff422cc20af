import type { ActivityEntry } from './activity.js';
import type { Exchange } from './exchange.js';

/** A request still being answered, as the admin API shows it (never a body or a secret). */
export interface InFlightRequest {
  id: string;
  /** Arrival (ms epoch). */
  time: number;
  elapsedMs: number;
  /** `waiting` until the first byte reaches the client, then `streaming` (or `answering` for a whole answer). */
  phase: 'waiting' | 'streaming' | 'answering';
  dialect: string;
  operation: string;
  stream: boolean;
  keyId?: string;
  keyName?: string;
  sessionId?: string;
  agentId?: string;
  requestedModel?: string;
  model?: string;
  /** The target serving it, once one answered. */
  platform?: string;
  region?: string;
  ttfbMs?: number;
  /** Bytes of the answer sent to the client so far. */
  bytesSent: number;
  clientAddress?: string;
}

/**
 * The requests the gateway is answering right now, for `GET /admin/in-flight`
 * and the dashboard's live page. Entries are added when a Messages call
 * arrives and removed when it ends, however it ends.
 */
export class InFlightRequests {
  readonly #open = new Map<string, { activity: ActivityEntry; exchange: Exchange }>();

  add(activity: ActivityEntry, exchange: Exchange): void {
    this.#open.set(activity.id, { activity, exchange });
  }

  remove(activity: ActivityEntry): void {
    this.#open.delete(activity.id);
  }

  get size(): number {
    return this.#open.size;
  }

  /** The open requests, oldest first. */
  list(now = Date.now()): InFlightRequest[] {
    const listed: InFlightRequest[] = [];
    for (const { activity, exchange } of this.#open.values()) {
      const row = activity.row;
      const started = row.ttfbMs !== undefined;
      listed.push({
        id: row.id,
        time: row.time,
        elapsedMs: Math.max(0, now - row.time),
        phase: started ? (row.stream ? 'streaming' : 'answering') : 'waiting',
        dialect: row.dialect,
        operation: row.operation,
        stream: row.stream,
        bytesSent: exchange.bytesSent,
        ...pick(row, [
          'keyId',
          'keyName',
          'sessionId',
          'agentId',
          'requestedModel',
          'model',
          'platform',
          'region',
          'ttfbMs',
          'clientAddress',
        ]),
      });
    }
    return listed.sort((a, b) => a.time - b.time);
  }
}

function pick<Row extends object, Field extends keyof Row>(
  row: Row,
  fields: Field[],
): Partial<Pick<Row, Field>> {
  const picked: Partial<Pick<Row, Field>> = {};
  for (const field of fields) if (row[field] !== undefined) picked[field] = row[field];
  return picked;
}
