import { Sha256 } from '@aws-crypto/sha256-js';
import { GetCallerIdentityCommand, STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { AwsJson1_0Protocol } from '@aws-sdk/core/protocols';
import { type ServerType, serve } from '@hono/node-server';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCredentialLookup, awsCredentialRecord } from './aws-credentials.js';
import { handleStsRequest } from './sts.js';

const account = '123456789012';
const user = awsCredentialRecord({
  accessKeyId: 'AKIDEMULATOR',
  secretAccessKey: 'emulator-secret',
  account,
});
const role = awsCredentialRecord({
  accessKeyId: 'ASIAEMULATOR',
  secretAccessKey: 'temporary-secret',
  sessionToken: 'the-token',
  account,
});
const lookupCredential = awsCredentialLookup([user, role]);

let server: ServerType;
let origin: string;
/** The content type of each request the server saw, to tell which protocol the client used. */
const contentTypes: string[] = [];

beforeAll(async () => {
  origin = await new Promise<string>((resolve) => {
    server = serve(
      {
        fetch: (request) => {
          contentTypes.push(request.headers.get('content-type') ?? '');
          return handleStsRequest(request, { lookupCredential });
        },
        port: 0,
        hostname: '127.0.0.1',
      },
      (info) => resolve(`http://127.0.0.1:${info.port}`),
    );
  });
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

function sts(config: Partial<STSClientConfig> = {}): STSClient {
  return new STSClient({
    endpoint: origin,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' },
    maxAttempts: 1,
    ...config,
  });
}

describe('@aws-sdk/client-sts against handleStsRequest', () => {
  it('reads Arn, UserId and Account from the XML answer', async () => {
    const output = await sts().send(new GetCallerIdentityCommand({}));
    expect(contentTypes.at(-1)).toBe('application/x-www-form-urlencoded');
    expect(output).toMatchObject({ Arn: user.arn, UserId: user.userId, Account: account });
    expect(output.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports the assumed role of a session credential', async () => {
    const credentials = {
      accessKeyId: 'ASIAEMULATOR',
      secretAccessKey: 'temporary-secret',
      sessionToken: 'the-token',
    };
    const output = await sts({ credentials }).send(new GetCallerIdentityCommand({}));
    expect(output.Arn).toBe(`arn:aws:sts::${account}:assumed-role/EmulatorRole/emulator-session`);
  });

  it('surfaces an unknown key as InvalidClientTokenId', async () => {
    const credentials = { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'emulator-secret' };
    await expect(sts({ credentials }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('surfaces a wrong secret as SignatureDoesNotMatch', async () => {
    const credentials = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'wrong' };
    await expect(sts({ credentials }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
    });
  });

  it('answers the awsJson1_0 protocol in JSON', async () => {
    const output = await sts({ protocol: AwsJson1_0Protocol }).send(new GetCallerIdentityCommand({}));
    expect(contentTypes.at(-1)).toBe('application/x-amz-json-1.0');
    expect(output).toMatchObject({ Arn: user.arn, UserId: user.userId, Account: account });
  });

  it('names query-compatible errors in x-amzn-query-error', async () => {
    const client = sts({
      protocol: AwsJson1_0Protocol,
      protocolSettings: {
        defaultNamespace: 'com.amazonaws.sts',
        serviceTarget: 'AWSSecurityTokenServiceV20110615',
        awsQueryCompatible: true,
      },
      credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' },
    });
    await expect(client.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
      Code: 'InvalidClientTokenId',
      Type: 'Sender',
    });
  });
});

/** Signs a form POST to STS as the AWS SDK does. */
async function signedStsRequest(body: string, secretAccessKey = 'emulator-secret'): Promise<Request> {
  const signer = new SignatureV4({
    service: 'sts',
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey },
    sha256: Sha256,
  });
  const headers = { host: 'sts.amazonaws.com', 'content-type': 'application/x-www-form-urlencoded' };
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'https:',
      hostname: 'sts.amazonaws.com',
      path: '/',
      headers,
      body,
    }),
  );
  return new Request('https://sts.amazonaws.com/', { method: 'POST', headers: signed.headers, body });
}

describe('handleStsRequest wire format', () => {
  it('answers GetCallerIdentity with STS XML', async () => {
    const request = await signedStsRequest('Action=GetCallerIdentity&Version=2011-06-15');
    const response = await handleStsRequest(request, { lookupCredential, requestId: () => 'request-1' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/xml');
    expect(await response.text()).toBe(
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n' +
        '  <GetCallerIdentityResult>\n' +
        `    <Arn>arn:aws:iam::123456789012:user/emulator</Arn>\n` +
        `    <UserId>${user.userId}</UserId>\n` +
        '    <Account>123456789012</Account>\n' +
        '  </GetCallerIdentityResult>\n' +
        '  <ResponseMetadata>\n' +
        '    <RequestId>request-1</RequestId>\n' +
        '  </ResponseMetadata>\n' +
        '</GetCallerIdentityResponse>\n',
    );
  });

  it('answers a bad signature with an STS ErrorResponse', async () => {
    const request = await signedStsRequest('Action=GetCallerIdentity&Version=2011-06-15', 'wrong');
    const response = await handleStsRequest(request, { lookupCredential, requestId: () => 'request-2' });
    expect(response.status).toBe(403);
    const text = await response.text();
    expect(text).toContain('<Type>Sender</Type>\n    <Code>SignatureDoesNotMatch</Code>');
    expect(text).toContain('<RequestId>request-2</RequestId>\n</ErrorResponse>');
  });

  it('answers an unsigned request with MissingAuthenticationToken', async () => {
    const request = new Request('https://sts.amazonaws.com/', {
      method: 'POST',
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    const text = await (await handleStsRequest(request, { lookupCredential })).text();
    expect(text).toContain('<Code>MissingAuthenticationToken</Code>');
    expect(text).toContain('<Message>Request is missing Authentication Token</Message>');
  });

  it('answers an unknown action with InvalidAction', async () => {
    const request = await signedStsRequest('Action=AssumeRole&Version=2011-06-15');
    const response = await handleStsRequest(request, { lookupCredential });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(
      '<Code>InvalidAction</Code>\n    <Message>Could not find operation AssumeRole for version 2011-06-15</Message>',
    );
  });
});
