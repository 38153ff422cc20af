import type { Catalog } from '../catalog/catalog.js';
import { matcherOf } from '../catalog/model-matcher.js';
import { type ResolvedModel, resolveModel } from '../catalog/resolve.js';
import { type Clock, systemClock } from '../clock.js';
import type { Identities } from '../identity/identities.js';
import { looksLikeJwt } from '../identity/jwt-shape.js';
import type { CallerPolicy } from '../identity/policy.js';
import { SERVICE_TOKEN_PREFIX } from '../store/identity-sql-store.js';
import { StoreError } from '../store/store-error.js';
import type { ApiKeyRecord, SecretLookup, Store } from '../store/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import type { Exchange } from './exchange.js';

/** This gateway's URL as the client reached it, for `claude-gateway login --gateway URL` in messages. */
export function gatewayOf(exchange: Exchange): string {
  const host =
    exchange.header('x-forwarded-host') ?? exchange.header('host') ?? exchange.header(':authority');
  const secure = (exchange.request.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const scheme = exchange.header('x-forwarded-proto') ?? (secure ? 'https' : 'http');
  return host ? `${scheme}://${host}` : 'URL';
}

/** Who is calling: a gateway key, a signed-in user, a service token, or anyone when the gateway runs without credentials. */
export interface Caller {
  /** The credential for the log's key columns when it is not a gateway key (a sign-in session, a service token). */
  credential?: { id: string; name: string };
  /** The intersection of the policies of the key, user and groups (absent for a key of no user: its own settings hold). */
  policy?: CallerPolicy;
  key?: ApiKeyRecord;
  /** The person or service behind the credential, when known (OIDC sign-in, a user's key, a service token). */
  user?: { id: string; name: string; email?: string };
  /** The group whose policy and budget this request is charged to. */
  group?: string;
}

const KEY_CACHE_MS = 30_000;

/**
 * The credential a client sent, in whichever place its SDK puts one:
 * `x-api-key`, `Authorization: Bearer` (Anthropic SDKs, Claude Code, a Bedrock
 * API key, a Vertex access token), or the access key id of a SigV4
 * `Authorization` header (the AWS SDK with AWS_ACCESS_KEY_ID set to a gateway
 * key; the gateway cannot check the signature without the secret, so the key
 * id itself is the credential, as a bearer token is).
 */
export function presentedCredential(exchange: Exchange): string | undefined {
  const apiKey = exchange.header('x-api-key')?.trim();
  if (apiKey) return apiKey;
  const authorization = exchange.header('authorization')?.trim() ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  if (bearer) return bearer;
  const sigv4 = /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\//i.exec(authorization)?.[1];
  return sigv4 || undefined;
}

/**
 * Whether a key may use a model: by any of the model's names, an exact string, or a glob,
 * decided on the model the request resolves to (see ModelMatcher).
 */
export function modelAllowed(key: ApiKeyRecord, requested: string | ResolvedModel): boolean {
  return modelAllowedBy(key.allowedModels, requested);
}

/**
 * Whether an allowlist (of a key, a user or a group) lets a model through; none lets everything
 * through. A name is resolved in the built-in catalog; the gateway passes the model it resolved once.
 */
export function modelAllowedBy(
  allowed: readonly string[] | undefined,
  requested: string | ResolvedModel,
  catalog?: Catalog,
): boolean {
  if (!allowed || allowed.length === 0) return true;
  const resolved = typeof requested === 'string' ? resolveModel(requested) : requested;
  return matcherOf(allowed).matches(resolved, catalog);
}

/** Identity reads on the request path: a store that does not answer is a 503 to retry, never a 500 with its internals. */
async function storeOutage<Value>(read: () => Promise<Value>): Promise<Value> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof StoreError && (error.code === 'STORE_UNREACHABLE' || error.code === 'STORE_CLOSED'))
      throw GatewayError.fromCode('STORE_UNAVAILABLE');
    throw error;
  }
}

/** Whether a listening address is reachable only from this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** Last-used times are written at most this often per key and process. */
export const LAST_USED_WRITE_MS = 60_000;

/**
 * Gateway keys: looks a presented secret up (by hash, cached briefly), and
 * knows whether keys are required at all. They are once a key has existed in
 * the store, revoked or not: revoking the last key closes the gateway rather
 * than opening it. A store that never had a key leaves a loopback gateway
 * open; a gateway reachable beyond loopback in that state refuses everyone.
 *
 * Expiry and the end of a rotated secret's grace period are decided on every
 * request, on the injected clock, so the cache never lets an expired key
 * through. Key changes empty the cache: the admin API's at once, and on a
 * store shared between processes (Postgres) every change by any process, as
 * soon as its notification arrives.
 */
export class CallerAuth {
  private readonly cache = new Map<string, { found: SecretLookup | undefined; expires: number }>();
  private keysExist: { value: boolean; expires: number } | undefined;
  /** Set for good once a key was seen: nothing in the store can open the gateway again. */
  private hadKey = false;
  private readonly host: string;
  private readonly clock: Clock;
  /** When (on the clock) this process last wrote each key's last-used time. */
  private readonly lastUseWritten = new Map<string, number>();
  /**
   * Settles once the gateway hears key changes made by other processes: true
   * when it does (Postgres LISTEN), false when the store cannot tell it (SQLite:
   * other processes' changes arrive within the 30 s cache) or listening failed.
   */
  readonly watchingKeyChanges: Promise<boolean>;

  /** Sign-in tokens, service tokens and users (absent: keys only). */
  readonly identities: Identities | undefined;

  constructor(
    private readonly store: Store,
    options: {
      host?: string;
      clock?: Clock;
      onWatchError?: (error: unknown) => void;
      identities?: Identities;
    } = {},
  ) {
    this.host = options.host ?? '127.0.0.1';
    this.clock = options.clock ?? systemClock;
    this.identities = options.identities;
    const watch = store.watchKeyChanges?.(() => this.invalidate());
    this.watchingKeyChanges = watch
      ? watch.then(
          () => true,
          (error: unknown) => {
            options.onWatchError?.(error);
            return false;
          },
        )
      : Promise.resolve(false);
  }

  /** Whether callers need a key: once any key, even a revoked one, exists. Without one the gateway is open (and bound to loopback). */
  async keysRequired(): Promise<boolean> {
    if (this.hadKey) return true;
    if (await this.identities?.credentialsRequired()) return true;
    // Checked again after a while: `claude-gateway keys create` in another process must close an open gateway.
    const now = Date.now();
    if (this.keysExist === undefined || this.keysExist.expires <= now) {
      const value = (await this.store.listKeys({ includeRevoked: true })).length > 0;
      this.keysExist = { value, expires: now + KEY_CACHE_MS };
      if (value) this.hadKey = true;
    }
    return this.keysExist.value;
  }

  /** Forget cached lookups after keys change (create, revoke, rotate, update). */
  invalidate(): void {
    this.cache.clear();
    this.keysExist = undefined;
    this.identities?.invalidate();
  }

  /** Identifies the caller, or throws the dialect-neutral error to answer with. */
  async identify(exchange: Exchange): Promise<Caller> {
    const secret = presentedCredential(exchange);
    if (!(await this.keysRequired())) {
      // Open is only ever safe on loopback; whenever this state arises elsewhere, refuse everyone.
      if (!isLoopbackHost(this.host))
        throw GatewayError.fromCode('OPEN_BEYOND_LOOPBACK', { host: this.host });
      return {};
    }
    if (!secret) throw GatewayError.fromCode('MISSING_API_KEY');
    if (this.identities && (looksLikeJwt(secret) || secret.startsWith(SERVICE_TOKEN_PREFIX))) {
      const identities = this.identities;
      const caller = await storeOutage(() =>
        looksLikeJwt(secret)
          ? identities.callerForGatewayToken(secret, gatewayOf(exchange))
          : identities.callerForServiceToken(secret),
      );
      if (caller) return caller;
      throw GatewayError.fromCode('INVALID_API_KEY');
    }
    // The cache's lifetime is elapsed time; whether a key has expired is a date, on the clock.
    const elapsed = Date.now();
    const cached = this.cache.get(secret);
    let found = cached && cached.expires > elapsed ? cached.found : undefined;
    if (!cached || cached.expires <= elapsed) {
      found = await this.store.lookupSecret(secret);
      this.cache.set(secret, { found, expires: elapsed + KEY_CACHE_MS });
      if (this.cache.size > 10_000) this.cache.clear();
    }
    const key = found?.key;
    if (!found || !key || key.revokedAt !== undefined) throw GatewayError.fromCode('INVALID_API_KEY');
    const now = this.clock();
    if (found.rotated && now >= found.rotated.validUntil) {
      throw GatewayError.fromCode('ROTATED_API_KEY', {
        name: key.name,
        rotatedAt: new Date(found.rotated.at).toISOString(),
        endedAt: new Date(found.rotated.validUntil).toISOString(),
      });
    }
    if (key.expiresAt !== undefined && now >= key.expiresAt) {
      throw GatewayError.fromCode('EXPIRED_API_KEY', {
        name: key.name,
        expiredAt: new Date(key.expiresAt).toISOString(),
      });
    }
    this.noteUse(key.id, now);
    const identities = this.identities;
    if (key.userId && identities)
      return storeOutage(() => identities.callerForUserKey({ ...key, userId: key.userId as string }));
    return { key };
  }

  /** Writes a key's last-used time, at most once a minute per key: a map lookup per request, not a write. */
  private noteUse(keyId: string, now: number): void {
    const written = this.lastUseWritten.get(keyId);
    if (written !== undefined && now - written < LAST_USED_WRITE_MS && now >= written) return;
    this.lastUseWritten.set(keyId, now);
    if (this.lastUseWritten.size > 10_000) this.lastUseWritten.clear();
    // A store that cannot take it now (busy, unreachable) gets the next minute's.
    this.store.recordKeyUse(keyId, now).catch(() => {});
  }
}
