import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAwsRegion } from './aws-region.js';

describe('resolveAwsRegion', () => {
  let directory: string;
  let configFile: string;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'aws-region-'));
    configFile = join(directory, 'config');
    writeFileSync(
      configFile,
      [
        '[default]',
        'region = ap-southeast-2',
        '',
        '[profile dev]',
        'region = eu-west-1',
        '[profile bare]',
        'output = json',
      ].join('\n'),
    );
  });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const full = () => ({
    AWS_CONFIG_FILE: configFile,
    AWS_REGION: 'us-west-2',
    AWS_DEFAULT_REGION: 'eu-central-1',
  });

  it('prefers the explicit region', () => {
    expect(resolveAwsRegion({ explicit: 'ca-central-1', env: full() })).toEqual({
      region: 'ca-central-1',
      source: 'explicit',
    });
  });

  it('then AWS_REGION', () => {
    expect(resolveAwsRegion({ env: full() })).toEqual({ region: 'us-west-2', source: 'AWS_REGION' });
  });

  it('then AWS_DEFAULT_REGION', () => {
    const { AWS_REGION: _ignored, ...env } = full();
    expect(resolveAwsRegion({ env })).toEqual({ region: 'eu-central-1', source: 'AWS_DEFAULT_REGION' });
  });

  it("then the profile's region in AWS_CONFIG_FILE", () => {
    expect(resolveAwsRegion({ profile: 'dev', env: { AWS_CONFIG_FILE: configFile } })).toEqual({
      region: 'eu-west-1',
      source: 'config-file',
      detail: `${configFile} [profile dev]`,
    });
  });

  it('takes the profile from AWS_PROFILE, and [default] without one', () => {
    expect(resolveAwsRegion({ env: { AWS_CONFIG_FILE: configFile, AWS_PROFILE: 'dev' } }).region).toBe(
      'eu-west-1',
    );
    expect(resolveAwsRegion({ env: { AWS_CONFIG_FILE: configFile } })).toMatchObject({
      region: 'ap-southeast-2',
      detail: `${configFile} [default]`,
    });
  });

  it('reads ~/.aws/config under HOME when AWS_CONFIG_FILE is not set', () => {
    const home = mkdtempSync(join(tmpdir(), 'aws-home-'));
    try {
      const awsDirectory = join(home, '.aws');
      mkdirSync(awsDirectory);
      writeFileSync(join(awsDirectory, 'config'), '[default]\nregion = sa-east-1\n');
      expect(resolveAwsRegion({ env: { HOME: home } }).region).toBe('sa-east-1');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('falls back to us-east-1 for a profile without a region, or no file', () => {
    expect(resolveAwsRegion({ profile: 'bare', env: { AWS_CONFIG_FILE: configFile } })).toEqual({
      region: 'us-east-1',
      source: 'default',
    });
    expect(resolveAwsRegion({ env: { AWS_CONFIG_FILE: join(directory, 'absent') } }).source).toBe('default');
  });
});
