/** Stable codes of the store's errors, for logs and tests. */
export type StoreErrorCode =
  | 'BAD_STORE_URL'
  | 'STORE_UNREACHABLE'
  | 'STORE_CLOSED'
  | 'SCHEMA_TOO_NEW'
  | 'KEY_NAME_TAKEN'
  | 'AMBIGUOUS_KEY'
  | 'INVALID_KEY_INPUT'
  | 'INVALID_IDENTITY_INPUT'
  | 'NAME_TAKEN'
  /** A user, group or service token named in a change does not exist. */
  | 'NOT_FOUND';

/** An error of the activity log or key store, with a message that says how to fix it. */
export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    message: string,
    readonly code: StoreErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A store URL with its password replaced, safe for messages and logs.
 *
 * @example
 * redactUrl('postgres://gateway:s3cret@db:5432/logs') // 'postgres://gateway:***@db:5432/logs'
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
