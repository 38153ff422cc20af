import type Database from 'better-sqlite3';
import { StoreError } from './store-error.js';

/**
 * Numbered migrations: the n-th entry takes the schema from version n to n + 1.
 * Never edit one that has shipped; add a new one (e.g. `ALTER TABLE requests
 * ADD COLUMN …`) and read the new column as optional.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE requests (
    id TEXT PRIMARY KEY NOT NULL,
    time INTEGER NOT NULL,
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
    stream INTEGER NOT NULL DEFAULT 0,
    status INTEGER NOT NULL DEFAULT 0,
    error_type TEXT,
    error_message TEXT,
    stop_reason TEXT,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cache_read_tokens INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL,
    ttfb_ms REAL,
    duration_ms REAL,
    attempt_count INTEGER NOT NULL DEFAULT 0,
    changes TEXT NOT NULL DEFAULT '[]',
    request_body TEXT,
    response_body TEXT,
    client_address TEXT,
    user_agent TEXT,
    client_disconnected INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX requests_time ON requests (time);
  CREATE INDEX requests_key_time ON requests (key_id, time);
  CREATE INDEX requests_session_time ON requests (session_id, time);
  CREATE TABLE attempts (
    request_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    time INTEGER NOT NULL,
    platform TEXT NOT NULL,
    region TEXT,
    scope TEXT,
    upstream_model_id TEXT NOT NULL,
    status INTEGER,
    error_type TEXT,
    error_message TEXT,
    outcome TEXT NOT NULL,
    ttfb_ms REAL,
    duration_ms REAL,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cache_read_tokens INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL,
    PRIMARY KEY (request_id, attempt)
  );
  CREATE INDEX attempts_time ON attempts (time);
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER,
    allowed_models TEXT,
    residency TEXT,
    monthly_budget_usd REAL,
    requests_per_minute INTEGER,
    tokens_per_minute INTEGER,
    metadata TEXT
  );
  CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL;
  CREATE INDEX api_keys_prefix ON api_keys (prefix);
  `,
  // 2: a cost computed from an unconfirmed price is flagged as an estimate.
  `ALTER TABLE requests ADD COLUMN cost_estimated INTEGER;`,
  // 3: Claude Code's subagents: `x-claude-code-agent-id` and `x-claude-code-parent-agent-id`.
  `ALTER TABLE requests ADD COLUMN agent_id TEXT; ALTER TABLE requests ADD COLUMN parent_agent_id TEXT;`,
  // 4: key life cycle: expiry, rotation (old secrets work until their grace period ends), last use.
  `
  ALTER TABLE api_keys ADD COLUMN expires_at INTEGER;
  ALTER TABLE api_keys ADD COLUMN rotated_at INTEGER;
  ALTER TABLE api_keys ADD COLUMN last_used_at INTEGER;
  CREATE TABLE api_key_old_secrets (
    hash TEXT PRIMARY KEY NOT NULL,
    key_id TEXT NOT NULL,
    replaced_at INTEGER NOT NULL,
    valid_until INTEGER NOT NULL
  );
  CREATE INDEX api_key_old_secrets_key ON api_key_old_secrets (key_id);
  `,
  // 5: attribution: the user and group a request is charged to (reports and /admin/requests filter on them);
  // budget alerts: each threshold crossed per budget period, recorded once so one gateway sends its alert.
  `
  ALTER TABLE requests ADD COLUMN user_id TEXT;
  ALTER TABLE requests ADD COLUMN user_name TEXT;
  ALTER TABLE requests ADD COLUMN user_email TEXT;
  ALTER TABLE requests ADD COLUMN group_name TEXT;
  CREATE INDEX requests_user_time ON requests (user_id, time);
  CREATE INDEX requests_group_time ON requests (group_name, time);
  CREATE TABLE budget_alerts (
    id TEXT PRIMARY KEY NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    subject_name TEXT NOT NULL,
    period TEXT NOT NULL,
    limit_usd REAL NOT NULL,
    threshold REAL NOT NULL,
    spent_usd REAL NOT NULL,
    resets_at INTEGER NOT NULL,
    crossed_at INTEGER NOT NULL
  );
  `,
  // 6: sign-in and identities: users (from the IdP or an admin), groups with policy, service tokens,
  // sign-in sessions, the gateway token signing secret, and keys that belong to a user.
  `
  CREATE TABLE identity_users (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    email TEXT,
    issuer TEXT,
    subject TEXT,
    source TEXT NOT NULL,
    policy TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    disabled_at INTEGER,
    last_login_at INTEGER,
    UNIQUE (issuer, subject)
  );
  CREATE INDEX identity_users_email ON identity_users (email);
  CREATE TABLE identity_groups (
    name TEXT PRIMARY KEY NOT NULL,
    description TEXT,
    member_policy TEXT NOT NULL DEFAULT '{}',
    daily_budget_usd REAL,
    monthly_budget_usd REAL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE identity_memberships (
    user_id TEXT NOT NULL,
    group_name TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (user_id, group_name)
  );
  CREATE INDEX identity_memberships_group ON identity_memberships (group_name);
  CREATE TABLE service_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    group_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER,
    last_used_at INTEGER,
    description TEXT
  );
  CREATE UNIQUE INDEX service_tokens_active_name ON service_tokens (name) WHERE revoked_at IS NULL;
  CREATE TABLE auth_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL,
    refresh_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER,
    last_refreshed_at INTEGER
  );
  CREATE INDEX auth_sessions_user ON auth_sessions (user_id);
  CREATE TABLE auth_secrets (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  ALTER TABLE api_keys ADD COLUMN user_id TEXT;
  CREATE INDEX api_keys_user ON api_keys (user_id);
  `,
  // 7: Bedrock Converse's `requestMetadata`, key-value pairs to find requests by.
  `ALTER TABLE requests ADD COLUMN request_metadata TEXT;`,
  // 8: dashboard sessions, kept so signing out (or an administrator) ends one on every replica.
  `
  CREATE TABLE ui_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    subject TEXT NOT NULL,
    via TEXT NOT NULL,
    user_id TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    ended_at INTEGER,
    client_address TEXT,
    user_agent TEXT
  );
  CREATE INDEX ui_sessions_user ON ui_sessions (user_id);
  CREATE INDEX ui_sessions_expires ON ui_sessions (expires_at);
  `,
];

/**
 * Brings a database to the latest schema: creates `schema_version`, then runs
 * the migrations it has not seen, each in the same immediate transaction (so
 * two processes opening one file do not both migrate). Refuses a database
 * written by a newer version.
 *
 * @example
 * migrateSqlite(new Database('gateway.db')) // 1 (the schema version now)
 */
export function migrateSqlite(database: Database.Database, migrations = SQLITE_MIGRATIONS): number {
  const migrate = database.transaction(() => {
    database.exec(
      'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY NOT NULL, applied_at INTEGER NOT NULL)',
    );
    const row = database.prepare('SELECT MAX(version) AS version FROM schema_version').get() as
      | { version: number | null }
      | undefined;
    const current = row?.version ?? 0;
    if (current > migrations.length) {
      throw new StoreError(
        `The activity database has schema version ${current}, newer than this claude-gateway knows (${migrations.length}). Upgrade claude-gateway or use another database.`,
        'SCHEMA_TOO_NEW',
      );
    }
    const record = database.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)');
    for (let version = current + 1; version <= migrations.length; version += 1) {
      database.exec(migrations[version - 1] ?? '');
      record.run(version, Date.now());
    }
    return migrations.length;
  });
  return migrate.immediate();
}
