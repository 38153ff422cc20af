import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The settings of each profile in an AWS config file, by profile name. */
export type AwsConfigProfiles = Map<string, Record<string, string>>;

/**
 * Parses the AWS config file format (`~/.aws/config`): `[default]` and
 * `[profile name]` sections of `key = value` lines; `#` and `;` comment
 * lines; indented lines (the settings of a sub-section such as `s3 =`, or
 * continued values) are skipped. Sections of other kinds (`[sso-session x]`,
 * `[services x]`) and a bare `[name]` other than default are not profiles.
 *
 * @example
 * parseAwsConfigFile('[profile dev]\nregion = eu-west-1\n').get('dev'); // { region: 'eu-west-1' }
 */
export function parseAwsConfigFile(text: string): AwsConfigProfiles {
  const profiles: AwsConfigProfiles = new Map();
  let current: Record<string, string> | undefined;
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const section = /^\[\s*([^\]]*?)\s*\]/.exec(trimmed);
    if (section) {
      current = profileSection(profiles, section[1] ?? '');
      continue;
    }
    // Indented lines belong to a sub-section (`s3 =` followed by its settings) or continue a value.
    if (/^\s/.test(line) || current === undefined) continue;
    const separator = trimmed.indexOf('=');
    if (separator === -1) continue;
    const value = trimmed.slice(separator + 1).trim();
    if (value !== '') current[trimmed.slice(0, separator).trim().toLowerCase()] = value;
  }
  return profiles;
}

function profileSection(profiles: AwsConfigProfiles, header: string): Record<string, string> | undefined {
  const words = header.split(/\s+/);
  let name: string | undefined;
  if (words.length === 1 && words[0] === 'default') name = 'default';
  else if (words.length === 2 && words[0] === 'profile') name = words[1];
  if (name === undefined) return undefined;
  let settings = profiles.get(name);
  if (!settings) {
    settings = {};
    profiles.set(name, settings);
  }
  return settings;
}

/**
 * The path of the AWS config file: `AWS_CONFIG_FILE`, else `~/.aws/config`.
 *
 * @example
 * awsConfigFilePath({ AWS_CONFIG_FILE: '/etc/aws/config' }); // '/etc/aws/config'
 */
export function awsConfigFilePath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const explicit = env['AWS_CONFIG_FILE'];
  if (explicit) return explicit.startsWith('~/') ? join(homeDirectory(env), explicit.slice(2)) : explicit;
  return join(homeDirectory(env), '.aws', 'config');
}

function homeDirectory(env: Readonly<Record<string, string | undefined>>): string {
  return env['HOME'] || env['USERPROFILE'] || homedir();
}

/**
 * Reads one profile's settings from the AWS config file; undefined when the
 * file or the profile does not exist.
 *
 * @example
 * readAwsConfigProfile('dev')?.region; // 'eu-west-1'
 */
export function readAwsConfigProfile(
  profile: string,
  path: string = awsConfigFilePath(),
): Record<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  return parseAwsConfigFile(text).get(profile);
}
