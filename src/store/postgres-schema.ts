import type postgres from 'postgres';
import { StoreError } from './store-error.js';

/**
 * Numbered migrations, each given the quoted schema name: the n-th takes the
 * schema from version n to n + 1. Never edit one that has shipped; add one.
 */
export const POSTGRES_MIGRATIONS: readonly ((schema: string) => string)[] = [
  (schema) => `
  CREATE TABLE ${schema}.requests (
    id TEXT PRIMARY KEY,
    time BIGINT NOT NULL,
    key_id TEXT,
    key_name TEXT,
    session_id TEXT,
    dialect TEXT NOT NULL,
    operation TEXT NOT NULL,
    requested_model TEXT,
    model TEXT,
    platform TEXT,
    region TEXT,
    scope TEXT,
    upstream_model_id TEXT,
    stream BOOLEAN NOT NULL DEFAULT FALSE,
    status INTEGER NOT NULL DEFAULT 0,
    error_type TEXT,
    error_message TEXT,
    stop_reason TEXT,
    input_tokens BIGINT NOT NULL DEFAULT 0,
    output_tokens BIGINT NOT NULL DEFAULT 0,
    cache_read_tokens BIGINT NOT NULL DEFAULT 0,
    cache_write_tokens BIGINT NOT NULL DEFAULT 0,
    cost_usd DOUBLE PRECISION,
    ttfb_ms DOUBLE PRECISION,
    duration_ms DOUBLE PRECISION,
    attempt_count INTEGER NOT NULL DEFAULT 0,
    changes JSONB NOT NULL DEFAULT '[]',
    request_body TEXT,
    response_body TEXT,
    client_address TEXT,
    user_agent TEXT,
    client_disconnected BOOLEAN NOT NULL DEFAULT FALSE
  );
  CREATE INDEX requests_time ON ${schema}.requests (time);
  CREATE INDEX requests_key_time ON ${schema}.requests (key_id, time);
  CREATE INDEX requests_session_time ON ${schema}.requests (session_id, time);
  CREATE TABLE ${schema}.attempts (
    request_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    time BIGINT NOT NULL,
    platform TEXT NOT NULL,
    region TEXT,
    scope TEXT,
    upstream_model_id TEXT NOT NULL,
    status INTEGER,
    error_type TEXT,
    error_message TEXT,
    outcome TEXT NOT NULL,
    ttfb_ms DOUBLE PRECISION,
    duration_ms DOUBLE PRECISION,
    input_tokens BIGINT NOT NULL DEFAULT 0,
    output_tokens BIGINT NOT NULL DEFAULT 0,
    cache_read_tokens BIGINT NOT NULL DEFAULT 0,
    cache_write_tokens BIGINT NOT NULL DEFAULT 0,
    cost_usd DOUBLE PRECISION,
    PRIMARY KEY (request_id, attempt)
  );
  CREATE INDEX attempts_time ON ${schema}.attempts (time);
  CREATE TABLE ${schema}.api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    allowed_models JSONB,
    residency TEXT,
    monthly_budget_usd DOUBLE PRECISION,
    requests_per_minute INTEGER,
    tokens_per_minute INTEGER,
    metadata JSONB
  );
  CREATE UNIQUE INDEX api_keys_active_name ON ${schema}.api_keys (name) WHERE revoked_at IS NULL;
  CREATE INDEX api_keys_prefix ON ${schema}.api_keys (prefix);
  `,
  // 2: a cost computed from an unconfirmed price is flagged as an estimate.
  (schema) => `ALTER TABLE ${schema}.requests ADD COLUMN cost_estimated BOOLEAN;`,
  // 3: Claude Code's subagents: `x-claude-code-agent-id` and `x-claude-code-parent-agent-id`.
  (schema) => `ALTER TABLE ${schema}.requests ADD COLUMN agent_id TEXT, ADD COLUMN parent_agent_id TEXT;`,
  // 4: key life cycle: expiry, rotation (old secrets work until their grace period ends), last use.
  (schema) => `
  ALTER TABLE ${schema}.api_keys ADD COLUMN expires_at BIGINT, ADD COLUMN rotated_at BIGINT, ADD COLUMN last_used_at BIGINT;
  CREATE TABLE ${schema}.api_key_old_secrets (
    hash TEXT PRIMARY KEY,
    key_id TEXT NOT NULL,
    replaced_at BIGINT NOT NULL,
    valid_until BIGINT NOT NULL
  );
  CREATE INDEX api_key_old_secrets_key ON ${schema}.api_key_old_secrets (key_id);
  `,
  // 5: attribution: the user and group a request is charged to (reports and /admin/requests filter on them);
  // budget alerts: each threshold crossed per budget period, recorded once so one gateway sends its alert.
  (schema) => `
  ALTER TABLE ${schema}.requests ADD COLUMN user_id TEXT, ADD COLUMN user_name TEXT,
    ADD COLUMN user_email TEXT, ADD COLUMN group_name TEXT;
  CREATE INDEX requests_user_time ON ${schema}.requests (user_id, time);
  CREATE INDEX requests_group_time ON ${schema}.requests (group_name, time);
  CREATE TABLE ${schema}.budget_alerts (
    id TEXT PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    subject_name TEXT NOT NULL,
    period TEXT NOT NULL,
    limit_usd DOUBLE PRECISION NOT NULL,
    threshold DOUBLE PRECISION NOT NULL,
    spent_usd DOUBLE PRECISION NOT NULL,
    resets_at BIGINT NOT NULL,
    crossed_at BIGINT NOT NULL
  );
  `,
  // 6: sign-in and identities: users (from the IdP or an admin), groups with policy, service tokens,
  // sign-in sessions, the gateway token signing secret, and keys that belong to a user.
  (schema) => `
  CREATE TABLE ${schema}.identity_users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT,
    issuer TEXT,
    subject TEXT,
    source TEXT NOT NULL,
    policy TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL,
    disabled_at BIGINT,
    last_login_at BIGINT,
    UNIQUE (issuer, subject)
  );
  CREATE INDEX identity_users_email ON ${schema}.identity_users (email);
  CREATE TABLE ${schema}.identity_groups (
    name TEXT PRIMARY KEY,
    description TEXT,
    member_policy TEXT NOT NULL DEFAULT '{}',
    daily_budget_usd DOUBLE PRECISION,
    monthly_budget_usd DOUBLE PRECISION,
    created_at BIGINT NOT NULL
  );
  CREATE TABLE ${schema}.identity_memberships (
    user_id TEXT NOT NULL,
    group_name TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (user_id, group_name)
  );
  CREATE INDEX identity_memberships_group ON ${schema}.identity_memberships (group_name);
  CREATE TABLE ${schema}.service_tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    group_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    last_used_at BIGINT,
    description TEXT
  );
  CREATE UNIQUE INDEX service_tokens_active_name ON ${schema}.service_tokens (name) WHERE revoked_at IS NULL;
  CREATE TABLE ${schema}.auth_sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    refresh_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    last_refreshed_at BIGINT
  );
  CREATE INDEX auth_sessions_user ON ${schema}.auth_sessions (user_id);
  CREATE TABLE ${schema}.auth_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at BIGINT NOT NULL
  );
  ALTER TABLE ${schema}.api_keys ADD COLUMN user_id TEXT;
  CREATE INDEX api_keys_user ON ${schema}.api_keys (user_id);
  `,
  // 7: Bedrock Converse's `requestMetadata`, key-value pairs to find requests by.
  (schema) => `ALTER TABLE ${schema}.requests ADD COLUMN request_metadata JSONB;`,
  // 8: dashboard sessions, kept so signing out (or an administrator) ends one on every replica.
  (schema) => `
  CREATE TABLE ${schema}.ui_sessions (
    id TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    via TEXT NOT NULL,
    user_id TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    ended_at BIGINT,
    client_address TEXT,
    user_agent TEXT
  );
  CREATE INDEX ui_sessions_user ON ${schema}.ui_sessions (user_id);
  CREATE INDEX ui_sessions_expires ON ${schema}.ui_sessions (expires_at);
  `,
];

/**
 * Creates the schema and brings it to the latest version inside one
 * transaction, holding an advisory lock so replicas starting together migrate
 * once. Refuses a schema written by a newer version.
 *
 * @example
 * await migratePostgres(sql, 'claude_gateway') // 1 (the schema version now)
 */
export async function migratePostgres(
  sql: postgres.Sql,
  schema: string,
  migrations = POSTGRES_MIGRATIONS,
): Promise<number> {
  const quotedSchema = quoteIdentifier(schema);
  return sql.begin(async (transaction) => {
    await transaction.unsafe('SELECT pg_advisory_xact_lock(hashtext($1))', [`claude-gateway ${schema}`]);
    const existing = await transaction.unsafe('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (existing.length === 0) await transaction.unsafe(`CREATE SCHEMA ${quotedSchema}`);
    await transaction.unsafe(
      `CREATE TABLE IF NOT EXISTS ${quotedSchema}.schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`,
    );
    const [row] = await transaction.unsafe(
      `SELECT MAX(version) AS version FROM ${quotedSchema}.schema_version`,
    );
    const current = Number(row?.version ?? 0);
    if (current > migrations.length) {
      throw new StoreError(
        `The activity schema ${quotedSchema} has version ${current}, newer than this claude-gateway knows (${migrations.length}). Upgrade claude-gateway or use another schema.`,
        'SCHEMA_TOO_NEW',
      );
    }
    for (let version = current + 1; version <= migrations.length; version += 1) {
      await transaction.unsafe(migrations[version - 1]?.(quotedSchema) ?? '');
      await transaction.unsafe(
        `INSERT INTO ${quotedSchema}.schema_version (version, applied_at) VALUES ($1, $2)`,
        [version, Date.now()],
      );
    }
    return migrations.length;
  });
}

/**
 * A Postgres identifier in double quotes.
 *
 * @example
 * quoteIdentifier('claude_gateway') // '"claude_gateway"'
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
