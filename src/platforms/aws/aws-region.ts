import { awsConfigFilePath, readAwsConfigProfile } from './aws-config-file.js';

/** Where a region came from, for `doctor`. */
export type AwsRegionSource = 'explicit' | 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'config-file' | 'default';

export interface ResolvedAwsRegion {
  region: string;
  source: AwsRegionSource;
  /** For `config-file`: the file and profile it was read from, e.g. `/home/me/.aws/config [profile dev]`. */
  detail?: string;
}

export interface ResolveAwsRegionOptions {
  /** A region given in the configuration or the call. */
  explicit?: string;
  /** The profile whose `region` to read; default AWS_PROFILE, then `default`. */
  profile?: string;
  /** The environment; defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

export const DEFAULT_AWS_REGION = 'us-east-1';

/**
 * The AWS region to call: explicit → AWS_REGION → AWS_DEFAULT_REGION → the
 * profile's `region` in the AWS config file (AWS_CONFIG_FILE or
 * ~/.aws/config) → us-east-1. The official Bedrock SDK skips the config file.
 *
 * @example
 * resolveAwsRegion({ profile: 'dev' }); // { region: 'eu-west-1', source: 'config-file', detail: '/home/me/.aws/config [profile dev]' }
 */
export function resolveAwsRegion(options: ResolveAwsRegionOptions = {}): ResolvedAwsRegion {
  const env = options.env ?? process.env;
  if (options.explicit) return { region: options.explicit, source: 'explicit' };
  const fromRegion = env['AWS_REGION']?.trim();
  if (fromRegion) return { region: fromRegion, source: 'AWS_REGION' };
  const fromDefaultRegion = env['AWS_DEFAULT_REGION']?.trim();
  if (fromDefaultRegion) return { region: fromDefaultRegion, source: 'AWS_DEFAULT_REGION' };
  const profile = options.profile || env['AWS_PROFILE'] || 'default';
  const path = awsConfigFilePath(env);
  const fromFile = readAwsConfigProfile(profile, path)?.['region'];
  if (fromFile) {
    const section = profile === 'default' ? '[default]' : `[profile ${profile}]`;
    return { region: fromFile, source: 'config-file', detail: `${path} ${section}` };
  }
  return { region: DEFAULT_AWS_REGION, source: 'default' };
}
