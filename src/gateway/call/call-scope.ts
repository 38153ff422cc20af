import { randomUUID } from 'node:crypto';
import { targetKey } from '../../engine/targets.js';
import type { ResolvedTarget } from '../../platforms/types.js';
import type { RequestTelemetry } from '../../telemetry/telemetry.js';
import type { GatewayError } from '../../wire/errors/gateway-error.js';
import { ActivityEntry } from '../activity.js';
import type { GatewayContext } from '../context.js';
import type { AnswerTranslation, Dialect, IngressCall } from '../dialect.js';
import {
  type DialectEgress,
  egressOf,
  renderDialectError,
  sameDialectUpstreamError,
} from '../egress/index.js';
import type { Exchange } from '../exchange.js';
import type { LimitSubject, Reservation } from '../limits.js';

/** A gateway request id: `req_gw_` and 32 hex characters (randomUUID draws from a cached pool of randomness). */
export function newRequestId(): string {
  return `req_gw_${randomUUID().replaceAll('-', '')}`;
}

/** A header value node accepts: the log's arrows as `->`, anything else outside ASCII percent-encoded. */
export function headerSafe(value: string): string {
  return value.replace(/→/g, '->').replace(/[^\x20-\x7e]/g, (character) => encodeURIComponent(character));
}

/** `x-claude-gateway-changes` when the gateway changed anything. */
export function changesHeader(changes: readonly string[]): Record<string, string> {
  return changes.length > 0 ? { 'x-claude-gateway-changes': headerSafe(changes.join(', ')) } : {};
}

/** What served the answer, for its headers: the target and the changes made on the way. */
export function describeServed(outcome: {
  target: ResolvedTarget;
  changes: string[];
}): Record<string, string> {
  return { 'x-claude-gateway-target': targetKey(outcome.target), ...changesHeader(outcome.changes) };
}

/**
 * One Messages or count-tokens request on its way through the gateway: the
 * exchange, the dialect's egress, its id, its activity row, and what it holds
 * against the limits until its row is written. Each step (admit, plan,
 * execute, respond) reads and fills it.
 */
export class CallScope {
  readonly requestId = newRequestId();
  readonly egress: DialectEgress;
  readonly activity: ActivityEntry;
  readonly trace: RequestTelemetry | undefined;
  /** What the request counts against (its key, user or service token, group). */
  limitSubjects: readonly LimitSubject[] = [];
  readonly reservations = new Map<string, Reservation | undefined>();
  /** Set once the request is read when the client's API writes its own answers (Converse). */
  answer: AnswerTranslation | undefined;

  constructor(
    readonly context: GatewayContext,
    readonly exchange: Exchange,
    readonly dialect: Dialect,
    operation: IngressCall['operation'],
    /** What the log calls the operation when the request is refused before it is read (`converse`). */
    loggedOperation: string,
  ) {
    this.egress = egressOf(dialect);
    this.trace = context.telemetry?.startRequest({
      requestId: this.requestId,
      dialect,
      operation,
      header: (name) => exchange.header(name),
    });
    const userAgent = exchange.header('user-agent');
    this.activity = new ActivityEntry(context.store, context.config.store.bodies, {
      id: this.requestId,
      dialect,
      operation: loggedOperation,
      ...(exchange.clientAddress ? { clientAddress: exchange.clientAddress } : {}),
      ...(userAgent ? { userAgent } : {}),
      onFinish: (record) => {
        this.trace?.finish(record);
        for (const subject of this.limitSubjects)
          context.limits.settle(
            this.reservations.get(subject.id),
            subject.id,
            // A token count uses no tokens of the key's rate (the row keeps the count it answered).
            record.operation === 'count_tokens' ? 0 : record.inputTokens + record.outputTokens,
            record.costUsd,
          );
      },
    });
  }

  /** The headers every answer carries: the request id in the dialect's own header, and what the gateway did. */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...this.egress.idHeaders(this.requestId), ...extra };
  }

  /** The request is over: counted in the metrics. */
  done(status: number): void {
    this.context.metrics.requestDone(this.dialect, status, this.activity);
  }

  /**
   * Answers an error before the first byte. The platform's own answer goes
   * back as it came when the client speaks its dialect; any note of ours in a
   * header. The row is recorded (journaled) before the answer goes out.
   */
  async fail(error: GatewayError, changes: readonly string[] = []): Promise<void> {
    const forwarded = sameDialectUpstreamError(this.dialect, error);
    const rendered = forwarded?.rendered ?? renderDialectError(this.dialect, error, this.requestId);
    this.activity.finish(rendered.status, error);
    await this.activity.recorded();
    // What the gateway did before giving up (the failovers) is part of the answer too.
    const extra = {
      ...changesHeader(changes),
      ...(forwarded?.note ? { 'x-claude-gateway-note': headerSafe(forwarded.note) } : {}),
    };
    this.exchange.send(rendered.status, { ...rendered.headers, ...this.headers(extra) }, rendered.body);
    this.done(rendered.status);
  }

  /** The in-stream error that ends a stream after its first byte. */
  streamError(error: GatewayError): Uint8Array | string {
    return this.answer ? this.answer.streamError(error) : this.egress.streamError(error);
  }
}
