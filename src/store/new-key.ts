import { closestName } from '../catalog/closest-name.js';
import { displayPrefix, generateKeyId, generateSecret, hashSecret } from './key-secrets.js';
import { StoreError } from './store-error.js';
import { type ApiKeyRecord, type CreatedApiKey, type NewApiKey, RESIDENCIES } from './types.js';

const KEY_FIELDS: readonly string[] = [
  'name',
  'allowedModels',
  'residency',
  'monthlyBudgetUsd',
  'requestsPerMinute',
  'tokensPerMinute',
  'metadata',
] satisfies readonly (keyof NewApiKey)[];

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
  // A misspelt limit (`residancy`) must not create a key without it.
  for (const field of Object.keys(input)) {
    if (!KEY_FIELDS.includes(field)) {
      const near = closestName(field, KEY_FIELDS, 3);
      throw invalid(
        `unknown field "${field}"${near ? `; did you mean "${near}"?` : `; the fields are ${KEY_FIELDS.join(', ')}`}`,
      );
    }
  }
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name === '') throw invalid('a key needs a non-empty name');
  if (input.residency !== undefined && !RESIDENCIES.includes(input.residency)) {
    throw invalid(`residency must be one of ${RESIDENCIES.join(', ')}; got ${String(input.residency)}`);
  }
  if (
    input.allowedModels !== undefined &&
    (!Array.isArray(input.allowedModels) || input.allowedModels.some((model) => typeof model !== 'string'))
  ) {
    throw invalid('allowedModels must be a list of model names');
  }
  for (const field of ['monthlyBudgetUsd', 'requestsPerMinute', 'tokensPerMinute'] as const) {
    const value = input[field];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw invalid(`${field} must be a number of 0 or more; got ${String(value)}`);
    }
  }
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
  return { record, secret };
}

function invalid(message: string): StoreError {
  return new StoreError(
    `Cannot create the key: ${message}${message.endsWith('?') ? '' : '.'}`,
    'INVALID_KEY_INPUT',
  );
}
