import { randomBytes } from 'node:crypto';
import { isRecord, json, number, type StoredRow, text, withoutUndefined } from './decode-rows.js';
import {
  applyPolicy,
  checkGroupChanges,
  checkNewGroup,
  checkNewServiceToken,
  checkNewUser,
  checkUserChanges,
} from './identity-input.js';
import type {
  GroupChanges,
  GroupRecord,
  IdentityStore,
  MemberPolicy,
  NewGroup,
  NewServiceToken,
  NewUiSession,
  NewUser,
  ServiceTokenRecord,
  SessionRecord,
  UiSessionRecord,
  UserChanges,
  UserRecord,
} from './identity-types.js';
import { hashSecret } from './key-secrets.js';
import { StoreError } from './store-error.js';

/** One SQL statement with `?` placeholders. */
export interface SqlStatement {
  text: string;
  parameters: readonly unknown[];
}

/**
 * How the identity store reaches its database: the same SQL (with `?`
 * placeholders) on SQLite and Postgres. `batch` runs statements in one
 * transaction; with `announce`, it also tells every gateway sharing the
 * store that identities changed (Postgres NOTIFY, as for keys).
 */
export interface SqlRunner {
  all(statement: SqlStatement): Promise<StoredRow[]>;
  batch(statements: readonly SqlStatement[], options?: { announce?: boolean }): Promise<StoredRow[][]>;
  /** A table's name as the SQL must write it (Postgres: with its schema). */
  table(name: string): string;
}

/** Every service token secret starts with this (gateway keys with `cgw_`). */
export const SERVICE_TOKEN_PREFIX = 'cgwt_';
/** Every refresh token starts with this. */
export const REFRESH_TOKEN_PREFIX = 'cgwr_';

const SIGNING_SECRET = 'gateway-token-signing';
/** How long an expired dashboard session stays listed (`GET /admin/ui-sessions?all=true`). */
const UI_SESSIONS_KEPT_MS = 30 * 24 * 60 * 60 * 1000;

function newId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}

function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

function policyOf(value: unknown): MemberPolicy {
  const parsed = json(value);
  return isRecord(parsed) ? (parsed as MemberPolicy) : {};
}

function isUniqueViolation(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  return code === '23505' || code.startsWith('SQLITE_CONSTRAINT');
}

function nameTaken(error: unknown, message: string): unknown {
  return isUniqueViolation(error) ? new StoreError(message, 'NAME_TAKEN', { cause: error }) : error;
}

/**
 * Users, groups, service tokens and sign-in sessions (see `IdentityStore`),
 * written once for both backends through a `SqlRunner`.
 */
export class SqlIdentityStore implements IdentityStore {
  readonly #sql: SqlRunner;
  readonly #users: string;
  readonly #groups: string;
  readonly #members: string;
  readonly #tokens: string;
  readonly #sessions: string;
  readonly #secrets: string;
  readonly #uiSessions: string;
  readonly #keys: string;
  readonly #requests: string;
  #signingSecret: Uint8Array | undefined;

  constructor(sql: SqlRunner) {
    this.#sql = sql;
    this.#users = sql.table('identity_users');
    this.#groups = sql.table('identity_groups');
    this.#members = sql.table('identity_memberships');
    this.#tokens = sql.table('service_tokens');
    this.#sessions = sql.table('auth_sessions');
    this.#secrets = sql.table('auth_secrets');
    this.#uiSessions = sql.table('ui_sessions');
    this.#keys = sql.table('api_keys');
    this.#requests = sql.table('requests');
  }

  async #one(text: string, ...parameters: unknown[]): Promise<StoredRow | undefined> {
    return (await this.#sql.all({ text, parameters }))[0];
  }

  async #userFromRow(row: StoredRow | undefined): Promise<UserRecord | undefined> {
    if (!row) return undefined;
    const groups = await this.#sql.all({
      text: `SELECT group_name FROM ${this.#members} WHERE user_id = ? ORDER BY position`,
      parameters: [row.id],
    });
    return decodeUser(
      row,
      groups.map((group) => String(group.group_name)),
    );
  }

  /** The statements that make a user's groups exactly these, in this order. */
  #membershipStatements(userId: string, groups: readonly string[]): SqlStatement[] {
    return [
      { text: `DELETE FROM ${this.#members} WHERE user_id = ?`, parameters: [userId] },
      ...groups.map((group, position) => ({
        text: `INSERT INTO ${this.#members} (user_id, group_name, position) VALUES (?, ?, ?)`,
        parameters: [userId, group, position],
      })),
    ];
  }

  async upsertSignedInUser(
    input: { issuer: string; subject: string; email?: string; name?: string; groups: string[] },
    now: number,
  ): Promise<UserRecord> {
    const name = input.email ?? input.name ?? input.subject;
    const groups = [...new Set(input.groups.map((group) => group.trim()).filter(Boolean))];
    const [rows] = await this.#sql.batch(
      [
        {
          text: `INSERT INTO ${this.#users} (id, name, email, issuer, subject, source, policy, created_at, last_login_at)
                 VALUES (?, ?, ?, ?, ?, 'oidc', '{}', ?, ?)
                 ON CONFLICT (issuer, subject) DO UPDATE SET name = excluded.name, email = excluded.email, last_login_at = excluded.last_login_at
                 RETURNING *`,
          parameters: [newId('usr'), name, input.email ?? null, input.issuer, input.subject, now, now],
        },
      ],
      { announce: true },
    );
    const row = rows?.[0];
    if (!row) throw new Error('the user upsert returned no row');
    await this.#sql.batch(this.#membershipStatements(String(row.id), groups), { announce: true });
    return decodeUser(row, groups);
  }

  async createUser(input: NewUser, now: number): Promise<UserRecord> {
    const user = checkNewUser(input);
    const id = newId('usr');
    try {
      await this.#sql.batch(
        [
          {
            text: `INSERT INTO ${this.#users} (id, name, email, source, policy, created_at) VALUES (?, ?, ?, 'admin', ?, ?)`,
            parameters: [id, user.name, user.email ?? null, JSON.stringify(user.policy ?? {}), now],
          },
          ...this.#membershipStatements(id, user.groups),
        ],
        { announce: true },
      );
    } catch (error) {
      throw nameTaken(error, `A user ${user.name} already exists.`);
    }
    return (await this.findUser(id)) as UserRecord;
  }

  async findUser(reference: string): Promise<UserRecord | undefined> {
    const rows = await this.#sql.all({
      text: `SELECT * FROM ${this.#users} WHERE id = ? OR email = ? OR name = ? OR subject = ? ORDER BY created_at`,
      parameters: [reference, reference, reference, reference],
    });
    const row = rows.find((candidate) => candidate.id === reference) ?? rows[0];
    if (rows.length > 1 && row?.id !== reference) {
      throw new StoreError(
        `${rows.length} users match "${reference}" (${rows.map((candidate) => String(candidate.id)).join(', ')}); give the user id instead.`,
        'INVALID_IDENTITY_INPUT',
      );
    }
    return this.#userFromRow(row);
  }

  async listUsers(): Promise<UserRecord[]> {
    const [rows, memberships] = await Promise.all([
      this.#sql.all({ text: `SELECT * FROM ${this.#users} ORDER BY created_at, id`, parameters: [] }),
      this.#sql.all({
        text: `SELECT user_id, group_name FROM ${this.#members} ORDER BY user_id, position`,
        parameters: [],
      }),
    ]);
    const groups = new Map<string, string[]>();
    for (const membership of memberships) {
      const list = groups.get(String(membership.user_id)) ?? [];
      list.push(String(membership.group_name));
      groups.set(String(membership.user_id), list);
    }
    return rows.map((row) => decodeUser(row, groups.get(String(row.id)) ?? []));
  }

  async updateUser(reference: string, changes: UserChanges, now: number): Promise<UserRecord | undefined> {
    const checked = checkUserChanges(changes);
    const user = await this.findUser(reference);
    if (!user) return undefined;
    const policy = checked.policy ? applyPolicy(user.policy, checked.policy) : user.policy;
    const disabledAt =
      checked.disabled === undefined
        ? user.disabledAt
        : checked.disabled
          ? (user.disabledAt ?? now)
          : undefined;
    const statements: SqlStatement[] = [
      {
        text: `UPDATE ${this.#users} SET name = ?, email = ?, policy = ?, disabled_at = ? WHERE id = ?`,
        parameters: [
          checked.name ?? user.name,
          checked.email === undefined ? (user.email ?? null) : checked.email,
          JSON.stringify(policy),
          disabledAt ?? null,
          user.id,
        ],
      },
      ...(checked.groups ? this.#membershipStatements(user.id, checked.groups) : []),
    ];
    if (checked.disabled) {
      statements.push(
        {
          text: `UPDATE ${this.#sessions} SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`,
          parameters: [now, user.id],
        },
        {
          text: `UPDATE ${this.#uiSessions} SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL`,
          parameters: [now, user.id],
        },
      );
    }
    try {
      await this.#sql.batch(statements, { announce: true });
    } catch (error) {
      throw nameTaken(error, `A user ${checked.name ?? user.name} already exists.`);
    }
    return this.findUser(user.id);
  }

  async deleteUser(
    reference: string,
    now: number,
  ): Promise<{ user: UserRecord; deleted: boolean } | undefined> {
    const user = await this.findUser(reference);
    if (!user) return undefined;
    const referenced = await this.#one(
      `SELECT (SELECT COUNT(*) FROM ${this.#keys} WHERE user_id = ?)
            + (SELECT COUNT(*) FROM ${this.#sessions} WHERE user_id = ?)
            + (SELECT COUNT(*) FROM (SELECT 1 FROM ${this.#requests} WHERE user_id = ? LIMIT 1) AS logged) AS total`,
      user.id,
      user.id,
      user.id,
    );
    if ((number(referenced?.total) ?? 0) > 0) {
      const disabled = await this.updateUser(user.id, { disabled: true }, now);
      return { user: disabled ?? user, deleted: false };
    }
    await this.#sql.batch(
      [
        { text: `DELETE FROM ${this.#members} WHERE user_id = ?`, parameters: [user.id] },
        {
          text: `UPDATE ${this.#uiSessions} SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL`,
          parameters: [now, user.id],
        },
        { text: `DELETE FROM ${this.#users} WHERE id = ?`, parameters: [user.id] },
      ],
      { announce: true },
    );
    return { user, deleted: true };
  }

  async createGroup(input: NewGroup, now: number): Promise<GroupRecord> {
    const group = checkNewGroup(input);
    try {
      await this.#sql.batch(
        [
          {
            text: `INSERT INTO ${this.#groups} (name, description, member_policy, daily_budget_usd, monthly_budget_usd, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
            parameters: [
              group.name,
              group.description ?? null,
              JSON.stringify(group.memberPolicy),
              group.dailyBudgetUsd ?? null,
              group.monthlyBudgetUsd ?? null,
              now,
            ],
          },
        ],
        { announce: true },
      );
    } catch (error) {
      throw nameTaken(error, `A group named ${group.name} already exists; change it with groups update.`);
    }
    return (await this.findGroup(group.name)) as GroupRecord;
  }

  async findGroup(name: string): Promise<GroupRecord | undefined> {
    const row = await this.#one(`SELECT * FROM ${this.#groups} WHERE name = ?`, name);
    return row ? decodeGroup(row) : undefined;
  }

  async listGroups(): Promise<GroupRecord[]> {
    return (await this.#sql.all({ text: `SELECT * FROM ${this.#groups} ORDER BY name`, parameters: [] })).map(
      decodeGroup,
    );
  }

  async updateGroup(name: string, changes: GroupChanges): Promise<GroupRecord | undefined> {
    const checked = checkGroupChanges(changes);
    const group = await this.findGroup(name);
    if (!group) return undefined;
    const pick = (field: 'dailyBudgetUsd' | 'monthlyBudgetUsd') =>
      checked[field] === undefined ? (group[field] ?? null) : checked[field];
    await this.#sql.batch(
      [
        {
          text: `UPDATE ${this.#groups} SET description = ?, member_policy = ?, daily_budget_usd = ?, monthly_budget_usd = ? WHERE name = ?`,
          parameters: [
            checked.description === undefined ? (group.description ?? null) : checked.description,
            JSON.stringify(
              checked.memberPolicy
                ? applyPolicy(group.memberPolicy, checked.memberPolicy)
                : group.memberPolicy,
            ),
            pick('dailyBudgetUsd'),
            pick('monthlyBudgetUsd'),
            name,
          ],
        },
      ],
      { announce: true },
    );
    return this.findGroup(name);
  }

  async deleteGroup(name: string): Promise<GroupRecord | undefined> {
    const group = await this.findGroup(name);
    if (!group) return undefined;
    // Memberships stay: an IdP group the gateway has no policy for still names the user's team.
    await this.#sql.batch([{ text: `DELETE FROM ${this.#groups} WHERE name = ?`, parameters: [name] }], {
      announce: true,
    });
    return group;
  }

  async createServiceToken(
    input: NewServiceToken,
    now: number,
  ): Promise<{ record: ServiceTokenRecord; secret: string }> {
    const checked = checkNewServiceToken(input, now);
    if (!(await this.findGroup(checked.group))) {
      throw new StoreError(
        `Cannot create the service token: there is no group "${checked.group}"; create it first (claude-gateway groups create ${checked.group}).`,
        'INVALID_IDENTITY_INPUT',
      );
    }
    const secret = newSecret(SERVICE_TOKEN_PREFIX);
    const record: ServiceTokenRecord = {
      id: newId('svc'),
      name: checked.name,
      prefix: secret.slice(0, 9),
      hash: hashSecret(secret),
      group: checked.group,
      createdAt: now,
      expiresAt: checked.expiresAt,
      ...(checked.description !== undefined ? { description: checked.description } : {}),
    };
    try {
      await this.#sql.batch(
        [
          {
            text: `INSERT INTO ${this.#tokens} (id, name, prefix, hash, group_name, created_at, expires_at, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
            parameters: [
              record.id,
              record.name,
              record.prefix,
              record.hash,
              record.group,
              now,
              record.expiresAt,
              record.description ?? null,
            ],
          },
        ],
        { announce: true },
      );
    } catch (error) {
      throw nameTaken(error, `An active service token is already named ${record.name}; pick another name.`);
    }
    return { record, secret };
  }

  async listServiceTokens(options: { includeRevoked?: boolean } = {}): Promise<ServiceTokenRecord[]> {
    const where = options.includeRevoked ? '' : 'WHERE revoked_at IS NULL';
    return (
      await this.#sql.all({
        text: `SELECT * FROM ${this.#tokens} ${where} ORDER BY created_at, name`,
        parameters: [],
      })
    ).map(decodeServiceToken);
  }

  async revokeServiceToken(reference: string, now: number): Promise<ServiceTokenRecord | undefined> {
    const rows = await this.#sql.all({
      text: `SELECT * FROM ${this.#tokens} WHERE revoked_at IS NULL AND (id = ? OR name = ? OR prefix = ?)`,
      parameters: [reference, reference, reference],
    });
    const row = rows.find((candidate) => candidate.id === reference) ?? rows[0];
    if (!row) return undefined;
    await this.#sql.batch(
      [{ text: `UPDATE ${this.#tokens} SET revoked_at = ? WHERE id = ?`, parameters: [now, row.id] }],
      { announce: true },
    );
    return { ...decodeServiceToken(row), revokedAt: now };
  }

  async lookupServiceToken(secret: string): Promise<ServiceTokenRecord | undefined> {
    const row = await this.#one(`SELECT * FROM ${this.#tokens} WHERE hash = ?`, hashSecret(secret));
    return row ? decodeServiceToken(row) : undefined;
  }

  async recordServiceTokenUse(id: string, at: number): Promise<void> {
    await this.#sql.all({
      text: `UPDATE ${this.#tokens} SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)`,
      parameters: [at, id, at],
    });
  }

  async createSession(
    userId: string,
    expiresAt: number,
    now: number,
  ): Promise<{ record: SessionRecord; refreshToken: string }> {
    const refreshToken = newSecret(REFRESH_TOKEN_PREFIX);
    const record: SessionRecord = { id: newId('ses'), userId, createdAt: now, expiresAt };
    // Not announced: a new session changes nothing another replica cached.
    await this.#sql.batch([
      {
        text: `INSERT INTO ${this.#sessions} (id, user_id, refresh_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
        parameters: [record.id, userId, hashSecret(refreshToken), now, expiresAt],
      },
    ]);
    return { record, refreshToken };
  }

  async findSession(id: string): Promise<SessionRecord | undefined> {
    const row = await this.#one(`SELECT * FROM ${this.#sessions} WHERE id = ?`, id);
    return row ? decodeSession(row) : undefined;
  }

  async lookupRefreshToken(refreshToken: string): Promise<SessionRecord | undefined> {
    const row = await this.#one(
      `SELECT * FROM ${this.#sessions} WHERE refresh_hash = ?`,
      hashSecret(refreshToken),
    );
    return row ? decodeSession(row) : undefined;
  }

  async noteRefresh(id: string, at: number): Promise<void> {
    await this.#sql.all({
      text: `UPDATE ${this.#sessions} SET last_refreshed_at = ? WHERE id = ?`,
      parameters: [at, id],
    });
  }

  async revokeSession(id: string, now: number): Promise<SessionRecord | undefined> {
    const session = await this.findSession(id);
    if (!session || session.revokedAt !== undefined) return session;
    await this.#sql.batch(
      [{ text: `UPDATE ${this.#sessions} SET revoked_at = ? WHERE id = ?`, parameters: [now, id] }],
      { announce: true },
    );
    return { ...session, revokedAt: now };
  }

  async createUiSession(input: NewUiSession, now: number): Promise<UiSessionRecord> {
    const record: UiSessionRecord = withoutUndefined({
      id: newId('uis'),
      subject: input.subject,
      via: input.via,
      userId: input.userId,
      createdAt: now,
      expiresAt: input.expiresAt,
      clientAddress: input.clientAddress,
      userAgent: input.userAgent?.slice(0, 300),
    });
    await this.#sql.batch([
      // Sessions that ended long ago go as new ones come: the table stays as small as its use.
      {
        text: `DELETE FROM ${this.#uiSessions} WHERE expires_at < ?`,
        parameters: [now - UI_SESSIONS_KEPT_MS],
      },
      {
        text: `INSERT INTO ${this.#uiSessions} (id, subject, via, user_id, created_at, expires_at, client_address, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        parameters: [
          record.id,
          record.subject,
          record.via,
          record.userId ?? null,
          now,
          record.expiresAt,
          record.clientAddress ?? null,
          record.userAgent ?? null,
        ],
      },
    ]);
    return record;
  }

  async findUiSession(id: string): Promise<UiSessionRecord | undefined> {
    const row = await this.#one(`SELECT * FROM ${this.#uiSessions} WHERE id = ?`, id);
    return row ? decodeUiSession(row) : undefined;
  }

  async listUiSessions(options: { includeEnded?: boolean } = {}): Promise<UiSessionRecord[]> {
    const where = options.includeEnded ? '' : 'WHERE ended_at IS NULL';
    const rows = await this.#sql.all({
      text: `SELECT * FROM ${this.#uiSessions} ${where} ORDER BY created_at DESC, id LIMIT 1000`,
      parameters: [],
    });
    return rows.map(decodeUiSession);
  }

  async endUiSession(id: string, now: number): Promise<UiSessionRecord | undefined> {
    const session = await this.findUiSession(id);
    if (!session || session.endedAt !== undefined) return session;
    // Announced: every replica drops the session it may have cached.
    await this.#sql.batch(
      [{ text: `UPDATE ${this.#uiSessions} SET ended_at = ? WHERE id = ?`, parameters: [now, id] }],
      { announce: true },
    );
    return { ...session, endedAt: now };
  }

  async credentialsExist(): Promise<boolean> {
    const row = await this.#one(
      `SELECT (SELECT COUNT(*) FROM ${this.#users}) + (SELECT COUNT(*) FROM ${this.#tokens}) AS total`,
    );
    return (number(row?.total) ?? 0) > 0;
  }

  async tokenSigningSecret(): Promise<Uint8Array> {
    if (this.#signingSecret) return this.#signingSecret;
    // The first replica to ask makes it; the others (and later starts) read the same one.
    await this.#sql.batch([
      {
        text: `INSERT INTO ${this.#secrets} (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING`,
        parameters: [SIGNING_SECRET, randomBytes(32).toString('base64url'), Date.now()],
      },
    ]);
    const row = await this.#one(`SELECT value FROM ${this.#secrets} WHERE name = ?`, SIGNING_SECRET);
    const value = text(row?.value);
    if (!value) throw new Error('the gateway token signing secret could not be stored');
    this.#signingSecret = new Uint8Array(Buffer.from(value, 'base64url'));
    return this.#signingSecret;
  }

  /** Known costs of the log rows matching one attribution column since a time. */
  async #sum(column: 'user_id' | 'group_name' | 'key_id', value: string, sinceMs: number): Promise<number> {
    const row = await this.#one(
      `SELECT SUM(cost_usd) AS total FROM ${this.#requests} WHERE ${column} = ? AND time >= ?`,
      value,
      sinceMs,
    );
    return number(row?.total) ?? 0;
  }

  /**
   * By the rows' own `user_id` (written when the request was served): a key
   * given to the user later, or taken away, does not move past spend.
   */
  userSpendSince(userId: string, sinceMs: number): Promise<number> {
    return this.#sum('user_id', userId, sinceMs);
  }

  /**
   * By the rows' `group_name`, the group each request was charged to when it
   * was served: a member who joins or leaves does not carry spend along.
   */
  groupSpendSince(group: string, sinceMs: number): Promise<number> {
    return this.#sum('group_name', group, sinceMs);
  }

  serviceTokenSpendSince(id: string, sinceMs: number): Promise<number> {
    return this.#sum('key_id', id, sinceMs);
  }
}

function decodeUser(row: StoredRow, groups: string[]): UserRecord {
  return withoutUndefined({
    id: text(row.id) ?? '',
    name: text(row.name) ?? '',
    email: text(row.email),
    subject: text(row.subject),
    issuer: text(row.issuer),
    source: text(row.source) === 'oidc' ? 'oidc' : 'admin',
    groups,
    policy: policyOf(row.policy),
    createdAt: number(row.created_at) ?? 0,
    disabledAt: number(row.disabled_at),
    lastLoginAt: number(row.last_login_at),
  });
}

function decodeGroup(row: StoredRow): GroupRecord {
  return withoutUndefined({
    name: text(row.name) ?? '',
    description: text(row.description),
    memberPolicy: policyOf(row.member_policy),
    dailyBudgetUsd: number(row.daily_budget_usd),
    monthlyBudgetUsd: number(row.monthly_budget_usd),
    createdAt: number(row.created_at) ?? 0,
  });
}

function decodeServiceToken(row: StoredRow): ServiceTokenRecord {
  return withoutUndefined({
    id: text(row.id) ?? '',
    name: text(row.name) ?? '',
    prefix: text(row.prefix) ?? '',
    hash: text(row.hash) ?? '',
    group: text(row.group_name) ?? '',
    createdAt: number(row.created_at) ?? 0,
    expiresAt: number(row.expires_at) ?? 0,
    revokedAt: number(row.revoked_at),
    lastUsedAt: number(row.last_used_at),
    description: text(row.description),
  });
}

function decodeSession(row: StoredRow): SessionRecord {
  return withoutUndefined({
    id: text(row.id) ?? '',
    userId: text(row.user_id) ?? '',
    createdAt: number(row.created_at) ?? 0,
    expiresAt: number(row.expires_at) ?? 0,
    revokedAt: number(row.revoked_at),
    lastRefreshedAt: number(row.last_refreshed_at),
  });
}

function decodeUiSession(row: StoredRow): UiSessionRecord {
  return withoutUndefined({
    id: text(row.id) ?? '',
    subject: text(row.subject) ?? '',
    via: text(row.via) === 'oidc' ? 'oidc' : 'admin-key',
    userId: text(row.user_id),
    createdAt: number(row.created_at) ?? 0,
    expiresAt: number(row.expires_at) ?? 0,
    endedAt: number(row.ended_at),
    clientAddress: text(row.client_address),
    userAgent: text(row.user_agent),
  });
}
