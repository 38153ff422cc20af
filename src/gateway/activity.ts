import { type Cost, costOf, type TokenUsage } from '../catalog/pricing.js';
import type { ResolvedModel } from '../catalog/resolve.js';
import type { AttemptReport } from '../engine/engine.js';
import type { ResolvedTarget } from '../platforms/types.js';
import type { AttemptRecord, RequestRecord, RequestRow, Store } from '../store/types.js';
import type { GatewayError } from '../wire/errors/gateway-error.js';
import type { Caller } from './callers.js';
import type { Dialect } from './dialect.js';

export type BodyPolicy = 'full' | 'metadata' | 'none';

const BODY_LIMIT = 4 * 1024 * 1024;

function usageNumbers(usage: TokenUsage | undefined) {
  return {
    inputTokens: usage?.input_tokens ?? 0,
    outputTokens: usage?.output_tokens ?? 0,
    cacheReadTokens: usage?.cache_read_input_tokens ?? 0,
    cacheWriteTokens: usage?.cache_creation_input_tokens ?? 0,
  };
}

/**
 * One request's row in the activity log, filled in as the request goes and
 * written exactly once, whatever happens (success, error, client gone,
 * shutdown): nothing is lost.
 */
export class ActivityEntry {
  private readonly record: RequestRow;
  /** Settles once the store has the row (with the journal: once it is in the journal file). */
  private stored: Promise<void> | undefined;
  private attempts: AttemptReport[] = [];
  /** The error the request ended with, if any (the metrics read its code). */
  error: GatewayError | undefined;
  private written = false;
  private target: ResolvedTarget | undefined;
  private usage: TokenUsage | undefined;
  private priced: { usage: TokenUsage; target: ResolvedTarget; cost: Cost | undefined } | undefined;
  private readonly onFinish: ((record: Readonly<RequestRow>) => void) | undefined;

  constructor(
    private readonly store: Store,
    private readonly bodies: BodyPolicy,
    init: {
      id: string;
      dialect: Dialect;
      operation: RequestRecord['operation'];
      clientAddress?: string;
      userAgent?: string;
      /** Called once with the finished row (the key's spend and token limits count it). */
      onFinish?: (record: Readonly<RequestRow>) => void;
    },
  ) {
    this.onFinish = init.onFinish;
    this.record = {
      id: init.id,
      time: Date.now(),
      dialect: init.dialect,
      operation: init.operation,
      stream: false,
      status: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      attemptCount: 0,
      changes: [],
      clientDisconnected: false,
      ...(init.clientAddress ? { clientAddress: init.clientAddress } : {}),
      ...(init.userAgent ? { userAgent: init.userAgent } : {}),
    };
  }

  get id(): string {
    return this.record.id;
  }

  /** The row as it stands (read-only: metrics read it when the request ends). */
  get row(): Readonly<RequestRow> {
    return this.record;
  }

  /** Who the request is charged to: the credential, and the user and group behind it when known. */
  caller(caller: Caller): void {
    const { user, group } = caller;
    // A gateway key, else the sign-in session or service token the request came with.
    const credential = caller.key ?? caller.credential;
    if (credential) {
      this.record.keyId = credential.id;
      this.record.keyName = credential.name;
    }
    if (user) {
      this.record.userId = user.id;
      this.record.userName = user.name;
      if (user.email) this.record.userEmail = user.email;
    }
    if (group) this.record.group = group;
  }

  request(fields: {
    /** The model as asked for, resolved once for the whole request. */
    requested: ResolvedModel;
    stream: boolean;
    session?: string;
    /** Claude Code's `x-claude-code-agent-id` and `x-claude-code-parent-agent-id`. */
    agentId?: string;
    parentAgentId?: string;
    operation: RequestRecord['operation'];
    body?: Buffer;
    /** Bedrock Converse's `requestMetadata`. */
    requestMetadata?: Record<string, string>;
  }): void {
    if (fields.requestMetadata) this.record.requestMetadata = fields.requestMetadata;
    this.record.requestedModel = fields.requested.requested;
    this.record.stream = fields.stream;
    this.record.operation = fields.operation;
    const model = fields.requested.model;
    if (model) this.record.model = model.name;
    if (fields.session) this.record.sessionId = fields.session;
    if (fields.agentId) this.record.agentId = fields.agentId;
    if (fields.parentAgentId) this.record.parentAgentId = fields.parentAgentId;
    if (fields.body) {
      // Full bodies are kept as the bytes they arrived as (no copy): the store's writer decodes them,
      // off the request path. The others need at most the size.
      const kept =
        this.bodies === 'full' && fields.body.byteLength <= BODY_LIMIT
          ? fields.body
          : this.bodies === 'full'
            ? this.keepBody(fields.body.toString('utf8'))
            : this.keepBody('', fields.body.byteLength);
      if (kept !== undefined) this.record.requestBody = kept;
    }
  }

  served(target: ResolvedTarget, attempts: AttemptReport[], changes: string[]): void {
    this.target = target;
    this.attempts = attempts;
    this.describeTarget(target);
    this.addChanges(changes);
  }

  /** Every attempt failed: the row names the last target tried, as its attempts do. */
  failedAttempts(attempts: AttemptReport[], changes: string[]): void {
    this.attempts = attempts;
    const last = attempts.at(-1)?.target;
    if (last) this.describeTarget(last);
    this.addChanges(changes);
  }

  private describeTarget(target: ResolvedTarget): void {
    this.record.platform = target.platform;
    if (target.region) this.record.region = target.region;
    else delete this.record.region;
    if (target.scope) this.record.scope = target.scope;
    else delete this.record.scope;
    this.record.upstreamModelId = target.modelId;
    if (target.resolved.model) this.record.model = target.resolved.model.name;
  }

  addChanges(changes: readonly string[]): void {
    for (const change of changes) if (!this.record.changes.includes(change)) this.record.changes.push(change);
  }

  firstByte(): void {
    if (this.record.ttfbMs === undefined) this.record.ttfbMs = Date.now() - this.record.time;
  }

  answered(
    usage: TokenUsage | undefined,
    stopReason: string | null | undefined,
    responseBody?: string,
  ): void {
    this.usage = usage;
    Object.assign(this.record, usageNumbers(usage));
    if (stopReason) this.record.stopReason = stopReason;
    if (responseBody !== undefined) this.record.responseBody = this.keepBody(responseBody);
  }

  /** The cost of the answer so far, from the catalog (regional premium included). */
  cost(): number | undefined {
    return this.costWithFlag()?.usd;
  }

  private costWithFlag(): Cost | undefined {
    if (!this.target || !this.usage) return undefined;
    // Counting tokens is free on every platform: the row keeps the count, the cost is $0 (known, not missing).
    if (this.record.operation === 'count_tokens') return { usd: 0, estimate: false };
    // Asked up to three times per request (the row, its attempt, the metrics): priced once per answer.
    const priced = this.priced;
    if (priced && priced.usage === this.usage && priced.target === this.target) return priced.cost;
    const cost = costOf(this.usage, this.target.resolved.model, this.target);
    this.priced = { usage: this.usage, target: this.target, cost };
    return cost;
  }

  /** The upstream attempts made so far (empty for a request refused by the gateway). */
  get attemptReports(): readonly AttemptReport[] {
    return this.attempts;
  }

  /** Seconds since the request arrived. */
  elapsedSeconds(): number {
    return (Date.now() - this.record.time) / 1000;
  }

  clientGone(): void {
    this.record.clientDisconnected = true;
  }

  /** Writes the row and its attempts; later calls do nothing. */
  finish(status: number, error?: GatewayError): void {
    if (this.written) return;
    this.written = true;
    if (error) this.error = error;
    this.record.status = this.record.clientDisconnected && status < 400 ? 499 : status;
    if (error) {
      this.record.errorType = error.upstreamCode ? `${error.type} (${error.upstreamCode})` : error.type;
      this.record.errorMessage = error.message;
    }
    this.record.durationMs = Date.now() - this.record.time;
    this.record.attemptCount = this.attempts.length;
    const cost = this.costWithFlag();
    if (cost !== undefined) {
      this.record.costUsd = cost.usd;
      if (cost.estimate) this.record.costEstimated = true;
    }
    this.onFinish?.(this.record);
    const request = this.store.recordRequest(this.record);
    const attempts =
      this.attempts.length > 0
        ? this.store.recordAttempts(this.attempts.map((attempt) => this.attemptRecord(attempt)))
        : undefined;
    // A store that fails costs the row, never the answer (it logs its own failures).
    this.stored = Promise.all([request, attempts]).then(
      () => {},
      () => {},
    );
  }

  /**
   * Resolves once the finished row is safe from a crash of the process (in the
   * journal file, written off the event loop): the gateway waits for it before
   * the answer's last byte goes out. At once when the row is not finished.
   */
  recorded(): Promise<void> {
    return this.stored ?? Promise.resolve();
  }

  private attemptRecord(attempt: AttemptReport): AttemptRecord {
    const succeeded = attempt.outcome === 'success';
    const usage = succeeded ? usageNumbers(this.usage) : usageNumbers(undefined);
    const cost = succeeded ? this.cost() : undefined;
    return {
      requestId: this.record.id,
      attempt: attempt.attempt,
      time: attempt.startedAt,
      platform: attempt.target.platform,
      ...(attempt.target.region ? { region: attempt.target.region } : {}),
      ...(attempt.target.scope ? { scope: attempt.target.scope } : {}),
      upstreamModelId: attempt.target.modelId,
      ...(attempt.status !== undefined ? { status: attempt.status } : {}),
      ...(attempt.error
        ? { errorType: attempt.error.upstreamCode ?? attempt.error.type, errorMessage: attempt.error.message }
        : {}),
      outcome: attempt.outcome,
      ...(attempt.ttfbMs !== undefined ? { ttfbMs: attempt.ttfbMs } : {}),
      ...(attempt.durationMs !== undefined ? { durationMs: attempt.durationMs } : {}),
      ...usage,
      ...(cost !== undefined ? { costUsd: cost } : {}),
    };
  }

  private keepBody(text: string, byteLength?: number): string | undefined {
    if (this.bodies === 'none') return undefined;
    if (this.bodies === 'metadata') return `(${byteLength ?? Buffer.byteLength(text)} bytes not kept)`;
    return text.length > BODY_LIMIT
      ? `${text.slice(0, BODY_LIMIT)}…(${text.length - BODY_LIMIT} more characters)`
      : text;
  }
}
