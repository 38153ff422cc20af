/**
 * The same call made by the official clients and by the adapter, against one
 * stub server: the paths, bodies and signatures must agree.
 */
import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bedrockModelId, resolveModel } from '../../catalog/resolve.js';
import { awsCredentialLookup, awsCredentialRecord } from '../../emulator/auth/aws-credentials.js';
import { verifySigV4 } from '../../emulator/auth/sigv4.js';
import { negotiateApiVersion } from '../api-version.js';
import {
  type RecordedRequest,
  type StubServer,
  signedRequestOf,
  startStubServer,
} from '../aws/__fixtures__/stub-server.js';
import { HttpTransport } from '../transport.js';
import type { ResolvedTarget } from '../types.js';
import { BedrockAdapter } from './bedrock-adapter.js';

const credentials = { accessKeyId: 'AKIDOFFICIAL', secretAccessKey: 'official-secret' };
const lookupCredential = awsCredentialLookup([
  awsCredentialRecord({ ...credentials, account: '123456789012' }),
]);
const resolved = resolveModel('claude-sonnet-4-5');
const target: ResolvedTarget = {
  platform: 'bedrock',
  region: 'us-east-1',
  scope: 'us',
  modelId: bedrockModelId(resolved, 'us'),
  resolved,
};
const betas = ['interleaved-thinking-2025-05-14', 'context-1m-2025-08-07'];
const params = {
  model: target.modelId,
  max_tokens: 32,
  messages: [{ role: 'user' as const, content: 'Say hello' }],
  stream: true as const,
};

describe('the adapter and the official clients send the same call', () => {
  let server: StubServer;
  let transport: HttpTransport;

  beforeAll(async () => {
    // An error answer ends every client's call at once.
    server = await startStubServer(() => ({
      status: 400,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ValidationException' },
      body: '{"message":"stub"}',
    }));
    transport = new HttpTransport();
  });

  afterAll(async () => {
    await transport.close();
    await server.close();
  });

  beforeEach(() => {
    server.requests.length = 0;
  });

  async function adapterRequest(): Promise<RecordedRequest> {
    const adapter = new BedrockAdapter({ endpoint: server.origin, apiKey: null, credentials });
    // What the gateway's ingress makes of the official client's call (the `anthropic-version` the
    // SDK sends, 2026-10-21, and its betas), with the version the engine negotiates for the target.
    const negotiated = negotiateApiVersion(
      { body: { ...params }, stream: true, betas, anthropicVersion: '2026-10-21' },
      target,
    );
    const { request } = adapter.prepareMessages(negotiated.call, target);
    await (await transport.send(await adapter.authorize(request, target), 'bedrock')).text();
    const recorded = server.requests.at(-1);
    if (!recorded) throw new Error('no request');
    return recorded;
  }

  it('matches AnthropicBedrock: the same body, the same path but for the colon encoding', async () => {
    const client = new AnthropicBedrock({
      baseURL: server.origin,
      awsRegion: 'us-east-1',
      awsAccessKey: credentials.accessKeyId,
      awsSecretKey: credentials.secretAccessKey,
      maxRetries: 0,
    });
    await expect(
      client.messages.create(params, { headers: { 'anthropic-beta': betas.join(',') } }),
    ).rejects.toThrow();
    const official = server.requests.at(-1);
    const ours = await adapterRequest();
    if (!official) throw new Error('no request from AnthropicBedrock');
    // The Anthropic SDK sends the colon raw; the adapter encodes it as the AWS SDK does.
    expect(official.path).toBe(
      '/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke-with-response-stream',
    );
    expect(ours.path).toBe(
      '/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream',
    );
    expect(decodeURIComponent(ours.path)).toBe(official.path);
    // The SDK's API version 2026-10-21 is refused by Bedrock for this legacy model: Bedrock's own is sent.
    expect(ours.body.toString('utf8')).toBe(
      official.body
        .toString('utf8')
        .replace('"anthropic_version":"2026-10-21"', '"anthropic_version":"bedrock-2023-05-31"'),
    );
    expect(ours.headers['content-type']).toBe(official.headers['content-type']);
    for (const recorded of [official, ours]) {
      expect(
        await verifySigV4(signedRequestOf(recorded), { lookupCredential, service: 'bedrock' }),
      ).toMatchObject({
        ok: true,
        region: 'us-east-1',
      });
    }
  });

  it('matches the AWS SDK: the same encoded path and a signature over it', async () => {
    const client = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: server.origin,
      credentials,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler(),
    });
    const ours = await adapterRequest();
    // InvokeModel, not the streaming command, which needs an event-stream answer; the path differs only by the operation.
    const command = new InvokeModelCommand({
      modelId: target.modelId,
      body: ours.body.toString('utf8'),
      contentType: 'application/json',
    });
    await expect(client.send(command)).rejects.toThrow();
    client.destroy();
    const official = server.requests.at(-1);
    if (!official) throw new Error('no request from the AWS SDK');
    expect(official.path).toBe(ours.path.replace('/invoke-with-response-stream', '/invoke'));
    expect(official.body.toString('utf8')).toBe(ours.body.toString('utf8'));
    expect((await verifySigV4(signedRequestOf(official), { lookupCredential, service: 'bedrock' })).ok).toBe(
      true,
    );
  });
});
