/**
 * `clientGeography`: what the gateway does with the geography a Bedrock or
 * Vertex client names in its model id or location. `prefer` (the default)
 * leaves a matching route in charge; `require` serves the request only from
 * targets inside that geography, and refuses a key whose residency differs.
 */

import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import { AnthropicVertex } from '@anthropic-ai/vertex-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf, startTestGateway, type TestGateway } from '../test-support/gateway.js';

const ROUTES = [
  {
    models: ['*'],
    targets: ['bedrock/global', 'bedrock/us', 'bedrock/eu', 'vertex/global', 'vertex/europe-west1'],
  },
];

let requiring: TestGateway;
let preferring: TestGateway;

beforeAll(async () => {
  [requiring, preferring] = await Promise.all([
    startTestGateway({
      config: { routes: ROUTES, clientGeography: 'require' },
      keys: [
        { name: 'open' },
        { name: 'us-only', residency: 'us' },
        { name: 'eu-only', residency: 'eu' },
        { name: 'europe-only', residency: 'europe' },
      ],
    }),
    startTestGateway({ config: { routes: ROUTES } }),
  ]);
});
afterAll(async () => {
  await Promise.all([requiring?.close(), preferring?.close()]);
});

const secretOf = (name: string) => requiring.keys.find((key) => key.record.name === name)?.secret ?? '';

const bedrock = (setup: TestGateway, apiKey?: string) =>
  new AnthropicBedrock({
    baseURL: setup.url,
    awsRegion: 'eu-west-1',
    maxRetries: 0,
    ...(apiKey ? { apiKey } : { skipAuth: true }),
  } as ConstructorParameters<typeof AnthropicBedrock>[0]);

const vertex = (setup: TestGateway, region: string, apiKey: string) =>
  new AnthropicVertex({
    baseURL: `${setup.url}/v1`,
    region,
    projectId: 'client-project',
    authClient: {
      getRequestHeaders: async () => new Headers({ authorization: `Bearer ${apiKey}` }),
    } as never,
    maxRetries: 0,
  });

const ask = { max_tokens: 20, messages: [{ role: 'user' as const, content: 'hello' }] };

describe('clientGeography: require', () => {
  it('serves an eu. model id only from European targets, though the route lists global first', async () => {
    const { response } = await bedrock(requiring, secretOf('open'))
      .messages.create({ ...ask, model: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0' })
      .withResponse();
    expect(response.headers.get('x-claude-gateway-target')).toMatch(/^bedrock\/eu/);
    const upstream = requiring.emulator.state.journal.list({ platform: 'bedrock' }).at(-1);
    expect(upstream?.model).toMatch(/^eu\.anthropic\./);
  });

  it('leaves a global. model id to the route', async () => {
    const { response } = await bedrock(requiring, secretOf('open'))
      .messages.create({ ...ask, model: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0' })
      .withResponse();
    expect(response.headers.get('x-claude-gateway-target')).toMatch(/^bedrock\/global/);
  });

  it('holds a Vertex client calling europe-west1 to EU targets', async () => {
    const { response } = await vertex(requiring, 'europe-west1', secretOf('open'))
      .messages.create({ ...ask, model: 'claude-sonnet-4-5@20250929' })
      .withResponse();
    expect(response.headers.get('x-claude-gateway-target')).toMatch(/^(bedrock\/eu|vertex\/europe-west1)/);
  });

  it('refuses a key whose residency differs from the geography the client names, saying what to ask for', async () => {
    const error = await failureOf<Error & { status?: number }>(
      bedrock(requiring, secretOf('us-only')).messages.create({
        ...ask,
        model: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
      }),
    );
    // A final refusal in the Bedrock dialect is a 400 (Claude Code's Bedrock mode retries any 403).
    expect(error.status).toBe(400);
    expect(error.message).toMatch(
      /names the Europe geography \(bedrock\/eu\), but this gateway key may only use targets in US\. Ask for a us or global/,
    );
    const matching = await bedrock(requiring, secretOf('europe-only'))
      .messages.create({ ...ask, model: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0' })
      .withResponse();
    expect(matching.response.headers.get('x-claude-gateway-target')).toMatch(/^bedrock\/eu/);
  });

  it('holds an EU key to the EU when the client names an eu. profile, whose regions include London and Zurich', async () => {
    const { response } = await bedrock(requiring, secretOf('eu-only'))
      .messages.create({ ...ask, model: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0' })
      .withResponse();
    expect(response.headers.get('x-claude-gateway-target')).toBe('vertex/europe-west1');
  });
});

describe('clientGeography: prefer (the default)', () => {
  it('serves an eu. model id by the route that matches it', async () => {
    const { response } = await bedrock(preferring)
      .messages.create({ ...ask, model: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0' })
      .withResponse();
    expect(response.headers.get('x-claude-gateway-target')).toMatch(/^bedrock\/global/);
  });
});
