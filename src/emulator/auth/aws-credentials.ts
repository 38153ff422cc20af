import { createHash } from 'node:crypto';
import type { EmulatorCredentials } from './emulator-credentials.js';

/** An AWS credential the emulator knows, with the identity STS reports for it. */
export interface AwsCredentialRecord {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials carry a session token that must come as `x-amz-security-token`. */
  sessionToken?: string;
  /** When a temporary credential stops working (`ExpiredTokenException` after it). */
  expiration?: Date;
  /** The account id STS GetCallerIdentity reports. */
  account: string;
  /** The ARN STS GetCallerIdentity reports. */
  arn: string;
  /** The user id STS GetCallerIdentity reports. */
  userId: string;
}

/** Finds the credential for an access key id, or `undefined` when the key is unknown. */
export type AwsCredentialLookup = (accessKeyId: string) => AwsCredentialRecord | undefined;

/** What is needed to describe a credential; the identity fields default to an IAM user or an assumed role. */
export interface AwsCredentialInput {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
  account: string;
  arn?: string;
  userId?: string;
}

/**
 * Completes a credential with the identity STS would report: an IAM user `emulator` for long-term keys,
 * the assumed role `EmulatorRole/emulator-session` for temporary ones.
 *
 * @example
 * awsCredentialRecord({ accessKeyId: 'AKIDEMULATOR', secretAccessKey: 's', account: '123456789012' }).arn;
 * // 'arn:aws:iam::123456789012:user/emulator'
 */
export function awsCredentialRecord(input: AwsCredentialInput): AwsCredentialRecord {
  const suffix = createHash('sha256').update(input.accessKeyId).digest('hex').toUpperCase().slice(0, 17);
  const temporary = input.sessionToken !== undefined;
  const arn =
    input.arn ??
    (temporary
      ? `arn:aws:sts::${input.account}:assumed-role/EmulatorRole/emulator-session`
      : `arn:aws:iam::${input.account}:user/emulator`);
  const userId = input.userId ?? (temporary ? `AROA${suffix}:emulator-session` : `AIDA${suffix}`);
  return { ...input, arn, userId };
}

/**
 * A lookup over a fixed list of credentials.
 *
 * @example
 * const lookup = awsCredentialLookup([awsCredentialRecord({ accessKeyId: 'AKID', secretAccessKey: 's', account: '1' })]);
 * lookup('AKID')?.secretAccessKey; // 's'
 */
export function awsCredentialLookup(records: readonly AwsCredentialRecord[]): AwsCredentialLookup {
  const byKey = new Map(records.map((record) => [record.accessKeyId, record]));
  return (accessKeyId) => byKey.get(accessKeyId);
}

/**
 * The long-term AWS credential of the emulator's configuration.
 *
 * @example
 * emulatorAwsCredential(resolveEmulatorCredentials()).accessKeyId; // 'AKIDEMULATOR'
 */
export function emulatorAwsCredential(credentials: EmulatorCredentials): AwsCredentialRecord {
  return awsCredentialRecord({
    accessKeyId: credentials.awsAccessKeyId,
    secretAccessKey: credentials.awsSecretAccessKey,
    account: credentials.awsAccountId,
  });
}
