/**
 * Live discovery against the emulator's listings: a model the built-in data
 * lacks becomes routable by the platforms' own ids (priced only once
 * configured), an application inference profile ARN is priced as its model,
 * and a listing that fails or answers garbage leaves the built-in data serving,
 * with a warning.
 */

import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/default-catalog.js';
import { modelIdForTarget } from '../catalog/resolve.js';
import { createEngine } from '../engine/create-engine.js';
import type { BedrockModelList } from '../platforms/bedrock/bedrock-models.js';
import { useTestGateway } from '../test-support/gateway.js';
import type { Logger } from './logger.js';
import { mergeBedrockListing, startModelDiscovery } from './model-discovery.js';

const NEW_MODEL = 'claude-nova-1';
const gateway = useTestGateway({
  config: { discovery: { enabled: true }, defaultTargets: ['bedrock/global', 'anthropic'] },
  emulator: {
    extraModels: [NEW_MODEL],
    applicationProfiles: [{ id: 'team-haiku', model: 'anthropic.claude-haiku-4-5-20251001-v1:0' }],
  },
});

describe('model discovery', () => {
  it('makes a model only the platforms list routable by their ids, with an unknown (never $0) cost', async () => {
    await gateway().gateway.modelsDiscovered;
    const catalog = gateway().gateway.context.catalog;
    const nova = catalog.resolve(NEW_MODEL);
    expect(nova.model).toMatchObject({ origin: 'discovered', unpriced: true });
    expect(nova.model?.offeredBy.sort()).toEqual(['anthropic', 'bedrock']);
    expect(nova.model?.bedrock).toMatchObject({ baseId: `anthropic.${NEW_MODEL}`, profileOnly: false });
    expect(nova.model?.bedrock?.scopes.sort()).toEqual(['global', 'us']);
    expect(modelIdForTarget(nova, { platform: 'bedrock', scope: 'us' })).toBe(`us.anthropic.${NEW_MODEL}`);
    // Known only to this gateway: the built-in catalog is untouched.
    expect(defaultCatalog().find(NEW_MODEL)).toBeUndefined();

    const client = new Anthropic({ baseURL: gateway().url, apiKey: 'unused', maxRetries: 0 });
    const { data, response } = await client.messages
      .create({ model: NEW_MODEL, max_tokens: 20, messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(data.model).toContain(NEW_MODEL);
    expect(response.headers.get('x-claude-gateway-target')).toBe('bedrock/global@us-east-1');
    const { request } = await gateway().activity(response.headers.get('request-id') ?? '');
    expect(request).toMatchObject({ model: NEW_MODEL, upstreamModelId: `global.anthropic.${NEW_MODEL}` });
    expect(request?.costUsd).toBeUndefined();
    expect(gateway().logs.some((line) => String(line['msg']).includes(`${NEW_MODEL} is offered by`))).toBe(
      true,
    );
  });

  it('prices a call through an application inference profile ARN as the model it routes to', async () => {
    await gateway().gateway.modelsDiscovered;
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/team-haiku';
    expect(gateway().gateway.context.catalog.resolve(arn).model?.name).toBe('claude-haiku-4-5');
    const aws = new BedrockRuntimeClient({
      endpoint: gateway().url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDANY', secretAccessKey: 'unused' },
    });
    const answer = await aws.send(
      new InvokeModelCommand({
        modelId: arn,
        contentType: 'application/json',
        body: JSON.stringify({
          anthropic_version: 'bedrock-2023-05-31',
          max_tokens: 20,
          messages: [{ role: 'user', content: 'Hi' }],
        }),
      }),
    );
    const id = answer.$metadata.requestId ?? '';
    const { request } = await gateway().activity(id);
    expect(request).toMatchObject({ model: 'claude-haiku-4-5', upstreamModelId: arn, status: 200 });
    expect(request?.costUsd).toBeGreaterThan(0);
  });

  it('adds a profile the data lacks to a known model, and nothing for one it already has', () => {
    const found = new Map();
    const list: BedrockModelList = {
      region: 'us-east-1',
      foundationModels: [{ modelId: 'anthropic.claude-opus-4-8', inferenceTypes: ['INFERENCE_PROFILE'] }],
      inferenceProfiles: [
        { id: 'global.anthropic.claude-opus-4-8', modelArns: [], type: 'SYSTEM_DEFINED' },
        { id: 'eu.anthropic.claude-opus-4-8', modelArns: [], type: 'SYSTEM_DEFINED' },
      ],
    };
    mergeBedrockListing(list, defaultCatalog(), found, new Map());
    expect([...found.keys()]).toEqual(['claude-opus-4-8']);
    expect(found.get('claude-opus-4-8')?.bedrock?.scopes).toEqual(['global', 'eu']);
    expect(found.get('claude-opus-4-8')?.origin).toBe('built-in');
  });

  it.each([
    ['answers garbage', (response: ServerResponse) => response.end('<html>not a model list</html>')],
    ['fails', (response: ServerResponse) => response.writeHead(503).end('{"message":"down"}')],
  ])('keeps the built-in data serving when every listing %s, and warns', async (_, answer) => {
    const listing = createServer((_request, response) => answer(response));
    await new Promise<void>((resolve) => listing.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(listing.address() as AddressInfo).port}`;
    const platforms = {
      anthropic: { apiKey: 'sk-ant-test', baseUrl: url },
      bedrock: {
        region: 'us-east-1',
        accessKeyId: 'AKIDTEST',
        secretAccessKey: 'secret',
        controlEndpoint: url,
      },
    };
    const engine = createEngine(platforms);
    const catalog = defaultCatalog().clone();
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message) } as unknown as Logger;
    const discovery = startModelDiscovery({
      catalog,
      engine,
      platforms,
      logger,
      intervalMs: 3_600_000,
      onChange: () => {},
    });
    try {
      await discovery.first;
      expect(catalog.list().length).toBe(defaultCatalog().list().length);
      expect(catalog.resolve('opus').model?.name).toBe('claude-opus-5-5');
      expect(warnings.some((line) => line.startsWith('model discovery:'))).toBe(true);
    } finally {
      discovery.stop();
      await engine.transport.close();
      await new Promise((resolve) => listing.close(resolve));
    }
  });
});
