import { StoreError } from './store-error.js';
import type { ApiKeyRecord } from './types.js';

/**
 * Which of the active keys matching a reference (by id, name or prefix) it
 * means: an id wins, then a name (unique among active keys), then a prefix
 * that only one key has. Two keys with the same prefix are an error that
 * asks for the id.
 *
 * @example
 * pickKeyByReference([ci, deploy], 'ci') // ci (matched by name)
 */
export function pickKeyByReference(
  candidates: readonly ApiKeyRecord[],
  reference: string,
): ApiKeyRecord | undefined {
  const byId = candidates.find((key) => key.id === reference);
  if (byId) return byId;
  const byName = candidates.find((key) => key.name === reference);
  if (byName) return byName;
  const byPrefix = candidates.filter((key) => key.prefix === reference);
  if (byPrefix.length > 1) {
    throw new StoreError(
      `${byPrefix.length} active keys start with ${reference} (${byPrefix.map((key) => key.id).join(', ')}); give the key id instead.`,
      'AMBIGUOUS_KEY',
    );
  }
  return byPrefix[0];
}

/**
 * The key a filter of the activity log means (`logs --key`, `GET
 * /admin/requests?key=`): revoked keys count, since their requests stay in the
 * log. An id wins, then a name (the active key of that name, else the newest
 * key that had it), then a prefix that only one key has.
 *
 * @example
 * keyForFilter(await store.listKeys({ includeRevoked: true }), 'ci')?.id // 'key_5f0c…'
 */
export function keyForFilter(keys: readonly ApiKeyRecord[], reference: string): ApiKeyRecord | undefined {
  const byId = keys.find((key) => key.id === reference);
  if (byId) return byId;
  const named = keys.filter((key) => key.name === reference);
  const byName =
    named.find((key) => key.revokedAt === undefined) ??
    named.toSorted((a, b) => b.createdAt - a.createdAt)[0];
  if (byName) return byName;
  const byPrefix = keys.filter((key) => key.prefix === reference);
  if (byPrefix.length > 1) {
    throw new StoreError(
      `${byPrefix.length} keys start with ${reference} (${byPrefix.map((key) => key.id).join(', ')}); give the key id instead.`,
      'AMBIGUOUS_KEY',
    );
  }
  return byPrefix[0];
}
