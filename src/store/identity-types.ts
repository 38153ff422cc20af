import type { Residency } from './types.js';

/**
 * Limits and rules for one person or service. Left out: no rule of that kind.
 * A user's effective policy is the intersection of theirs and their groups'
 * (see `src/identity/policy.ts`): the most restrictive wins.
 */
export interface MemberPolicy {
  /** Models the member may use (names, aliases, ids, globs). */
  allowedModels?: string[];
  /** Only targets inside this geography. */
  residency?: Residency;
  /** US dollars per UTC day. */
  dailyBudgetUsd?: number;
  /** US dollars per UTC month. */
  monthlyBudgetUsd?: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

/** A person: signed in through the identity provider, or created by an administrator. */
export interface UserRecord {
  /** `usr_` and 16 hex characters. */
  id: string;
  /** What listings and messages show: the e-mail, else the IdP's name, else the subject. */
  name: string;
  email?: string;
  /** The IdP's `sub`, with its `iss`: set once the user signed in. */
  subject?: string;
  issuer?: string;
  /** `oidc`: made at first sign-in; `admin`: created by an administrator. */
  source: 'oidc' | 'admin';
  /** Group names in order; the first the gateway has is the one a request is charged to. For IdP users, the IdP's groups as of the last sign-in. */
  groups: string[];
  /** The user's own rules, intersected with their groups'. */
  policy: MemberPolicy;
  createdAt: number;
  /** Set: the user's sign-ins, sessions and keys are refused. */
  disabledAt?: number;
  lastLoginAt?: number;
}

/** What an administrator gives to create a user. */
export interface NewUser {
  name: string;
  email?: string;
  groups?: string[];
  policy?: MemberPolicy;
}

/** Changes to a user: a field left out stays; in `policy`, `null` removes a rule. */
export interface UserChanges {
  name?: string;
  email?: string | null;
  groups?: string[];
  policy?: PolicyChanges;
  disabled?: boolean;
}

/** A group: policy for each member, and budgets for all of them together. */
export interface GroupRecord {
  name: string;
  description?: string;
  /** Each member's rules (budgets here are per member). */
  memberPolicy: MemberPolicy;
  /** The whole group's spend per UTC day. */
  dailyBudgetUsd?: number;
  /** The whole group's spend per UTC month. */
  monthlyBudgetUsd?: number;
  createdAt: number;
}

export interface NewGroup {
  name: string;
  description?: string;
  memberPolicy?: MemberPolicy;
  dailyBudgetUsd?: number;
  monthlyBudgetUsd?: number;
}

export type PolicyChanges = { [Field in keyof MemberPolicy]?: MemberPolicy[Field] | null };

export interface GroupChanges {
  description?: string | null;
  memberPolicy?: PolicyChanges;
  dailyBudgetUsd?: number | null;
  monthlyBudgetUsd?: number | null;
}

/** A non-human credential for CI and applications: held to one group's policy, with an expiry. */
export interface ServiceTokenRecord {
  /** `svc_` and 16 hex characters. */
  id: string;
  name: string;
  /** The first 9 characters of the secret, for display. */
  prefix: string;
  /** sha256 of the secret, lowercase hex. */
  hash: string;
  group: string;
  createdAt: number;
  expiresAt: number;
  revokedAt?: number;
  lastUsedAt?: number;
  description?: string;
}

export interface NewServiceToken {
  name: string;
  group: string;
  /** ms since the epoch; required: a service token always ends. */
  expiresAt: number;
  description?: string;
}

/** A sign-in: the refresh token's session. Gateway tokens name it (`sid`), so ending it ends them. */
export interface SessionRecord {
  /** `ses_` and 16 hex characters: also the credential id in the activity log. */
  id: string;
  userId: string;
  createdAt: number;
  /** The refresh token stops working then; the user signs in again. */
  expiresAt: number;
  revokedAt?: number;
  lastRefreshedAt?: number;
}

/** A dashboard sign-in (`/ui`): its cookie names it, so ending it here ends it on every replica. */
export interface UiSessionRecord {
  /** `uis_` and 16 hex characters. */
  id: string;
  /** `admin` for the admin key; the user's name with OIDC. */
  subject: string;
  via: 'admin-key' | 'oidc';
  /** The signed-in user, with OIDC. */
  userId?: string;
  createdAt: number;
  expiresAt: number;
  /** Set: signed out, ended by an administrator, or the user was disabled. */
  endedAt?: number;
  clientAddress?: string;
  userAgent?: string;
}

/** What starts a dashboard session. */
export interface NewUiSession {
  subject: string;
  via: 'admin-key' | 'oidc';
  userId?: string;
  expiresAt: number;
  clientAddress?: string;
  userAgent?: string;
}

/**
 * Users, groups, service tokens and sign-in sessions, beside the gateway keys
 * in the same store. Changes are announced like key changes (Postgres NOTIFY),
 * so every replica drops what it cached at once.
 */
export interface IdentityStore {
  /** Creates or refreshes the user an IdP sign-in names (by issuer and subject); their groups become the IdP's. */
  upsertSignedInUser(
    input: { issuer: string; subject: string; email?: string; name?: string; groups: string[] },
    now: number,
  ): Promise<UserRecord>;
  createUser(input: NewUser, now: number): Promise<UserRecord>;
  /** The user with this id, e-mail, name or subject. */
  findUser(reference: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  /** Disabling a user also ends their sessions and dashboard sessions. */
  updateUser(reference: string, changes: UserChanges, now: number): Promise<UserRecord | undefined>;
  /**
   * Removes a user nothing refers to; a user whose keys, sign-ins or log rows
   * name them is disabled instead (so the log keeps saying who it was).
   * Undefined when no user matches.
   */
  deleteUser(reference: string, now: number): Promise<{ user: UserRecord; deleted: boolean } | undefined>;

  createGroup(input: NewGroup, now: number): Promise<GroupRecord>;
  findGroup(name: string): Promise<GroupRecord | undefined>;
  listGroups(): Promise<GroupRecord[]>;
  updateGroup(name: string, changes: GroupChanges): Promise<GroupRecord | undefined>;
  deleteGroup(name: string): Promise<GroupRecord | undefined>;

  /** The secret (`cgwt_…`) is returned once; only its hash is kept. */
  createServiceToken(
    input: NewServiceToken,
    now: number,
  ): Promise<{ record: ServiceTokenRecord; secret: string }>;
  listServiceTokens(options?: { includeRevoked?: boolean }): Promise<ServiceTokenRecord[]>;
  /** By id, name or prefix (active tokens). */
  revokeServiceToken(reference: string, now: number): Promise<ServiceTokenRecord | undefined>;
  /** The token a secret belongs to, revoked and expired ones included (so the refusal can say why). */
  lookupServiceToken(secret: string): Promise<ServiceTokenRecord | undefined>;
  recordServiceTokenUse(id: string, at: number): Promise<void>;

  /** A new sign-in session; the refresh token is returned once, only its hash is kept. */
  createSession(
    userId: string,
    expiresAt: number,
    now: number,
  ): Promise<{ record: SessionRecord; refreshToken: string }>;
  findSession(id: string): Promise<SessionRecord | undefined>;
  /** The session a refresh token belongs to (revoked and expired ones included). */
  lookupRefreshToken(refreshToken: string): Promise<SessionRecord | undefined>;
  noteRefresh(id: string, at: number): Promise<void>;
  revokeSession(id: string, now: number): Promise<SessionRecord | undefined>;

  /** Starts a dashboard session (not announced: a new id is in no cache). */
  createUiSession(input: NewUiSession, now: number): Promise<UiSessionRecord>;
  findUiSession(id: string): Promise<UiSessionRecord | undefined>;
  /** Dashboard sessions, newest first (at most 1000): the ones not ended (expired ones included), or with `includeEnded` all. */
  listUiSessions(options?: { includeEnded?: boolean }): Promise<UiSessionRecord[]>;
  /** Ends a dashboard session (signed out, or by an administrator); undefined when there is none. */
  endUiSession(id: string, now: number): Promise<UiSessionRecord | undefined>;

  /** Whether a user or a service token has ever been created: then every caller needs a credential. */
  credentialsExist(): Promise<boolean>;
  /**
   * The key gateway tokens are signed with: made once (32 random bytes) and
   * shared by every replica through the store.
   */
  tokenSigningSecret(): Promise<Uint8Array>;
  /** What a user's credentials (their keys and sessions) spent since a time, by the activity log. */
  userSpendSince(userId: string, sinceMs: number): Promise<number>;
  /** What a group's members' credentials and its service tokens spent since a time, by the activity log. */
  groupSpendSince(group: string, sinceMs: number): Promise<number>;
  /** What a service token spent since a time. */
  serviceTokenSpendSince(id: string, sinceMs: number): Promise<number>;
}
