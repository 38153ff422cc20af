import { createHash } from 'node:crypto';
import type { StoreHealth } from '../store/store-health.js';
import type { ApiKeyRecord, SecretLookup, Store } from '../store/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import type { Logger } from './logger.js';

export interface KeyReadGuardOptions {
  /** Shared with `/readyz`: a read that fails marks the store down, so the next ones do not wait for it. */
  health?: StoreHealth;
  /** The longest a key or budget read on the request path may wait for the store. Default 2000 ms. */
  timeoutMs?: number;
  logger: Pick<Logger, 'warn'>;
  /** Last-known key lookups kept for an outage, at most. Default 10 000. */
  maxRemembered?: number;
}

const READS = new Set<PropertyKey>(['findKeyBySecret', 'lookupSecret', 'listKeys', 'spendSince']);

/**
 * The store as the request path reads it (key lookups, the "are keys
 * required" check, budgets): a read that fails or takes longer than
 * `timeoutMs` never becomes a 500 with the store's internals. Key lookups
 * answer from their last successful result while the store is unreachable
 * (the gateway keeps serving the keys it has seen; a key it has never seen
 * cannot be checked); without one, and for budgets, the client gets 503
 * `STORE_UNAVAILABLE` (retryable, no internal details) and the log gets the
 * cause, once per outage. Everything else goes to the store untouched.
 *
 * @example
 * const callers = new CallerAuth(guardKeyReads(store, { health, logger }));
 */
export function guardKeyReads(store: Store, options: KeyReadGuardOptions): Store {
  const timeoutMs = options.timeoutMs ?? 2000;
  const maxRemembered = options.maxRemembered ?? 10_000;
  const keysBySecret = new Map<string, ApiKeyRecord | undefined>();
  const lookups = new Map<string, SecretLookup | undefined>();
  const keyLists = new Map<string, ApiKeyRecord[]>();
  let failing = false;

  async function read<T>(
    what: string,
    query: () => Promise<T>,
    lastKnown: { has: boolean; value?: T },
    remember: (value: T) => void,
  ): Promise<T> {
    const recent = options.health?.recent();
    if (recent && !recent.ok && lastKnown.has) return lastKnown.value as T;
    if (recent && !recent.ok) throw GatewayError.fromCode('STORE_UNAVAILABLE');
    let timer: NodeJS.Timeout | undefined;
    try {
      const value = await Promise.race([
        query(),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(
            () => reject(new Error(`the store did not answer within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
      remember(value);
      if (failing) {
        failing = false;
        options.logger.warn({}, 'the store answers key and budget reads again');
      }
      return value;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      options.health?.report({ ok: false, reason });
      if (!failing) {
        failing = true;
        options.logger.warn(
          { err: error },
          `reading ${what} from the store failed (${reason}); until it answers, gateway keys seen before are checked against their last known state, and requests that need the store get 503`,
        );
      }
      if (lastKnown.has) return lastKnown.value as T;
      throw GatewayError.fromCode('STORE_UNAVAILABLE');
    } finally {
      clearTimeout(timer);
    }
  }

  /** Remembers the last answer for a secret (most recent last, at most `maxRemembered`). */
  function rememberer<T>(cache: Map<string, T>, id: string) {
    return {
      known: { has: cache.has(id), value: cache.get(id) },
      remember: (value: T) => {
        cache.delete(id);
        cache.set(id, value);
        if (cache.size > maxRemembered) {
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) cache.delete(oldest);
        }
      },
    };
  }
  const secretId = (secret: string) => createHash('sha256').update(secret).digest('base64url');

  const guarded: Pick<Store, 'findKeyBySecret' | 'lookupSecret' | 'listKeys' | 'spendSince'> = {
    findKeyBySecret(secret) {
      const { known, remember } = rememberer(keysBySecret, secretId(secret));
      return read('a gateway key', () => store.findKeyBySecret(secret), known, remember);
    },
    lookupSecret(secret) {
      const { known, remember } = rememberer(lookups, secretId(secret));
      return read('a gateway key', () => store.lookupSecret(secret), known, remember);
    },
    listKeys(listOptions) {
      const id = JSON.stringify(listOptions ?? {});
      return read(
        'the gateway keys',
        () => store.listKeys(listOptions),
        { has: keyLists.has(id), value: keyLists.get(id) },
        (keys) => keyLists.set(id, keys),
      );
    },
    spendSince(keyId, sinceMs) {
      return read(
        'a key budget',
        () => store.spendSince(keyId, sinceMs),
        { has: false },
        () => {},
      );
    },
  };

  return new Proxy(store, {
    get(target, property) {
      if (READS.has(property)) return guarded[property as keyof typeof guarded];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
