import { createHash } from 'node:crypto';
import type { Caller } from '../gateway/callers.js';
import type {
  GroupRecord,
  IdentityStore,
  SessionRecord,
  UiSessionRecord,
  UserRecord,
} from '../store/identity-types.js';
import type { ApiKeyRecord } from '../store/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import type { IdentityProvider } from './identity-provider.js';
import type { OidcSettings } from './oidc-settings.js';
import { serviceTokenPolicy, userPolicy } from './policy.js';

/** How long a read is kept when nothing announces changes (SQLite): as for keys. */
const CACHE_MS = 30_000;
/** The longest a dashboard session check waits for the store before the last answer read here is used. */
const UI_SESSION_READ_TIMEOUT_MS = 2000;

interface Cached<Value> {
  value: Value;
  expires: number;
}

/** A small time-bounded cache, emptied whenever identities change. */
class TimedCache<Value> {
  private readonly entries = new Map<string, Cached<Value>>();

  async get(id: string, load: () => Promise<Value>): Promise<Value> {
    const now = Date.now();
    const cached = this.entries.get(id);
    if (cached && cached.expires > now) return cached.value;
    const value = await load();
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(id, { value, expires: now + CACHE_MS });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

function userSummary(user: UserRecord): NonNullable<Caller['user']> {
  return { id: user.id, name: user.name, ...(user.email ? { email: user.email } : {}) };
}

/**
 * Turns sign-in tokens, service tokens and users' keys into callers: who they
 * are, the group they are charged to, and the policy that holds for them.
 * Reads are cached briefly and dropped at once when identities change (the
 * admin API here, or any process through the store's notifications), so a
 * revocation or a policy change reaches this gateway within that moment.
 */
export class Identities {
  private readonly users = new TimedCache<UserRecord | undefined>();
  private readonly sessions = new TimedCache<SessionRecord | undefined>();
  private readonly tokens = new TimedCache<Awaited<ReturnType<IdentityStore['lookupServiceToken']>>>();
  private readonly groupTable = new TimedCache<Map<string, GroupRecord>>();
  private readonly existence = new TimedCache<boolean>();
  private readonly uiSessions = new TimedCache<UiSessionRecord | undefined>();
  /** Each dashboard session's last answer from the store, for an outage (see `uiSession`). */
  private readonly uiSessionsLastRead = new Map<string, UiSessionRecord | undefined>();
  /** Set for good once a user or service token was seen, as for keys: nothing can open the gateway again. */
  private hadCredentials = false;
  private readonly lastUseWritten = new Map<string, number>();

  constructor(
    readonly store: IdentityStore,
    readonly options: { clock: () => number; oidc?: OidcSettings; provider?: IdentityProvider },
  ) {}

  invalidate(): void {
    this.users.clear();
    this.sessions.clear();
    this.tokens.clear();
    this.groupTable.clear();
    this.existence.clear();
    this.uiSessions.clear();
  }

  /**
   * A dashboard session as the store has it (ended, or still open), read at
   * most once per cache period and again whenever identities change. While
   * the store does not answer (an error, or no answer within 2 s), the last
   * answer read on this replica holds: a session it has seen stays as it was
   * (open, or ended), one it has never seen gets 503 `STORE_UNAVAILABLE`. So a
   * Postgres outage does not sign out whoever is already looking at the
   * dashboard, and an ending made during the outage holds once it is back.
   */
  async uiSession(id: string): Promise<UiSessionRecord | undefined> {
    try {
      return await this.uiSessions.get(id, async () => {
        const record = await withTimeout(this.store.findUiSession(id), UI_SESSION_READ_TIMEOUT_MS);
        if (this.uiSessionsLastRead.size > 10_000) this.uiSessionsLastRead.clear();
        this.uiSessionsLastRead.set(id, record);
        return record;
      });
    } catch {
      if (this.uiSessionsLastRead.has(id)) return this.uiSessionsLastRead.get(id);
      throw new GatewayError({
        status: 503,
        type: 'overloaded_error',
        code: 'STORE_UNAVAILABLE',
        platform: 'gateway',
        message:
          'The gateway cannot check your dashboard sign-in right now: its store does not answer. Retry shortly.',
      });
    }
  }

  /** Whether every caller needs a credential because of sign-in or identities (keys are `CallerAuth`'s part). */
  async credentialsRequired(): Promise<boolean> {
    if (this.options.oidc || this.hadCredentials) return true;
    const exist = await this.existence.get('any', () => this.store.credentialsExist());
    if (exist) this.hadCredentials = true;
    return exist;
  }

  groups(): Promise<Map<string, GroupRecord>> {
    return this.groupTable.get('all', async () => {
      const list = await this.store.listGroups();
      return new Map(list.map((group) => [group.name, group]));
    });
  }

  user(id: string): Promise<UserRecord | undefined> {
    return this.users.get(id, () => this.store.findUser(id));
  }

  /** The caller a gateway token names, after its signature, expiry, session and user are checked. */
  async callerForGatewayToken(token: string, gateway: string): Promise<Caller> {
    const secret = await this.store.tokenSigningSecret();
    const now = this.options.clock();
    // jose loads with the first gateway token, not at start (most gateways have only keys).
    const { verifyGatewayToken } = await import('./gateway-tokens.js');
    const claims = await verifyGatewayToken(token, secret, now, {
      gateway,
      ...(this.options.provider ? { idpIssuer: this.options.provider.issuer } : {}),
    });
    const session = await this.sessions.get(claims.sessionId, () => this.store.findSession(claims.sessionId));
    if (!session || session.userId !== claims.userId) {
      throw GatewayError.fromCode('SIGN_IN_ENDED', {
        reason: 'This sign-in is not known to the gateway (its session is gone).',
        gateway,
      });
    }
    if (session.revokedAt !== undefined) {
      throw GatewayError.fromCode('SIGN_IN_ENDED', {
        reason: `This sign-in was ended at ${new Date(session.revokedAt).toISOString()} (signed out, or ended by an administrator).`,
        gateway,
      });
    }
    const user = await this.user(claims.userId);
    if (!user) {
      throw GatewayError.fromCode('SIGN_IN_ENDED', {
        reason: 'The signed-in user no longer exists.',
        gateway,
      });
    }
    if (user.disabledAt !== undefined) throw GatewayError.fromCode('USER_DISABLED', { name: user.name });
    const { policy, group } = userPolicy(user, await this.groups(), this.store);
    return {
      credential: { id: session.id, name: user.name },
      policy,
      user: userSummary(user),
      ...(group ? { group: group.name } : user.groups[0] ? { group: user.groups[0] } : {}),
    };
  }

  /** The caller a service token secret belongs to, or the 401 saying why it is refused; undefined when it is none. */
  async callerForServiceToken(secret: string): Promise<Caller | undefined> {
    const id = createHash('sha256').update(secret).digest('base64url');
    const token = await this.tokens.get(id, () => this.store.lookupServiceToken(secret));
    if (!token) return undefined;
    if (token.revokedAt !== undefined) {
      throw GatewayError.fromCode('SERVICE_TOKEN_REVOKED', {
        name: token.name,
        revokedAt: new Date(token.revokedAt).toISOString(),
      });
    }
    const now = this.options.clock();
    if (now >= token.expiresAt) {
      throw GatewayError.fromCode('SERVICE_TOKEN_EXPIRED', {
        name: token.name,
        group: token.group,
        expiredAt: new Date(token.expiresAt).toISOString(),
      });
    }
    this.noteUse(token.id, now, () => this.store.recordServiceTokenUse(token.id, now));
    const group = (await this.groups()).get(token.group);
    return {
      credential: { id: token.id, name: token.name },
      policy: serviceTokenPolicy(token, group, this.store),
      user: { id: token.id, name: token.name },
      group: token.group,
    };
  }

  /** A gateway key that belongs to a user: the user's and their groups' policy hold too. */
  async callerForUserKey(key: ApiKeyRecord & { userId: string }): Promise<Caller> {
    const user = await this.user(key.userId);
    if (!user) {
      throw GatewayError.fromCode('SIGN_IN_ENDED', {
        reason: `The user the key "${key.name}" belongs to no longer exists.`,
        gateway: 'URL',
      });
    }
    if (user.disabledAt !== undefined) throw GatewayError.fromCode('USER_DISABLED', { name: user.name });
    const { policy, group } = userPolicy(user, await this.groups(), this.store, key);
    return {
      key,
      policy,
      user: userSummary(user),
      ...(group ? { group: group.name } : user.groups[0] ? { group: user.groups[0] } : {}),
    };
  }

  /** Last use written at most once a minute per credential and process. */
  private noteUse(id: string, now: number, write: () => Promise<void>): void {
    const written = this.lastUseWritten.get(id);
    if (written !== undefined && now - written < 60_000 && now >= written) return;
    this.lastUseWritten.set(id, now);
    if (this.lastUseWritten.size > 10_000) this.lastUseWritten.clear();
    write().catch(() => {});
  }
}

function withTimeout<Value>(promise: Promise<Value>, ms: number): Promise<Value> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the store did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
