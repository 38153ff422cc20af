import { describe, expect, it } from 'vitest';
import { parseAwsConfigFile } from './aws-config-file.js';

describe('parseAwsConfigFile', () => {
  const text = [
    '# my AWS config',
    '[default]',
    'region=us-west-2',
    'output = json',
    '',
    '[profile dev]',
    'sso_session = corp',
    'Region = eu-west-1 ',
    's3 =',
    '  region = should-not-be-read',
    '  max_concurrent_requests = 10',
    'cli_pager =',
    '',
    '[sso-session corp]',
    'region = us-east-1',
    '',
    '[legacy]',
    'region = af-south-1',
    '',
    '[profile default]',
    '; a comment',
    'retry_mode = standard',
  ].join('\r\n');

  const profiles = parseAwsConfigFile(text);

  it('reads [default] and [profile name] sections', () => {
    expect(profiles.get('default')).toEqual({ region: 'us-west-2', output: 'json', retry_mode: 'standard' });
    expect(profiles.get('dev')).toEqual({ sso_session: 'corp', region: 'eu-west-1' });
  });

  it('skips sub-sections, sso-session sections and bare names other than default', () => {
    expect([...profiles.keys()].sort()).toEqual(['default', 'dev']);
  });
});
