import { describe, expect, it } from 'vitest';
import { createEmulatorAuth } from './emulator-auth.js';
import { defaultEmulatorCredentials, resolveEmulatorCredentials } from './emulator-credentials.js';

describe('resolveEmulatorCredentials', () => {
  it('has the documented defaults', () => {
    expect(resolveEmulatorCredentials()).toMatchObject({
      awsAccessKeyId: 'AKIDEMULATOR',
      awsSecretAccessKey: 'emulator-secret',
      bedrockApiKey: 'emulator-bedrock-key',
      anthropicApiKey: 'sk-ant-emulator',
      vertexProjectId: 'emulator-project',
      awsAccountId: '123456789012',
    });
  });

  it('lays overrides over the defaults, ignoring undefined ones', () => {
    const credentials = resolveEmulatorCredentials({ awsAccessKeyId: 'AKIDTEST', bedrockApiKey: undefined });
    expect(credentials.awsAccessKeyId).toBe('AKIDTEST');
    expect(credentials.bedrockApiKey).toBe(defaultEmulatorCredentials.bedrockApiKey);
  });

  it('names the service account after an overridden project', () => {
    expect(resolveEmulatorCredentials({ vertexProjectId: 'my-project' }).googleServiceAccountEmail).toBe(
      'emulator@my-project.iam.gserviceaccount.com',
    );
  });
});

describe('createEmulatorAuth', () => {
  const auth = createEmulatorAuth({ credentials: { awsAccountId: '210987654321' } });

  it('knows its own AWS key as an IAM user of its account', () => {
    expect(auth.lookupAwsCredential('AKIDEMULATOR')).toMatchObject({
      secretAccessKey: 'emulator-secret',
      arn: 'arn:aws:iam::210987654321:user/emulator',
      userId: expect.stringMatching(/^AIDA[0-9A-F]{17}$/),
    });
    expect(auth.lookupAwsCredential('AKIDOTHER')).toBeUndefined();
  });

  it('hands out a complete service-account key file', () => {
    const json = auth.serviceAccountJson('http://127.0.0.1:4000/token');
    expect(json).toMatchObject({
      type: 'service_account',
      project_id: 'emulator-project',
      client_email: 'emulator@emulator-project.iam.gserviceaccount.com',
      token_uri: 'http://127.0.0.1:4000/token',
      private_key_id: expect.stringMatching(/^[0-9a-f]{40}$/),
      client_id: expect.stringMatching(/^\d{21}$/),
    });
    expect(json.private_key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('hands out an authorized_user ADC file', () => {
    expect(auth.authorizedUserJson()).toMatchObject({
      type: 'authorized_user',
      client_id: 'emulator-client.apps.googleusercontent.com',
      refresh_token: '1//emulator-refresh-token',
    });
  });
});
