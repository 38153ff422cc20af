import type { ApiKeyRecord, AttemptRecord, BudgetAlertRecord, RequestRow } from './types.js';

/** How a field is stored: each backend maps kinds to its own column types. */
export type ColumnKind = 'text' | 'integer' | 'real' | 'boolean' | 'json';

/** One column of a table and the record field it holds. */
export interface ColumnSpec<Row> {
  readonly name: string;
  readonly field: keyof Row & string;
  readonly kind: ColumnKind;
}

/** The columns of `requests`, in insert order. */
export const REQUEST_COLUMNS: readonly ColumnSpec<RequestRow>[] = [
  { name: 'id', field: 'id', kind: 'text' },
  { name: 'time', field: 'time', kind: 'integer' },
  { name: 'key_id', field: 'keyId', kind: 'text' },
  { name: 'key_name', field: 'keyName', kind: 'text' },
  { name: 'session_id', field: 'sessionId', kind: 'text' },
  { name: 'dialect', field: 'dialect', kind: 'text' },
  { name: 'operation', field: 'operation', kind: 'text' },
  { name: 'requested_model', field: 'requestedModel', kind: 'text' },
  { name: 'model', field: 'model', kind: 'text' },
  { name: 'platform', field: 'platform', kind: 'text' },
  { name: 'region', field: 'region', kind: 'text' },
  { name: 'scope', field: 'scope', kind: 'text' },
  { name: 'upstream_model_id', field: 'upstreamModelId', kind: 'text' },
  { name: 'stream', field: 'stream', kind: 'boolean' },
  { name: 'status', field: 'status', kind: 'integer' },
  { name: 'error_type', field: 'errorType', kind: 'text' },
  { name: 'error_message', field: 'errorMessage', kind: 'text' },
  { name: 'stop_reason', field: 'stopReason', kind: 'text' },
  { name: 'input_tokens', field: 'inputTokens', kind: 'integer' },
  { name: 'output_tokens', field: 'outputTokens', kind: 'integer' },
  { name: 'cache_read_tokens', field: 'cacheReadTokens', kind: 'integer' },
  { name: 'cache_write_tokens', field: 'cacheWriteTokens', kind: 'integer' },
  { name: 'cost_usd', field: 'costUsd', kind: 'real' },
  { name: 'ttfb_ms', field: 'ttfbMs', kind: 'real' },
  { name: 'duration_ms', field: 'durationMs', kind: 'real' },
  { name: 'attempt_count', field: 'attemptCount', kind: 'integer' },
  { name: 'changes', field: 'changes', kind: 'json' },
  { name: 'request_body', field: 'requestBody', kind: 'text' },
  { name: 'response_body', field: 'responseBody', kind: 'text' },
  { name: 'client_address', field: 'clientAddress', kind: 'text' },
  { name: 'user_agent', field: 'userAgent', kind: 'text' },
  { name: 'client_disconnected', field: 'clientDisconnected', kind: 'boolean' },
  { name: 'cost_estimated', field: 'costEstimated', kind: 'boolean' },
  { name: 'agent_id', field: 'agentId', kind: 'text' },
  { name: 'parent_agent_id', field: 'parentAgentId', kind: 'text' },
  { name: 'user_id', field: 'userId', kind: 'text' },
  { name: 'user_name', field: 'userName', kind: 'text' },
  { name: 'user_email', field: 'userEmail', kind: 'text' },
  { name: 'group_name', field: 'group', kind: 'text' },
  { name: 'request_metadata', field: 'requestMetadata', kind: 'json' },
];

/** Columns left out of listings unless bodies are asked for. */
export const BODY_COLUMNS: readonly string[] = ['request_body', 'response_body'];

/** The columns of `attempts`, in insert order. */
export const ATTEMPT_COLUMNS: readonly ColumnSpec<AttemptRecord>[] = [
  { name: 'request_id', field: 'requestId', kind: 'text' },
  { name: 'attempt', field: 'attempt', kind: 'integer' },
  { name: 'time', field: 'time', kind: 'integer' },
  { name: 'platform', field: 'platform', kind: 'text' },
  { name: 'region', field: 'region', kind: 'text' },
  { name: 'scope', field: 'scope', kind: 'text' },
  { name: 'upstream_model_id', field: 'upstreamModelId', kind: 'text' },
  { name: 'status', field: 'status', kind: 'integer' },
  { name: 'error_type', field: 'errorType', kind: 'text' },
  { name: 'error_message', field: 'errorMessage', kind: 'text' },
  { name: 'outcome', field: 'outcome', kind: 'text' },
  { name: 'ttfb_ms', field: 'ttfbMs', kind: 'real' },
  { name: 'duration_ms', field: 'durationMs', kind: 'real' },
  { name: 'input_tokens', field: 'inputTokens', kind: 'integer' },
  { name: 'output_tokens', field: 'outputTokens', kind: 'integer' },
  { name: 'cache_read_tokens', field: 'cacheReadTokens', kind: 'integer' },
  { name: 'cache_write_tokens', field: 'cacheWriteTokens', kind: 'integer' },
  { name: 'cost_usd', field: 'costUsd', kind: 'real' },
];

/** The columns of `api_keys`, in insert order. */
export const KEY_COLUMNS: readonly ColumnSpec<ApiKeyRecord>[] = [
  { name: 'id', field: 'id', kind: 'text' },
  { name: 'name', field: 'name', kind: 'text' },
  { name: 'prefix', field: 'prefix', kind: 'text' },
  { name: 'hash', field: 'hash', kind: 'text' },
  { name: 'created_at', field: 'createdAt', kind: 'integer' },
  { name: 'revoked_at', field: 'revokedAt', kind: 'integer' },
  { name: 'allowed_models', field: 'allowedModels', kind: 'json' },
  { name: 'residency', field: 'residency', kind: 'text' },
  { name: 'monthly_budget_usd', field: 'monthlyBudgetUsd', kind: 'real' },
  { name: 'requests_per_minute', field: 'requestsPerMinute', kind: 'integer' },
  { name: 'tokens_per_minute', field: 'tokensPerMinute', kind: 'integer' },
  { name: 'metadata', field: 'metadata', kind: 'json' },
  { name: 'expires_at', field: 'expiresAt', kind: 'integer' },
  { name: 'rotated_at', field: 'rotatedAt', kind: 'integer' },
  { name: 'last_used_at', field: 'lastUsedAt', kind: 'integer' },
  { name: 'user_id', field: 'userId', kind: 'text' },
];

/** The columns of `budget_alerts`, in insert order. */
export const BUDGET_ALERT_COLUMNS: readonly ColumnSpec<BudgetAlertRecord>[] = [
  { name: 'id', field: 'id', kind: 'text' },
  { name: 'subject_kind', field: 'subjectKind', kind: 'text' },
  { name: 'subject_id', field: 'subjectId', kind: 'text' },
  { name: 'subject_name', field: 'subjectName', kind: 'text' },
  { name: 'period', field: 'period', kind: 'text' },
  { name: 'limit_usd', field: 'limitUsd', kind: 'real' },
  { name: 'threshold', field: 'threshold', kind: 'real' },
  { name: 'spent_usd', field: 'spentUsd', kind: 'real' },
  { name: 'resets_at', field: 'resetsAt', kind: 'integer' },
  { name: 'crossed_at', field: 'crossedAt', kind: 'integer' },
];

/** How a backend's driver wants booleans, JSON and text bound. */
export interface ValueEncoding {
  boolean(value: boolean): unknown;
  json(value: unknown): unknown;
  text(value: string): string;
  /** A text column given as UTF-8 bytes (a body as it arrived). */
  bytes(value: Uint8Array): unknown;
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Bytes that own their memory: a view into a larger buffer would carry all of it to the writer
 * thread. (A copy with `new Uint8Array`: a Buffer's `slice` is a view, not a copy.)
 */
function ownBytes(value: Uint8Array): Uint8Array {
  return value.byteOffset === 0 && value.byteLength === value.buffer.byteLength
    ? value
    : new Uint8Array(value);
}

/** better-sqlite3 binds numbers and strings only: booleans as 0/1, JSON as text. */
export const SQLITE_ENCODING: ValueEncoding = {
  boolean: (value) => (value ? 1 : 0),
  json: (value) => JSON.stringify(value),
  text: (value) => value,
  // Bound as the bytes they are: the insert casts them to text (see the store's writer statements).
  bytes: ownBytes,
};

/**
 * postgres.js serializes a `jsonb` parameter itself (so it gets the value, not
 * a JSON string), and Postgres text cannot hold U+0000.
 */
export const POSTGRES_ENCODING: ValueEncoding = {
  boolean: (value) => value,
  json: (value) => value,
  text: (value) => (value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value),
  bytes: (value) => POSTGRES_ENCODING.text(utf8.decode(value)),
};

/**
 * The values of one record in column order, ready to bind. Missing fields and
 * numbers that are not finite become null, integers are rounded, so one odd
 * value cannot make a whole batch fail.
 *
 * @example
 * encodeRow(ATTEMPT_COLUMNS, attempt, SQLITE_ENCODING) // ['req_1', 1, 1718000000000, 'bedrock', null, …]
 */
export function encodeRow<Row extends object>(
  columns: readonly ColumnSpec<Row>[],
  record: Row,
  encoding: ValueEncoding,
): unknown[] {
  return columns.map((column) => encodeValue(record[column.field], column.kind, encoding));
}

function encodeValue(value: unknown, kind: ColumnKind, encoding: ValueEncoding): unknown {
  if (value === undefined || value === null) return null;
  switch (kind) {
    case 'text':
      if (value instanceof Uint8Array) return encoding.bytes(value);
      return encoding.text(typeof value === 'string' ? value : String(value));
    case 'integer':
      return typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : null;
    case 'real':
      return typeof value === 'number' && Number.isFinite(value) ? value : null;
    case 'boolean':
      return encoding.boolean(value === true);
    case 'json':
      return encoding.json(value);
  }
}
