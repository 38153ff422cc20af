import type { Geo } from '../catalog/types.js';
import type { IdentityStore } from './identity-types.js';
import type { ReportDimension, UsageReport } from './report-sql.js';

/** The client dialect a request arrived in. */
export type Dialect = 'anthropic' | 'bedrock' | 'vertex';

/** One request the gateway answered (or tried to): a row of the activity log. */
export interface RequestRecord {
  /** The gateway request id, also sent to the client. */
  id: string;
  /** Arrival time, ms since the epoch. */
  time: number;
  /** The credential the request came with (a gateway key or service token): its id and name. */
  keyId?: string;
  keyName?: string;
  /** The person or service behind the credential, when known (OIDC sign-in, a user's key, a service token). */
  userId?: string;
  userName?: string;
  userEmail?: string;
  /** The group whose policy and budget the request is charged to. */
  group?: string;
  /** `x-claude-code-session-id` or `metadata.user_id`. */
  sessionId?: string;
  /** Claude Code's subagent that sent the request (`x-claude-code-agent-id`); absent for the main agent. */
  agentId?: string;
  /** The subagent that started that subagent (`x-claude-code-parent-agent-id`); absent when the main agent did. */
  parentAgentId?: string;
  dialect: Dialect;
  operation: 'messages' | 'count_tokens' | 'models' | (string & {});
  /** The model name as the client sent it. */
  requestedModel?: string;
  /** The catalog's canonical name, when the model is known. */
  model?: string;
  /** The platform that answered (or the last one tried). */
  platform?: string;
  region?: string;
  scope?: string;
  upstreamModelId?: string;
  stream: boolean;
  /** The HTTP status sent to the client; 499 when the client went away. */
  status: number;
  errorType?: string;
  errorMessage?: string;
  stopReason?: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Cost in USD from the catalog; undefined when the price is unknown. */
  costUsd?: number;
  /** The cost used a price the catalog marks unconfirmed: an estimate. */
  costEstimated?: boolean;
  /** Time to the first byte sent to the client. */
  ttfbMs?: number;
  durationMs?: number;
  attemptCount: number;
  /** What the gateway changed: `dropped-beta:web-search-2025-03-05`, `failover:bedrock/global→vertex/global`. */
  changes: string[];
  requestBody?: string;
  responseBody?: string;
  clientAddress?: string;
  userAgent?: string;
  clientDisconnected: boolean;
  /** Key-value pairs the client asked to keep with the request (Bedrock Converse's `requestMetadata`). */
  requestMetadata?: Record<string, string>;
}

/** A request row without its bodies: what metrics, traces and the access log read. */
export type RequestFacts = Omit<RequestRecord, 'requestBody' | 'responseBody'>;

/**
 * A request row as the gateway hands it to the store: a body may still be the
 * UTF-8 bytes it arrived as, decoded by the store's writer (the SQLite writer
 * thread) instead of on the request path. Reads always give text.
 */
export interface RequestRow extends Omit<RequestRecord, 'requestBody' | 'responseBody'> {
  requestBody?: string | Uint8Array;
  responseBody?: string | Uint8Array;
}

/** How one upstream attempt ended. */
export type AttemptOutcome = 'success' | 'retried' | 'failed-over' | 'failed' | 'cancelled';

/** One upstream attempt of a request. */
export interface AttemptRecord {
  requestId: string;
  /** 1-based. */
  attempt: number;
  time: number;
  platform: string;
  region?: string;
  scope?: string;
  upstreamModelId: string;
  /** The upstream HTTP status; undefined for connection errors. */
  status?: number;
  errorType?: string;
  errorMessage?: string;
  outcome: AttemptOutcome;
  ttfbMs?: number;
  durationMs?: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd?: number;
}

/** Which requests to read. Times are ms since the epoch: `since` inclusive, `until` exclusive. */
export interface ActivityFilter {
  since?: number;
  until?: number;
  keyId?: string;
  /** A user by id, name or e-mail, as the log rows carry them. */
  user?: string;
  /** A group by name. */
  group?: string;
  sessionId?: string;
  /** Matches the canonical name or the name the client sent. */
  model?: string;
  platform?: string;
  status?: number;
  /** Only requests answered with a status of 400 or more. */
  errorsOnly?: boolean;
}

/** A read of the activity log, newest first. */
export interface ActivityQuery extends ActivityFilter {
  /** At most this many rows; 100 by default. */
  limit?: number;
  /** Include request and response bodies (left out by default: they can be large). */
  includeBodies?: boolean;
}

/** Counts and sums over a set of requests. */
export interface UsageTotals {
  requests: number;
  /** Requests answered with a status of 400 or more (499 included). */
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Sum of the known costs. */
  costUsd: number;
  /** Requests whose cost is unknown (not in `costUsd`). */
  unpricedRequests: number;
}

/** Usage over a time range, in total and grouped by key, model and platform (highest cost first). */
export interface RequestSummary {
  since?: number;
  until?: number;
  total: UsageTotals;
  byKey: (UsageTotals & { keyId?: string; keyName?: string })[];
  /** Grouped by canonical name, or the requested name for models the catalog does not know. */
  byModel: (UsageTotals & { model?: string })[];
  byPlatform: (UsageTotals & { platform?: string })[];
}

/** Which sessions to read: the requests' filter (a session appears when any of its requests matches). */
export interface SessionQuery extends ActivityFilter {
  /** At most this many sessions, the most recently active first; 100 by default. */
  limit?: number;
}

/** One session (`x-claude-code-session-id` or `metadata.user_id`): its requests counted and summed. */
export interface SessionSummary extends UsageTotals {
  sessionId: string;
  /** The first and last request's arrival (ms epoch). */
  firstTime: number;
  lastTime: number;
  /** When the last answer ended (ms epoch): `endTime - firstTime` is how long the session ran. */
  endTime: number;
  /** Messages calls (token counts and listings not included). */
  turns: number;
  /** Answers that stopped to call tools (`stop_reason: tool_use`): each asked for one or more. */
  toolTurns: number;
  /** Distinct subagents that sent requests (the main agent not counted). */
  agents: number;
  keyId?: string;
  keyName?: string;
  /** The user and group the session's requests were charged to (OIDC sign-in), when known. */
  userName?: string;
  group?: string;
  /** One of the models the session used (the greatest name). */
  model?: string;
}

/**
 * A budget threshold crossed in one budget period, recorded once: the first
 * gateway to record it sends the alert (`claimBudgetAlert`), the others do not.
 */
export interface BudgetAlertRecord {
  /** Who, which period, which limit and which threshold: `key:key_1:month:1798761600000:100:0.8`. */
  id: string;
  subjectKind: 'key' | 'user' | 'token' | 'group';
  subjectId: string;
  subjectName: string;
  period: 'month' | 'day';
  limitUsd: number;
  /** The fraction of the limit crossed (0.8, 1). */
  threshold: number;
  spentUsd: number;
  /** When the period ends (ms epoch). */
  resetsAt: number;
  /** When it was crossed, on the gateway's clock (ms epoch). */
  crossedAt: number;
}

/** A data-residency geography a key can be held to. */
export type Residency = Exclude<Geo, 'global'>;

export const RESIDENCIES: readonly Residency[] = ['us', 'eu', 'europe', 'jp', 'apac', 'au'];

/** A gateway API key. The secret itself is never stored, only its hash. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  /** The first 8 characters of the secret, for display. */
  prefix: string;
  /** sha256 of the secret, lowercase hex. */
  hash: string;
  createdAt: number;
  revokedAt?: number;
  /** After this time (ms epoch, decided on the gateway's clock) the key is refused, saying it expired. */
  expiresAt?: number;
  /** When the secret was last replaced by `rotateKey`. */
  rotatedAt?: number;
  /** When a gateway last let a request in with this key (written at most once a minute per key per process). */
  lastUsedAt?: number;
  allowedModels?: string[];
  residency?: Residency;
  monthlyBudgetUsd?: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  metadata?: Record<string, unknown>;
  /** The user the key belongs to (see `IdentityStore`): their policy and their groups' hold too. */
  userId?: string;
}

/** What a caller chooses when creating a key. */
export type NewApiKey = Omit<
  ApiKeyRecord,
  'id' | 'prefix' | 'hash' | 'createdAt' | 'revokedAt' | 'rotatedAt' | 'lastUsedAt'
>;

/**
 * Changes to a key's settings, validated like a new key's: a field left out
 * stays as it is, `null` removes a limit (or the expiry).
 */
export type ApiKeyChanges = { name?: string } & {
  [Field in Exclude<keyof NewApiKey, 'name'>]?: NewApiKey[Field] | null;
};

/** "Now" for a key change (ms epoch): the gateway passes its clock's; the wall clock by default. */
export interface KeyChangeOptions {
  now?: number;
}

/** How to rotate a key. */
export interface RotateKeyOptions extends KeyChangeOptions {
  /** How long the old secret keeps working, in ms; 0 ends it at once. */
  graceMs: number;
}

/** A key with its new secret (shown once), and until when the old one still works. */
export interface RotatedApiKey extends CreatedApiKey {
  previousSecretValidUntil: number;
}

/**
 * What a presented secret belongs to: a key (revoked or expired ones too, so
 * the gateway can say why it refuses), by its current secret or by one it had
 * before a rotation.
 */
export interface SecretLookup {
  key: ApiKeyRecord;
  /** Set when the secret is one `rotateKey` replaced: when, and until when it still works. */
  rotated?: { at: number; validUntil: number };
}

/** A new key and its secret, which is shown once and never stored. */
export interface CreatedApiKey {
  record: ApiKeyRecord;
  secret: string;
}

/** A message from the store's background work (failed writes, dropped rows). */
export interface StoreLogEntry {
  level: 'warn' | 'error';
  message: string;
  error?: unknown;
  /** Rows given up on by this event. */
  dropped?: number;
}

/** Where the store reports its background problems; it never throws them at callers. */
export type StoreLogger = (entry: StoreLogEntry) => void;

/** Counters of the background writer. */
export interface WriteStats {
  /** Rows waiting to be written. */
  queued: number;
  /** Rows written. */
  written: number;
  /** Rows given up on (after a retry, or refused because the queue was full or the store closed). */
  dropped: number;
  /** Write calls that failed (each retried once). */
  failedWrites: number;
  /** Reads and key changes that failed (Postgres unreachable, or a statement refused); stores that cannot fail so leave it out. */
  failedReads?: number;
}

/**
 * The activity log and the key store. Log writes are queued and batched off
 * the request path: `recordRequest` and `recordAttempts` never throw and
 * resolve once the rows are queued; `flush()` resolves when every row queued
 * before it is written (or counted in `stats().dropped`).
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Queues a request row (kept by reference until written: do not change it, or its body bytes,
   * afterwards). Recording an id again replaces the row. With the journal, resolves once the row is
   * in the journal file: the gateway waits for it before an answer's last byte.
   */
  recordRequest(record: RequestRow): Promise<void>;
  recordAttempts(records: readonly AttemptRecord[]): Promise<void>;
  /** Requests matching the query, newest first. */
  queryRequests(query?: ActivityQuery): Promise<RequestRecord[]>;
  /** One request with its bodies. */
  getRequest(id: string): Promise<RequestRecord | undefined>;
  /** The attempts of one request, in order. */
  attemptsOf(requestId: string): Promise<AttemptRecord[]>;
  summarize(filter?: ActivityFilter): Promise<RequestSummary>;
  /** Sessions with their totals, the most recently active first. */
  sessions(query?: SessionQuery): Promise<SessionSummary[]>;
  /** Usage grouped by one or two dimensions (`['day', 'model']`), with totals: one query. */
  report(by: readonly ReportDimension[], filter?: ActivityFilter): Promise<UsageReport>;
  /** Sum of the known costs of a key's requests since a time (ms epoch). */
  spendSince(keyId: string, sinceMs: number): Promise<number>;
  /** Records a budget crossing unless it is recorded already: true for the one caller that recorded it. */
  claimBudgetAlert(alert: BudgetAlertRecord): Promise<boolean>;
  /** Removes requests and attempts from before `olderThanMs` (ms epoch); returns the number of rows removed. */
  prune(olderThanMs: number): Promise<number>;
  /** Creates a key; the secret (`cgw_…`) is returned once and only its hash is kept. */
  createKey(input: NewApiKey, options?: KeyChangeOptions): Promise<CreatedApiKey>;
  listKeys(options?: { includeRevoked?: boolean }): Promise<ApiKeyRecord[]>;
  /** Revokes the active key with this id, prefix or name; undefined when none matches. */
  revokeKey(reference: string): Promise<ApiKeyRecord | undefined>;
  /** Changes the settings of the active key with this id, name or prefix; undefined when none matches. */
  updateKey(
    reference: string,
    changes: ApiKeyChanges,
    options?: KeyChangeOptions,
  ): Promise<ApiKeyRecord | undefined>;
  /**
   * Gives the active key with this id, name or prefix a new secret (returned
   * once); the old one keeps working for `graceMs`. Same id, limits, budget
   * and log. Undefined when no key matches.
   */
  rotateKey(reference: string, options: RotateKeyOptions): Promise<RotatedApiKey | undefined>;
  /** The active key whose current secret this is; revoked keys and replaced secrets are not found. */
  findKeyBySecret(secret: string): Promise<ApiKeyRecord | undefined>;
  /** The key a secret belongs to, revoked and expired ones and secrets replaced by a rotation included. */
  lookupSecret(secret: string): Promise<SecretLookup | undefined>;
  /** Users, groups, service tokens and sign-in sessions, in the same database. */
  readonly identity: IdentityStore;
  /** Notes that a key was used at a time (ms epoch); a later time already stored is kept. */
  recordKeyUse(keyId: string, at: number): Promise<void>;
  /**
   * Calls `listener` whenever a process changes a key in this store (create,
   * revoke, rotate, update), or a user, group, service token or session; resolves, with a function that stops listening,
   * once it listens. Only stores shared between processes have it (Postgres:
   * LISTEN/NOTIFY).
   */
  watchKeyChanges?(listener: () => void): Promise<() => Promise<void>>;
  stats(): WriteStats;
  flush(): Promise<void>;
  /** Flushes, then releases connections and threads. */
  close(): Promise<void>;
}
