/**
 * AWS credentials as the signer needs them: the shape of the AWS SDK's
 * `AwsCredentialIdentity`, so its providers plug in unchanged.
 */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials (SSO, assumed roles, instance roles) carry a session token. */
  sessionToken?: string;
  /** When temporary credentials stop working; absent for long-term keys. */
  expiration?: Date;
}

/**
 * Anything that produces AWS credentials: an AWS SDK provider
 * (`fromNodeProviderChain()`, `fromIni()`, `fromSSO()`…) or a function of
 * your own. `forceRefresh` asks a memoizing provider for new credentials.
 */
export type AwsCredentialProvider = (options?: { forceRefresh?: boolean }) => Promise<AwsCredentials>;

/**
 * Whether a value has the fields of AWS credentials.
 *
 * @example
 * isAwsCredentials({ accessKeyId: 'AKID', secretAccessKey: 'secret' }); // true
 */
export function isAwsCredentials(value: unknown): value is AwsCredentials {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate['accessKeyId'] === 'string' &&
    candidate['accessKeyId'] !== '' &&
    typeof candidate['secretAccessKey'] === 'string' &&
    candidate['secretAccessKey'] !== ''
  );
}
