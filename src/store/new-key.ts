import { closestName } from '../catalog/closest-name.js';
import { displayPrefix, generateKeyId, generateSecret, hashSecret } from './key-secrets.js';
import { StoreError } from './store-error.js';
import {
  type ApiKeyChanges,
  type ApiKeyRecord,
  type CreatedApiKey,
  type NewApiKey,
  RESIDENCIES,
} from './types.js';

const KEY_FIELDS: readonly string[] = [
  'name',
  'allowedModels',
  'residency',
  'monthlyBudgetUsd',
  'requestsPerMinute',
  'tokensPerMinute',
  'metadata',
  'expiresAt',
  'userId',
] satisfies readonly (keyof NewApiKey)[];

type Verb = 'create' | 'update';

/**
 * Checks what a caller asked for and makes the key: id, secret, prefix and
 * hash. Both backends store the record it returns; the secret goes back to
 * the caller only.
 *
 * @example
 * const { record, secret } = buildNewKey({ name: 'ci', monthlyBudgetUsd: 50 });
 * record.hash === hashSecret(secret) // true
 */
export function buildNewKey(input: NewApiKey, now = Date.now()): CreatedApiKey {
  checkFields(input, 'create');
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name === '') throw invalid('create', 'a key needs a non-empty name');
  checkSettings(input, 'create', now);
  const secret = generateSecret();
  const record: ApiKeyRecord = {
    id: generateKeyId(),
    name,
    prefix: displayPrefix(secret),
    hash: hashSecret(secret),
    createdAt: now,
  };
  if (input.allowedModels !== undefined) record.allowedModels = [...input.allowedModels];
  if (input.residency !== undefined) record.residency = input.residency;
  if (input.monthlyBudgetUsd !== undefined) record.monthlyBudgetUsd = input.monthlyBudgetUsd;
  if (input.requestsPerMinute !== undefined) record.requestsPerMinute = input.requestsPerMinute;
  if (input.tokensPerMinute !== undefined) record.tokensPerMinute = input.tokensPerMinute;
  if (input.metadata !== undefined) record.metadata = { ...input.metadata };
  if (input.expiresAt !== undefined) record.expiresAt = input.expiresAt;
  if (input.userId !== undefined) record.userId = input.userId;
  return { record, secret };
}

/**
 * A key with changes applied, checked like a new key's settings (a misspelt
 * field is refused, naming it): a field left out stays, `null` removes it.
 *
 * @example
 * applyKeyChanges(key, { monthlyBudgetUsd: 100, residency: null }) // budget 100, no residency
 */
export function applyKeyChanges(
  current: ApiKeyRecord,
  changes: ApiKeyChanges,
  now = Date.now(),
): ApiKeyRecord {
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) {
    throw invalid('update', 'the changes must be an object such as {"monthlyBudgetUsd": 100}');
  }
  checkFields(changes, 'update');
  if (Object.keys(changes).length === 0) {
    throw invalid('update', `nothing to change; give one or more of ${KEY_FIELDS.join(', ')}`);
  }
  const next: Record<string, unknown> = { ...current };
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (field === 'name') {
      const name = typeof value === 'string' ? value.trim() : '';
      if (name === '') throw invalid('update', 'a key needs a non-empty name');
      next.name = name;
    } else if (value === null) {
      delete next[field];
    } else {
      next[field] = field === 'allowedModels' ? [...(value as string[])] : value;
    }
  }
  const settings = Object.fromEntries(
    Object.entries(changes).filter(([field, value]) => field !== 'name' && value !== null),
  ) as NewApiKey;
  checkSettings(settings, 'update', now);
  return next as unknown as ApiKeyRecord;
}

function checkFields(input: object, verb: Verb): void {
  // A misspelt limit (`residancy`) must not create (or leave) a key without it.
  for (const field of Object.keys(input)) {
    if (!KEY_FIELDS.includes(field)) {
      const near = closestName(field, KEY_FIELDS, 3);
      throw invalid(
        verb,
        `unknown field "${field}"${near ? `; did you mean "${near}"?` : `; the fields are ${KEY_FIELDS.join(', ')}`}`,
      );
    }
  }
}

function checkSettings(input: Partial<NewApiKey>, verb: Verb, now: number): void {
  if (input.residency !== undefined && !RESIDENCIES.includes(input.residency)) {
    throw invalid(verb, `residency must be one of ${RESIDENCIES.join(', ')}; got ${String(input.residency)}`);
  }
  if (
    input.allowedModels !== undefined &&
    (!Array.isArray(input.allowedModels) || input.allowedModels.some((model) => typeof model !== 'string'))
  ) {
    throw invalid(verb, 'allowedModels must be a list of model names');
  }
  for (const field of ['monthlyBudgetUsd', 'requestsPerMinute', 'tokensPerMinute'] as const) {
    const value = input[field];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw invalid(verb, `${field} must be a number of 0 or more; got ${String(value)}`);
    }
  }
  if (
    input.metadata !== undefined &&
    (typeof input.metadata !== 'object' || input.metadata === null || Array.isArray(input.metadata))
  ) {
    throw invalid(verb, 'metadata must be an object');
  }
  if (input.userId !== undefined && (typeof input.userId !== 'string' || input.userId.trim() === '')) {
    throw invalid(verb, 'userId must be the id of a user (see claude-gateway users list)');
  }
  const expiresAt = input.expiresAt;
  if (expiresAt !== undefined) {
    if (!(typeof expiresAt === 'number' && Number.isFinite(expiresAt))) {
      throw invalid(verb, `expiresAt must be a time (ms since the epoch); got ${String(expiresAt)}`);
    }
    if (expiresAt <= now) {
      throw invalid(
        verb,
        `expiresAt ${new Date(expiresAt).toISOString()} is not in the future (now ${new Date(now).toISOString()}); to end a key now, revoke it`,
      );
    }
  }
}

function invalid(verb: Verb, message: string): StoreError {
  return new StoreError(
    `Cannot ${verb} the key: ${message}${message.endsWith('?') ? '' : '.'}`,
    'INVALID_KEY_INPUT',
  );
}
