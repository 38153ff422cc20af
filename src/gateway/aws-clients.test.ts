/**
 * The two newer AWS clients pointed at the gateway, unchanged: `AnthropicBedrockMantle`
 * (`@anthropic-ai/bedrock-sdk` ≥ 1.2, Bedrock's Messages API: first-party Messages requests to
 * `{baseURL}/v1/messages`, SigV4 with the signing name `bedrock-mantle` or a Bedrock API key as
 * Bearer) and `AnthropicAws` (`@anthropic-ai/aws-sdk`, Claude Platform on AWS: `/v1/messages`,
 * SigV4 `aws-external-anthropic` or a workspace key as Bearer, and `anthropic-workspace-id`).
 * They speak the Anthropic Messages dialect: the gateway's Anthropic ingress serves them, with the
 * gateway key as the SigV4 access key id (the gateway has no secret to check a signature with) or
 * as the Bearer token, routed to any platform, answers and errors in the Anthropic shape.
 */

import AnthropicAws from '@anthropic-ai/aws-sdk';
import { AnthropicBedrockMantle } from '@anthropic-ai/bedrock-sdk';
import type Anthropic from '@anthropic-ai/sdk';
import { beforeEach, describe, expect, it } from 'vitest';
import { failureOf, useTestGateway } from '../test-support/gateway.js';

const gateway = useTestGateway({
  config: {
    routes: [
      // Every model these clients name here is answered by a platform that is not theirs.
      { models: ['claude-opus-5-5'], targets: ['vertex/global'] },
      { models: ['claude-haiku-4-5'], targets: ['bedrock/global'] },
      { models: ['claude-sonnet-5-5'], targets: ['claude-platform-aws'] },
    ],
  },
  keys: [{ name: 'aws-clients' }],
});

/** What each client put on the wire: the URL and its credential header. */
let wire: { url: string; authorization: string | null; workspace: string | null }[] = [];
const recordingFetch: typeof fetch = async (input, init) => {
  const headers = new Headers(init?.headers);
  wire.push({
    url: String(input),
    authorization: headers.get('authorization'),
    workspace: headers.get('anthropic-workspace-id'),
  });
  return fetch(input, init);
};
beforeEach(() => {
  wire = [];
});

const secret = () => gateway().keys[0]?.secret ?? expect.fail('no key');
const keyId = () => gateway().keys[0]?.record.id ?? expect.fail('no key');

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

/**
 * One answer, one stream and a tool round trip (the model calls the tool, the result goes back,
 * the model answers from it, streamed), all from one client and model.
 */
async function threeCalls(client: { messages: Anthropic['messages'] }, model: string): Promise<string[]> {
  const targets: string[] = [];
  const { data: message, response } = await client.messages
    .create({ model, max_tokens: 200, messages: [{ role: 'user', content: 'Tell me about Lisbon' }] })
    .withResponse();
  targets.push(response.headers.get('x-claude-gateway-target') ?? '');
  expect(message).toMatchObject({ type: 'message', role: 'assistant', stop_reason: 'end_turn' });
  expect((message.content[0] as { text: string }).text).toContain('Tell me about Lisbon');

  const stream = client.messages.stream({
    model,
    max_tokens: 200,
    messages: [{ role: 'user', content: 'Stream about Porto' }],
  });
  let text = '';
  stream.on('text', (delta) => {
    text += delta;
  });
  const streamed = await stream.finalMessage();
  expect(text).toContain('Stream about Porto');
  expect(streamed.stop_reason).toBe('end_turn');
  expect(streamed.usage.output_tokens).toBeGreaterThan(0);

  const question = { role: 'user' as const, content: 'Weather in Lisbon?' };
  const first = await client.messages.create({
    model,
    max_tokens: 300,
    tools: [weatherTool],
    tool_choice: { type: 'tool', name: 'get_weather' },
    messages: [question],
  });
  expect(first.stop_reason).toBe('tool_use');
  const use = first.content.find((block) => block.type === 'tool_use');
  expect(use).toMatchObject({ type: 'tool_use', name: 'get_weather', input: expect.any(Object) });
  const second = await client.messages
    .stream({
      model,
      max_tokens: 300,
      tools: [weatherTool],
      messages: [
        question,
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: use?.id ?? '', content: 'Sunny, 24 degrees' }],
        },
      ],
    })
    .finalMessage();
  expect(second.stop_reason).toBe('end_turn');
  expect(second.content[0]?.type).toBe('text');
  expect(wire).toHaveLength(4);
  return targets;
}

/** The activity rows of the last `count` calls: the Anthropic dialect, the gateway key, the platform. */
async function lastRows(count: number) {
  const rows = (await gateway().requests()).slice(0, count).reverse();
  return rows.map((row) => [row.dialect, row.keyId, row.platform, row.status]);
}

describe('AnthropicBedrockMantle (bedrock-sdk) pointed at the gateway', () => {
  const mantle = (options: Record<string, unknown>) =>
    new AnthropicBedrockMantle({ awsRegion: 'us-east-1', maxRetries: 0, fetch: recordingFetch, ...options });

  for (const [how, path] of [
    ['baseURL = the gateway', ''],
    ['baseURL = the gateway + /anthropic (as Bedrock hosts it)', '/anthropic'],
  ] as const) {
    it(`SigV4 (bedrock-mantle) with the gateway key as access key id, ${how}: answered by Vertex`, async () => {
      const client = mantle({
        baseURL: `${gateway().url}${path}`,
        awsAccessKey: secret(),
        awsSecretAccessKey: 'any secret: the gateway cannot check the signature',
      });
      const targets = await threeCalls(client, 'global.anthropic.claude-opus-5-5');
      expect(targets).toEqual(['vertex/global']);
      expect(wire.map((sent) => sent.url)).toEqual(wire.map(() => `${gateway().url}${path}/v1/messages`));
      for (const sent of wire) {
        expect(sent.authorization).toMatch(
          new RegExp(`^AWS4-HMAC-SHA256 Credential=${secret()}/\\d{8}/us-east-1/bedrock-mantle/aws4_request`),
        );
      }
      expect(await lastRows(4)).toEqual(wire.map(() => ['anthropic', keyId(), 'vertex', 200]));
      const journal = gateway().emulator.state.journal.list();
      expect(journal.map((entry) => [entry.platform, entry.model])).toEqual(
        wire.map(() => ['vertex', 'claude-opus-5-5']),
      );
    });
  }

  it('a Bedrock API key (the gateway key as Bearer): answered by Bedrock InvokeModel, streamed as SSE', async () => {
    const client = mantle({ baseURL: gateway().url, apiKey: secret() });
    const targets = await threeCalls(client, 'us.anthropic.claude-haiku-4-5');
    expect(targets).toEqual(['bedrock/global@us-east-1']);
    for (const sent of wire) expect(sent.authorization).toBe(`Bearer ${secret()}`);
    expect(await lastRows(4)).toEqual(wire.map(() => ['anthropic', keyId(), 'bedrock', 200]));
    const paths = gateway()
      .emulator.state.journal.list({ platform: 'bedrock' })
      .map((entry) => entry.path);
    expect(paths).toEqual([
      '/model/global.anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke',
      '/model/global.anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke-with-response-stream',
      '/model/global.anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke',
      '/model/global.anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke-with-response-stream',
    ]);
  });

  it('counts tokens at /v1/messages/count_tokens', async () => {
    const client = mantle({ baseURL: gateway().url, apiKey: secret() });
    const counted = await client.messages.countTokens({
      model: 'global.anthropic.claude-opus-5-5',
      messages: [{ role: 'user', content: 'How many tokens is this?' }],
    });
    expect(counted.input_tokens).toBeGreaterThan(0);
    expect(wire.map((sent) => sent.url)).toEqual([`${gateway().url}/v1/messages/count_tokens`]);
  });

  it('a wrong or missing key: 401 authentication_error in the Anthropic shape, final (x-should-retry: false)', async () => {
    for (const options of [
      { apiKey: 'cgw_not-a-real-key' },
      { awsAccessKey: 'cgw_not-a-real-key', awsSecretAccessKey: 'x' },
      { skipAuth: true },
    ]) {
      const error = await failureOf<InstanceType<typeof Anthropic.APIError>>(
        mantle({ baseURL: gateway().url, ...options }).messages.create({
          model: 'global.anthropic.claude-opus-5-5',
          max_tokens: 10,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      );
      expect(error.status).toBe(401);
      expect(error.error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
      expect(error.headers?.get('x-should-retry')).toBe('false');
    }
    expect(gateway().emulator.state.journal.list()).toEqual([]);
  });
});

describe('AnthropicAws (aws-sdk) pointed at the gateway', () => {
  const aws = (options: Record<string, unknown>) =>
    new AnthropicAws({
      baseURL: gateway().url,
      awsRegion: 'us-west-2',
      workspaceId: 'wrkspc_client',
      maxRetries: 0,
      fetch: recordingFetch,
      ...options,
    });

  for (const [how, options] of [
    [
      'SigV4 (aws-external-anthropic) with the gateway key as access key id',
      { awsAccessKey: 'KEY', awsSecretAccessKey: 'any secret' },
    ],
    ['a workspace key (the gateway key as Bearer)', { apiKey: 'KEY' }],
  ] as const) {
    it(`${how}: answered by Vertex, the workspace header kept from it`, async () => {
      const withKey = Object.fromEntries(
        Object.entries(options).map(([name, value]) => [name, value === 'KEY' ? secret() : value]),
      );
      const targets = await threeCalls(aws(withKey), 'claude-opus-5-5');
      expect(targets).toEqual(['vertex/global']);
      for (const sent of wire) {
        expect(sent.url).toBe(`${gateway().url}/v1/messages`);
        expect(sent.workspace).toBe('wrkspc_client');
        expect(sent.authorization).toMatch(
          'apiKey' in options
            ? `Bearer ${secret()}`
            : new RegExp(
                `^AWS4-HMAC-SHA256 Credential=${secret()}/\\d{8}/us-west-2/aws-external-anthropic/aws4_request`,
              ),
        );
      }
      expect(await lastRows(4)).toEqual(wire.map(() => ['anthropic', keyId(), 'vertex', 200]));
      // anthropic-workspace-id belongs to Claude Platform on AWS: no other platform sees it.
      const journal = gateway().emulator.state.journal.list();
      expect(journal.map((entry) => [entry.platform, entry.headers['anthropic-workspace-id']])).toEqual(
        wire.map(() => ['vertex', undefined]),
      );
    });
  }

  it("sends the client's anthropic-workspace-id to a claude-platform-aws target", async () => {
    const ask = (workspaceId: string) =>
      aws({ apiKey: secret(), workspaceId }).messages.create({
        model: 'claude-sonnet-5-5',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'Which workspace?' }],
      });
    // The workspace the emulated account has: answered, with the client's id upstream.
    const workspace = gateway().emulator.auth.credentials.claudePlatformAwsWorkspaceId;
    const message = await ask(workspace);
    expect(message.model).toBe('claude-sonnet-5-5');
    // One it does not have: Claude Platform on AWS's refusal names it, so the client's id arrived.
    const refused = await failureOf<InstanceType<typeof Anthropic.APIError>>(ask('wrkspc_client'));
    expect(refused.status).toBe(404);
    expect(refused.message).toContain('workspace wrkspc_client was not found');
    const journal = gateway().emulator.state.journal.list({ platform: 'claude-platform-aws' });
    expect(journal.map((entry) => entry.headers['anthropic-workspace-id'])).toEqual([
      workspace,
      'wrkspc_client',
    ]);
    expect(await lastRows(2)).toEqual([
      ['anthropic', keyId(), 'claude-platform-aws', 200],
      ['anthropic', keyId(), 'claude-platform-aws', 404],
    ]);
  });

  it('a wrong key: 401 authentication_error in the Anthropic shape, final', async () => {
    const error = await failureOf<InstanceType<typeof Anthropic.APIError>>(
      aws({ awsAccessKey: 'cgw_not-a-real-key', awsSecretAccessKey: 'x' }).messages.create({
        model: 'claude-opus-5-5',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(error.status).toBe(401);
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(error.headers?.get('x-should-retry')).toBe('false');
    expect(gateway().emulator.state.journal.list()).toEqual([]);
  });
});

describe('AnthropicBedrockMantle naming a Bedrock profile, with clientGeography: require and no route', () => {
  const geo = useTestGateway({
    config: { routes: [], defaultTargets: ['vertex/global', 'bedrock/global'], clientGeography: 'require' },
    keys: [{ name: 'open' }, { name: 'us-only', residency: 'us' }],
  });
  const secretOf = (name: string) => geo().keys.find((key) => key.record.name === name)?.secret ?? '';
  const ask = (name: string, model: string) =>
    new AnthropicBedrockMantle({
      baseURL: geo().url,
      awsRegion: 'eu-west-1',
      apiKey: secretOf(name),
      maxRetries: 0,
    }).messages
      .create({ model, max_tokens: 100, messages: [{ role: 'user', content: 'Where am I served?' }] })
      .withResponse();

  it('is served first by the profile it names, on the Messages API (InvokeModel for a legacy model)', async () => {
    const messages = await ask('open', 'eu.anthropic.claude-haiku-4-5');
    expect(messages.response.headers.get('x-claude-gateway-target')).toMatch(/^bedrock-messages\/eu@/);
    const legacy = await ask('open', 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(legacy.response.headers.get('x-claude-gateway-target')).toMatch(/^bedrock\/eu@/);
    expect(
      geo()
        .emulator.state.journal.list()
        .map((entry) => [entry.platform, entry.model]),
    ).toEqual([
      ['bedrock-messages', 'eu.anthropic.claude-haiku-4-5'],
      ['bedrock', 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ]);
  });

  it('a key held to another geography is refused, final, in the Anthropic shape', async () => {
    const error = await failureOf<InstanceType<typeof Anthropic.APIError>>(
      ask('us-only', 'eu.anthropic.claude-haiku-4-5'),
    );
    expect(error.status).toBe(403);
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'permission_error' } });
    expect(error.headers?.get('x-should-retry')).toBe('false');
    expect(geo().emulator.state.journal.list()).toEqual([]);
  });
});

describe('both clients with skipAuth against a gateway without keys (as the README shows)', () => {
  const open = useTestGateway({
    config: { routes: [{ models: ['*'], targets: ['claude-platform-aws'] }] },
  });

  it("answers, and Claude Platform on AWS gets the gateway's own workspace when the client names none", async () => {
    const mantle = new AnthropicBedrockMantle({
      baseURL: open().url,
      awsRegion: 'us-east-1',
      skipAuth: true,
    });
    const aws = new AnthropicAws({ baseURL: open().url, awsRegion: 'us-east-1', skipAuth: true });
    const hello = { max_tokens: 100, messages: [{ role: 'user' as const, content: 'Hello' }] };
    expect((await mantle.messages.create({ model: 'anthropic.claude-opus-5-5', ...hello })).type).toBe(
      'message',
    );
    expect((await aws.messages.create({ model: 'claude-opus-5-5', ...hello })).type).toBe('message');
    const journal = open().emulator.state.journal.list({ platform: 'claude-platform-aws' });
    expect(journal.map((entry) => [entry.status, entry.headers['anthropic-workspace-id']])).toEqual([
      [200, open().emulator.auth.credentials.claudePlatformAwsWorkspaceId],
      [200, open().emulator.auth.credentials.claudePlatformAwsWorkspaceId],
    ]);
  });
});
