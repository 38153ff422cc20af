import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCredentialLookup, awsCredentialRecord } from '../../emulator/auth/aws-credentials.js';
import { handleStsRequest } from '../../emulator/auth/sts.js';
import { type StubServer, startStubServer, webRequestOf } from '../aws/__fixtures__/stub-server.js';
import { HttpTransport } from '../transport.js';
import { verifyAwsCredentials } from './verify-aws-credentials.js';

const account = '123456789012';
const user = { accessKeyId: 'AKIDSTS', secretAccessKey: 'sts-secret' };
const role = {
  accessKeyId: 'ASIASTS',
  secretAccessKey: 'role-secret',
  sessionToken: 'role-token',
  expiration: new Date(Date.now() + 3_600_000),
};
const lookupCredential = awsCredentialLookup([
  awsCredentialRecord({ ...user, account, arn: 'arn:aws:iam::123456789012:user/a&b' }),
  awsCredentialRecord({ ...role, account }),
]);

describe('verifyAwsCredentials against the emulated STS', () => {
  let server: StubServer;
  let transport: HttpTransport;

  beforeAll(async () => {
    let origin = '';
    server = await startStubServer(async (recorded) => {
      const response = await handleStsRequest(webRequestOf(recorded, origin), {
        lookupCredential,
        requestId: () => 'req-sts',
      });
      return {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: await response.text(),
      };
    });
    origin = server.origin;
    transport = new HttpTransport();
  });

  afterAll(async () => {
    await transport.close();
    await server.close();
  });

  it('posts the GetCallerIdentity form signed for sts and reads the XML identity', async () => {
    const identity = await verifyAwsCredentials({
      region: 'eu-west-1',
      endpoint: server.origin,
      credentials: user,
      transport,
    });
    expect(identity).toEqual({
      arn: 'arn:aws:iam::123456789012:user/a&b',
      userId: expect.stringMatching(/^AIDA/),
      account,
    });
    const request = server.requests.at(-1);
    expect(request?.method).toBe('POST');
    expect(request?.target).toBe('/');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.body.toString('utf8')).toBe('Action=GetCallerIdentity&Version=2011-06-15');
    expect(request?.headers.authorization).toContain('/eu-west-1/sts/aws4_request');
  });

  it('sends the session token of temporary credentials', async () => {
    const identity = await verifyAwsCredentials({
      region: 'us-east-1',
      endpoint: server.origin,
      credentials: role,
      transport,
    });
    expect(identity.arn).toBe(`arn:aws:sts::${account}:assumed-role/EmulatorRole/emulator-session`);
  });

  it('keeps the STS message of a bad signature, as an authentication error', async () => {
    const error = await verifyAwsCredentials({
      region: 'us-east-1',
      endpoint: server.origin,
      credentials: { ...user, secretAccessKey: 'wrong' },
      transport,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      status: 403,
      type: 'authentication_error',
      upstreamCode: 'SignatureDoesNotMatch',
      requestId: 'req-sts',
    });
    expect((error as Error).message).toMatch(
      /^STS GetCallerIdentity failed: The request signature we calculated does not match the signature you provided/,
    );
    expect((error as Error).message).toContain('static keys');
  });

  it('reports an unknown access key', async () => {
    const error = await verifyAwsCredentials({
      region: 'us-east-1',
      endpoint: server.origin,
      credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' },
      transport,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ upstreamCode: 'InvalidClientTokenId', type: 'authentication_error' });
    expect((error as Error).message).toContain('The security token included in the request is invalid');
  });

  it('uses the public regional endpoint by default', async () => {
    const requests: string[] = [];
    await verifyAwsCredentials({
      region: 'ap-south-1',
      credentials: user,
      transport: {
        send: async (request) => {
          requests.push(request.url);
          const text =
            '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>a</Arn><UserId>u</UserId><Account>1</Account></GetCallerIdentityResult></GetCallerIdentityResponse>';
          return {
            status: 200,
            headers: new Headers(),
            body: (async function* () {})(),
            text: async () => text,
            discard: () => {},
          };
        },
      },
    });
    expect(requests).toEqual(['https://sts.ap-south-1.amazonaws.com/']);
  });
});
