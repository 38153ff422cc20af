import type { IdentityStore } from '../store/identity-types.js';
import { StoreError } from '../store/store-error.js';
import type { StoreHealth } from '../store/store-health.js';
import type { Store } from '../store/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import type { Logger } from './logger.js';

/** The admin API's reads: answered from their last good result while the store is away. */
const READS = [
  'listKeys',
  'queryRequests',
  'getRequest',
  'attemptsOf',
  'summarize',
  'sessions',
  'report',
] as const;
/** The admin API's writes: refused with 503 while the store is away (nothing is queued). */
const WRITES = ['createKey', 'updateKey', 'rotateKey', 'revokeKey'] as const;

/** Users, groups and service tokens: the same rule. */
const IDENTITY_READS = [
  'listUsers',
  'findUser',
  'listGroups',
  'findGroup',
  'listServiceTokens',
  'listUiSessions',
] as const;
const IDENTITY_WRITES = [
  'createUser',
  'updateUser',
  'deleteUser',
  'createGroup',
  'updateGroup',
  'deleteGroup',
  'createServiceToken',
  'revokeServiceToken',
  'endUiSession',
] as const;

type ReadName = (typeof READS)[number];
type WriteName = (typeof WRITES)[number];
export type AdminIdentityStore = Pick<
  IdentityStore,
  (typeof IDENTITY_READS)[number] | (typeof IDENTITY_WRITES)[number]
>;
export type AdminStore = Pick<Store, ReadName | WriteName> & { readonly identity: AdminIdentityStore };

export interface AdminStoreOptions {
  /** Shared with `/readyz` and the request path: once a call fails, the next ones do not wait for the store. */
  health?: StoreHealth;
  /** The longest one admin call waits for the store. Default 2000 ms. */
  timeoutMs?: number;
  logger: Pick<Logger, 'warn'>;
  /** Last good answers kept, at most (one per distinct query). Default 200. */
  maxRemembered?: number;
}

function unavailable(message: string): GatewayError {
  return new GatewayError({
    status: 503,
    type: 'overloaded_error',
    code: 'STORE_UNAVAILABLE',
    platform: 'gateway',
    message,
  });
}

/**
 * The store as the admin API uses it while Postgres may be away. A read that
 * fails, or does not answer within `timeoutMs`, is answered with the last good
 * answer to the same query (`staleSince(answer)` tells when that was), or 503
 * `STORE_UNAVAILABLE` when there is none. A write gets 503 `STORE_UNAVAILABLE`
 * at once while the store is known to be down. The client never sees the
 * driver's message or an address; the log gets the cause, once per outage.
 * A `StoreError` (a misspelt field, a name in use) is the caller's mistake
 * and passes through.
 *
 * @example
 * const admin = guardAdminStore(store, { health, logger });
 * const keys = await admin.listKeys(); // the last list read, while Postgres is down
 */
export function guardAdminStore(
  store: Store,
  options: AdminStoreOptions,
): AdminStore & { staleSince(answer: unknown): number | undefined } {
  const timeoutMs = options.timeoutMs ?? 2000;
  const maxRemembered = options.maxRemembered ?? 200;
  const lastGood = new Map<string, { value: unknown; at: number }>();
  const stale = new WeakMap<object, number>();
  let failing = false;

  async function call<T>(run: () => Promise<T>): Promise<T> {
    const recent = options.health?.recent();
    if (recent && !recent.ok) throw new StoreDown(recent.reason);
    let timer: NodeJS.Timeout | undefined;
    try {
      const value = await Promise.race([
        run(),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(
            () => reject(new Error(`the store did not answer within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
      if (failing) {
        failing = false;
        options.logger.warn({}, 'the store answers the admin API again');
      }
      return value;
    } catch (error) {
      // A name in use or a misspelt field is the caller's to fix; an unreachable store is an outage.
      if (error instanceof GatewayError) throw error;
      if (error instanceof StoreError && error.code !== 'STORE_UNREACHABLE') throw error;
      const reason = error instanceof Error ? error.message : String(error);
      options.health?.report({ ok: false, reason });
      if (!failing) {
        failing = true;
        options.logger.warn(
          { err: error },
          `the admin API cannot reach the store (${reason}); until it answers, admin reads show the last answer read and changes get 503`,
        );
      }
      throw new StoreDown(reason);
    } finally {
      clearTimeout(timer);
    }
  }

  /** `target`'s reads answered from their last good answer, and its writes refused with 503, while the store is away. */
  function guard(
    target: object,
    reads: readonly string[],
    writes: readonly string[],
    what: { namespace: string; changes: string; listing: string },
  ): Record<string, unknown> {
    const methods = target as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const guarded: Record<string, unknown> = {};
    for (const name of reads) {
      guarded[name] = async (...args: unknown[]) => {
        const id = `${what.namespace}${name}:${JSON.stringify(args)}`;
        try {
          const value = await call(() =>
            (methods[name] as (...a: unknown[]) => Promise<unknown>).apply(target, args),
          );
          lastGood.delete(id);
          lastGood.set(id, { value, at: Date.now() });
          if (lastGood.size > maxRemembered) {
            const oldest = lastGood.keys().next().value;
            if (oldest !== undefined) lastGood.delete(oldest);
          }
          return value;
        } catch (error) {
          if (!(error instanceof StoreDown)) throw error;
          const known = lastGood.get(id);
          if (!known)
            throw unavailable(
              'The gateway cannot read this right now: its store does not answer, and it has no earlier answer to this query. Retry shortly.',
            );
          // An answer with no object to mark (a missing request) is shown as it was, unmarked.
          if (known.value !== null && typeof known.value === 'object') stale.set(known.value, known.at);
          return known.value;
        }
      };
    }
    for (const name of writes) {
      guarded[name] = async (...args: unknown[]) => {
        try {
          return await call(() =>
            (methods[name] as (...a: unknown[]) => Promise<unknown>).apply(target, args),
          );
        } catch (error) {
          if (!(error instanceof StoreDown)) throw error;
          throw unavailable(
            `The gateway cannot change ${what.changes} right now: its store does not answer. Retry when it is back; ${what.listing} then shows whether the change was made.`,
          );
        }
      };
    }
    return guarded;
  }

  const guarded: Record<string, unknown> = {
    ...guard(store, READS, WRITES, { namespace: '', changes: 'keys', listing: 'GET /admin/keys' }),
    identity: guard(store.identity, IDENTITY_READS, IDENTITY_WRITES, {
      namespace: 'identity.',
      changes: 'users, groups or service tokens',
      listing: 'GET /admin/users, /admin/groups or /admin/tokens',
    }),
    staleSince: (answer: unknown) =>
      answer !== null && typeof answer === 'object' ? stale.get(answer) : undefined,
  };
  return guarded as unknown as AdminStore & { staleSince(answer: unknown): number | undefined };
}

/** The store did not answer (the cause is logged, never shown). */
class StoreDown extends Error {}
