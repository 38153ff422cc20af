import { createHash, randomBytes } from 'node:crypto';

/** Every gateway key secret starts with this. */
export const SECRET_PREFIX = 'cgw_';

/**
 * A new key secret: `cgw_` and 32 random bytes in base64url.
 *
 * @example
 * generateSecret() // 'cgw_q3V…' (47 characters)
 */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * The stored form of a secret: sha256, lowercase hex.
 *
 * @example
 * hashSecret('cgw_abc').length // 64
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * The part of a secret shown in listings: its first 8 characters.
 *
 * @example
 * displayPrefix('cgw_q3Vx9…') // 'cgw_q3Vx'
 */
export function displayPrefix(secret: string): string {
  return secret.slice(0, 8);
}

/**
 * A new key id: `key_` and 16 hex characters.
 *
 * @example
 * generateKeyId() // 'key_5f0c9a1e2b3d4c6f'
 */
export function generateKeyId(): string {
  return 'key_' + randomBytes(8).toString('hex');
}
