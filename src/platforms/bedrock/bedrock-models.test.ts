import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsCredentialLookup, awsCredentialRecord } from '../../emulator/auth/aws-credentials.js';
import { verifySigV4 } from '../../emulator/auth/sigv4.js';
import { GatewayError } from '../../wire/errors/gateway-error.js';
import {
  type CannedResponse,
  type RecordedRequest,
  type StubServer,
  signedRequestOf,
  startStubServer,
} from '../aws/__fixtures__/stub-server.js';
import { HttpTransport } from '../transport.js';
import { listBedrockModels } from './bedrock-models.js';

const credentials = { accessKeyId: 'AKIDCONTROL', secretAccessKey: 'control-secret' };
const lookupCredential = awsCredentialLookup([
  awsCredentialRecord({ ...credentials, account: '123456789012' }),
]);
const SECOND_PAGE_TOKEN = 'page 2+/=';

const foundationModels = {
  modelSummaries: [
    {
      modelArn: 'arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0',
      modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
      modelName: 'Claude Sonnet 4.5',
      providerName: 'Anthropic',
      inputModalities: ['TEXT', 'IMAGE'],
      outputModalities: ['TEXT'],
      responseStreamingSupported: true,
      customizationsSupported: [],
      inferenceTypesSupported: ['INFERENCE_PROFILE'],
      modelLifecycle: { status: 'ACTIVE' },
    },
    { modelArn: 'arn:aws:bedrock:us-west-2::foundation-model/amazon.titan', modelId: 'amazon.titan-text-v1' },
    { modelId: 'anthropic.claude-3-haiku-20240307-v1:0', modelLifecycle: { status: 'LEGACY' } },
  ],
};

function profile(id: string) {
  return {
    inferenceProfileName: `Profile ${id}`,
    inferenceProfileArn: `arn:aws:bedrock:us-west-2:123456789012:inference-profile/${id}`,
    models: [{ modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${id.replace(/^[a-z]+\./, '')}` }],
    inferenceProfileId: id,
    status: 'ACTIVE',
    type: 'SYSTEM_DEFINED',
  };
}

function answer(request: RecordedRequest): CannedResponse {
  const query = new URLSearchParams(request.query);
  if (request.path === '/foundation-models') return { body: JSON.stringify(foundationModels) };
  if (request.path === '/inference-profiles' && !query.has('nextToken')) {
    return {
      body: JSON.stringify({
        inferenceProfileSummaries: [
          profile('us.anthropic.claude-sonnet-4-5-20250929-v1:0'),
          profile('us.meta.llama3-70b'),
        ],
        nextToken: SECOND_PAGE_TOKEN,
      }),
    };
  }
  if (request.path === '/inference-profiles' && query.get('nextToken') === SECOND_PAGE_TOKEN) {
    return {
      body: JSON.stringify({
        inferenceProfileSummaries: [profile('global.anthropic.claude-sonnet-4-5-20250929-v1:0')],
      }),
    };
  }
  return {
    status: 404,
    headers: { 'x-amzn-errortype': 'ResourceNotFoundException' },
    body: '{"message":"no such page"}',
  };
}

describe('listBedrockModels', () => {
  let server: StubServer;
  let transport: HttpTransport;

  beforeAll(async () => {
    server = await startStubServer(answer);
    transport = new HttpTransport();
  });

  afterAll(async () => {
    await transport.close();
    await server.close();
  });

  beforeEach(() => {
    server.requests.length = 0;
  });

  it('lists the Anthropic foundation models and every page of inference profiles', async () => {
    const list = await listBedrockModels({
      region: 'us-west-2',
      endpoint: server.origin,
      credentials,
      apiKey: null,
      transport,
    });
    expect(list.region).toBe('us-west-2');
    expect(list.foundationModels).toEqual([
      {
        modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
        modelArn: 'arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0',
        modelName: 'Claude Sonnet 4.5',
        inferenceTypes: ['INFERENCE_PROFILE'],
        streaming: true,
        lifecycleStatus: 'ACTIVE',
      },
      { modelId: 'anthropic.claude-3-haiku-20240307-v1:0', inferenceTypes: [], lifecycleStatus: 'LEGACY' },
    ]);
    expect(list.inferenceProfiles.map((item) => item.id)).toEqual([
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    ]);
    expect(list.inferenceProfiles[0]).toMatchObject({
      status: 'ACTIVE',
      type: 'SYSTEM_DEFINED',
      modelArns: ['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0'],
    });
  });

  it('sends signed GETs with the queries of the AWS SDK', async () => {
    await listBedrockModels({
      region: 'us-west-2',
      endpoint: server.origin,
      credentials,
      apiKey: null,
      transport,
    });
    expect(server.requests.map((request) => `${request.method} ${request.target}`)).toEqual([
      'GET /foundation-models?byProvider=anthropic',
      'GET /inference-profiles?type=SYSTEM_DEFINED',
      `GET /inference-profiles?type=SYSTEM_DEFINED&nextToken=${encodeURIComponent(SECOND_PAGE_TOKEN)}`,
    ]);
    for (const request of server.requests) {
      expect(
        await verifySigV4(signedRequestOf(request), { lookupCredential, service: 'bedrock' }),
      ).toMatchObject({
        ok: true,
        region: 'us-west-2',
      });
    }
  });

  it('stops when the endpoint repeats a token', async () => {
    const looping = await startStubServer((request) =>
      request.path === '/foundation-models'
        ? { body: '{"modelSummaries":[]}' }
        : { body: JSON.stringify({ inferenceProfileSummaries: [], nextToken: 'same' }) },
    );
    try {
      await listBedrockModels({
        region: 'us-east-1',
        endpoint: looping.origin,
        credentials,
        apiKey: null,
        transport,
      });
      expect(looping.requests).toHaveLength(3);
    } finally {
      await looping.close();
    }
  });

  it('sends a Bedrock API key as Bearer', async () => {
    await listBedrockModels({
      region: 'us-west-2',
      endpoint: server.origin,
      apiKey: 'bedrock-key',
      transport,
    });
    expect(server.requests.every((request) => request.headers.authorization === 'Bearer bedrock-key')).toBe(
      true,
    );
  });

  it('turns an error answer into a GatewayError with the AWS message', async () => {
    const denied = await startStubServer(() => ({
      status: 403,
      headers: {
        'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/coral/com.amazon.bedrock/',
      },
      body: '{"message":"User is not authorized to perform: bedrock:ListFoundationModels"}',
    }));
    try {
      const error = await listBedrockModels({
        region: 'us-east-1',
        endpoint: denied.origin,
        credentials,
        apiKey: null,
        transport,
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({
        status: 403,
        type: 'permission_error',
        message: 'User is not authorized to perform: bedrock:ListFoundationModels',
      });
    } finally {
      await denied.close();
    }
  });
});
