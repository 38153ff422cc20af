import { zstdDecompressSync } from 'node:zlib';
import {
  type ApiKeyRecord,
  type AttemptOutcome,
  type AttemptRecord,
  type Dialect,
  RESIDENCIES,
  type RequestRecord,
  type Residency,
  type SecretLookup,
} from './types.js';

/** A row as a driver returns it: column name → value. */
export type StoredRow = Record<string, unknown>;

const DIALECTS: readonly Dialect[] = ['anthropic', 'bedrock', 'vertex'];
const OUTCOMES: readonly AttemptOutcome[] = ['success', 'retried', 'failed-over', 'failed', 'cancelled'];

/**
 * A request record from a stored row of either backend (SQLite 0/1 booleans
 * and JSON text, Postgres booleans, jsonb and int8 strings). Null columns are
 * left out of the record.
 *
 * @example
 * decodeRequest({ id: 'req_1', time: 1718000000000, stream: 1, changes: '[]', … }).stream // true
 */
export function decodeRequest(row: StoredRow): RequestRecord {
  return withoutUndefined({
    id: text(row.id) ?? '',
    time: number(row.time) ?? 0,
    keyId: text(row.key_id),
    keyName: text(row.key_name),
    sessionId: text(row.session_id),
    dialect: oneOf(text(row.dialect), DIALECTS) ?? 'anthropic',
    operation: text(row.operation) ?? '',
    requestedModel: text(row.requested_model),
    model: text(row.model),
    platform: text(row.platform),
    region: text(row.region),
    scope: text(row.scope),
    upstreamModelId: text(row.upstream_model_id),
    stream: flag(row.stream),
    status: number(row.status) ?? 0,
    errorType: text(row.error_type),
    errorMessage: text(row.error_message),
    stopReason: text(row.stop_reason),
    inputTokens: number(row.input_tokens) ?? 0,
    outputTokens: number(row.output_tokens) ?? 0,
    cacheReadTokens: number(row.cache_read_tokens) ?? 0,
    cacheWriteTokens: number(row.cache_write_tokens) ?? 0,
    costUsd: number(row.cost_usd),
    ttfbMs: number(row.ttfb_ms),
    durationMs: number(row.duration_ms),
    attemptCount: number(row.attempt_count) ?? 0,
    changes: stringList(json(row.changes)) ?? [],
    requestBody: bodyText(row.request_body),
    responseBody: bodyText(row.response_body),
    clientAddress: text(row.client_address),
    userAgent: text(row.user_agent),
    clientDisconnected: flag(row.client_disconnected),
    ...(flag(row.cost_estimated) ? { costEstimated: true } : {}),
    agentId: text(row.agent_id),
    parentAgentId: text(row.parent_agent_id),
    userId: text(row.user_id),
    userName: text(row.user_name),
    userEmail: text(row.user_email),
    group: text(row.group_name),
    requestMetadata: stringMap(json(row.request_metadata)),
  });
}

/**
 * An attempt record from a stored row of either backend.
 *
 * @example
 * decodeAttempt({ request_id: 'req_1', attempt: 1, outcome: 'success', … }).attempt // 1
 */
export function decodeAttempt(row: StoredRow): AttemptRecord {
  return withoutUndefined({
    requestId: text(row.request_id) ?? '',
    attempt: number(row.attempt) ?? 0,
    time: number(row.time) ?? 0,
    platform: text(row.platform) ?? '',
    region: text(row.region),
    scope: text(row.scope),
    upstreamModelId: text(row.upstream_model_id) ?? '',
    status: number(row.status),
    errorType: text(row.error_type),
    errorMessage: text(row.error_message),
    outcome: oneOf(text(row.outcome), OUTCOMES) ?? 'failed',
    ttfbMs: number(row.ttfb_ms),
    durationMs: number(row.duration_ms),
    inputTokens: number(row.input_tokens) ?? 0,
    outputTokens: number(row.output_tokens) ?? 0,
    cacheReadTokens: number(row.cache_read_tokens) ?? 0,
    cacheWriteTokens: number(row.cache_write_tokens) ?? 0,
    costUsd: number(row.cost_usd),
  });
}

/**
 * A key record from a stored row of either backend.
 *
 * @example
 * decodeKey({ id: 'key_1', name: 'ci', allowed_models: '["claude-sonnet-4-5"]', … }).allowedModels // ['claude-sonnet-4-5']
 */
export function decodeKey(row: StoredRow): ApiKeyRecord {
  const metadata = json(row.metadata);
  return withoutUndefined({
    id: text(row.id) ?? '',
    name: text(row.name) ?? '',
    prefix: text(row.prefix) ?? '',
    hash: text(row.hash) ?? '',
    createdAt: number(row.created_at) ?? 0,
    revokedAt: number(row.revoked_at),
    allowedModels: stringList(json(row.allowed_models)),
    residency: oneOf<Residency>(text(row.residency), RESIDENCIES),
    monthlyBudgetUsd: number(row.monthly_budget_usd),
    requestsPerMinute: number(row.requests_per_minute),
    tokensPerMinute: number(row.tokens_per_minute),
    metadata: isRecord(metadata) ? metadata : undefined,
    expiresAt: number(row.expires_at),
    rotatedAt: number(row.rotated_at),
    lastUsedAt: number(row.last_used_at),
    userId: text(row.user_id),
  });
}

/**
 * A key found by a secret a rotation replaced: the key's row with the old
 * secret's `old_replaced_at` and `old_valid_until`.
 *
 * @example
 * oldSecretLookup({ id: 'key_1', …, old_replaced_at: 1000, old_valid_until: 2000 }).rotated // { at: 1000, validUntil: 2000 }
 */
export function oldSecretLookup(row: StoredRow): SecretLookup {
  const { old_replaced_at: at, old_valid_until: validUntil, ...key } = row;
  return { key: decodeKey(key), rotated: { at: number(at) ?? 0, validUntil: number(validUntil) ?? 0 } };
}

/**
 * A number from a driver value: SQLite numbers, Postgres int8 and numeric
 * strings, bigints. Null and unparsable values give undefined.
 *
 * @example
 * number('1718000000000') // 1718000000000
 */
export function number(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

export function text(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value : String(value);
}

/** The first bytes of every zstd frame. */
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * A body column's text: as stored, or from the zstd blob SQLite keeps with
 * `compressBodies` (see the store). A blob that is not zstd is read as UTF-8;
 * one that does not decompress (a damaged file) says so in place of the body,
 * so one bad row never fails a whole listing.
 */
function bodyText(value: unknown): string | undefined {
  if (!(value instanceof Uint8Array)) return text(value);
  if (!ZSTD_MAGIC.every((byte, index) => value[index] === byte)) return utf8.decode(value);
  let reason: string;
  try {
    const body = zstdDecompressSync(value);
    // Node 22 gives nothing for a frame cut short where Node 24 throws; no stored body is empty.
    if (body.byteLength > 0) return utf8.decode(body);
    reason = 'unexpected end of file';
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  }
  return `(the stored body (${value.byteLength} compressed bytes) could not be decompressed: ${reason})`;
}

function flag(value: unknown): boolean {
  return value === true || value === 1 || value === 1n || value === 't';
}

export function json(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

export function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

function stringMap(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const entries = Object.entries(value).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneOf<Value extends string>(
  value: string | undefined,
  allowed: readonly Value[],
): Value | undefined {
  return allowed.find((candidate) => candidate === value);
}

export function withoutUndefined<Value extends object>(value: Value): Value {
  for (const key of Object.keys(value) as (keyof Value)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
