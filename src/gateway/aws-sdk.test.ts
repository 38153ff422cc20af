/**
 * The gateway's Bedrock dialect through `@aws-sdk/client-bedrock-runtime`
 * (endpoint = the gateway; the SDK speaks cleartext HTTP/2 to it), with and
 * without gateway keys. With keys, the SigV4 access key id is the gateway key.
 */

import {
  BedrockRuntimeClient,
  CountTokensCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  type InvokeModelWithResponseStreamCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failureOf, startTestGateway, type TestGateway } from '../test-support/gateway.js';

const bedrockBody = (text: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    anthropic_version: 'bedrock-2023-05-31',
    max_tokens: 200,
    messages: [{ role: 'user', content: text }],
    ...extra,
  });

type AwsError = Error & { $metadata?: { httpStatusCode?: number } };
type StreamEvent = { type: string; [key: string]: unknown };

async function collect(answer: InvokeModelWithResponseStreamCommandOutput): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const item of answer.body ?? []) {
    if (item.chunk?.bytes) events.push(JSON.parse(new TextDecoder().decode(item.chunk.bytes)));
  }
  return events;
}

function textOf(events: StreamEvent[]): string {
  return events
    .filter((event) => event.type === 'content_block_delta')
    .map((event) => (event['delta'] as { text?: string }).text ?? '')
    .join('');
}

describe('@aws-sdk/client-bedrock-runtime through an open gateway', () => {
  let setup: TestGateway;
  beforeAll(async () => {
    setup = await startTestGateway({
      config: {
        routes: [
          { models: ['claude-sonnet-4-5'], targets: ['bedrock/global'] },
          { models: ['claude-haiku-4-5'], targets: ['anthropic'] },
          { models: ['claude-opus-4-5'], targets: ['vertex/global'] },
        ],
      },
    });
  });
  afterAll(async () => {
    await setup.close();
  });
  beforeEach(() => setup.emulator.state.reset());

  const client = () =>
    new BedrockRuntimeClient({
      endpoint: setup.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDANYTHING', secretAccessKey: 'not-checked' },
      maxAttempts: 1,
    });

  it('invokes a model (colon sent as %3A), with Bedrock usage headers', async () => {
    const answer = await client().send(
      new InvokeModelCommand({
        modelId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
        contentType: 'application/json',
        body: bedrockBody('Hello from the AWS SDK'),
      }),
    );
    const message = JSON.parse(new TextDecoder().decode(answer.body));
    expect(message.id).toMatch(/^msg_bdrk_/);
    expect(message.content[0].text).toContain('Hello from the AWS SDK');
    expect(answer.contentType).toBe('application/json');
    expect(answer.$metadata.httpStatusCode).toBe(200);
    expect(answer.$metadata.requestId).toMatch(/^req_gw_/);
    const [row] = await setup.requests();
    expect(row).toMatchObject({ dialect: 'bedrock', status: 200, platform: 'bedrock' });
    expect(row?.requestedModel).toBe('global.anthropic.claude-sonnet-4-5-20250929-v1:0');
  });

  it('streams from Bedrock and the SDK decodes every chunk, with invocation metrics', async () => {
    const events = await collect(
      await client().send(
        new InvokeModelWithResponseStreamCommand({
          modelId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
          contentType: 'application/json',
          body: bedrockBody('Stream it, AWS SDK'),
        }),
      ),
    );
    expect(events[0]?.type).toBe('message_start');
    expect(events.at(-1)?.type).toBe('message_stop');
    expect(events.at(-1)?.['amazon-bedrock-invocationMetrics']).toMatchObject({
      inputTokenCount: expect.any(Number),
    });
    expect(textOf(events)).toContain('Stream it, AWS SDK');
  });

  it.each([
    ['anthropic', 'us.anthropic.claude-haiku-4-5-20251001-v1:0'],
    ['vertex', 'us.anthropic.claude-opus-4-5-20251101-v1:0'],
  ])('streams an answer served by %s, re-encoded as event-stream', async (platform, modelId) => {
    const events = await collect(
      await client().send(
        new InvokeModelWithResponseStreamCommand({
          modelId,
          contentType: 'application/json',
          body: bedrockBody(`Served by ${platform}`),
        }),
      ),
    );
    expect(events[0]?.type).toBe('message_start');
    expect(events.at(-1)?.type).toBe('message_stop');
    const metrics = events.at(-1)?.['amazon-bedrock-invocationMetrics'] as Record<string, number> | undefined;
    expect(metrics?.['outputTokenCount']).toBeGreaterThan(0);
    expect(metrics?.['inputTokenCount']).toBeGreaterThan(0);
    expect(textOf(events)).toContain(`Served by ${platform}`);
    expect(setup.emulator.state.journal.list({ platform })).toHaveLength(1);
  });

  it('invokes a model served by the Anthropic API (a whole answer)', async () => {
    const answer = await client().send(
      new InvokeModelCommand({
        modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
        contentType: 'application/json',
        body: bedrockBody('Whole answer from Anthropic'),
      }),
    );
    const message = JSON.parse(new TextDecoder().decode(answer.body));
    expect(message.content[0].text).toContain('Whole answer from Anthropic');
  });

  it.each([
    ['bedrock', 'global.anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ['anthropic', 'us.anthropic.claude-haiku-4-5-20251001-v1:0'],
  ])('counts tokens (CountTokensCommand) served by %s', async (platform, modelId) => {
    const body = bedrockBody('count these tokens for me');
    const answer = await client().send(
      new CountTokensCommand({ modelId, input: { invokeModel: { body: new TextEncoder().encode(body) } } }),
    );
    expect(answer.inputTokens).toBeGreaterThan(3);
    const invoked = await client().send(
      new InvokeModelCommand({ modelId, contentType: 'application/json', body }),
    );
    const message = JSON.parse(new TextDecoder().decode(invoked.body));
    expect(message.usage.input_tokens).toBe(answer.inputTokens);
    expect(setup.emulator.state.journal.list({ platform }).length).toBe(2);
  });

  it.each([
    ['bedrock', 'global.anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ['vertex', 'us.anthropic.claude-opus-4-5-20251101-v1:0'],
  ])('makes a tool-use round trip served by %s', async (_platform, modelId) => {
    const tools = [
      {
        name: 'get_weather',
        description: 'Current weather for a city',
        input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    ];
    const question = { role: 'user', content: 'Weather in Lyon?' };
    const events = await collect(
      await client().send(
        new InvokeModelWithResponseStreamCommand({
          modelId,
          contentType: 'application/json',
          body: bedrockBody('unused', {
            tools,
            tool_choice: { type: 'tool', name: 'get_weather' },
            messages: [question],
          }),
        }),
      ),
    );
    const start = events.find(
      (event) =>
        event.type === 'content_block_start' &&
        (event['content_block'] as { type: string }).type === 'tool_use',
    );
    const block = start?.['content_block'] as { id: string; name: string };
    expect(block.name).toBe('get_weather');
    const json = events
      .filter((event) => event.type === 'content_block_delta')
      .map((event) => (event['delta'] as { partial_json?: string }).partial_json ?? '')
      .join('');
    const input = JSON.parse(json);
    expect(input).toMatchObject({ city: expect.any(String) });
    const answer = await client().send(
      new InvokeModelCommand({
        modelId,
        contentType: 'application/json',
        body: bedrockBody('unused', {
          tools,
          messages: [
            question,
            { role: 'assistant', content: [{ type: 'tool_use', id: block.id, name: block.name, input }] },
            {
              role: 'user',
              content: [{ type: 'tool_result', tool_use_id: block.id, content: '12°C, rain' }],
            },
          ],
        }),
      }),
    );
    const message = JSON.parse(new TextDecoder().decode(answer.body));
    expect(message.stop_reason).toBe('end_turn');
    expect(JSON.stringify(message.content)).toContain('12°C, rain');
  });

  it('raises ValidationException with the gateway message for a bad body', async () => {
    const error = await failureOf<AwsError>(
      client().send(
        new InvokeModelCommand({
          modelId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
          contentType: 'application/json',
          body: JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', messages: [] }),
        }),
      ),
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain('messages');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });
});

describe('@aws-sdk/client-bedrock-runtime with gateway keys (access key id = gateway key)', () => {
  let setup: TestGateway;
  beforeAll(async () => {
    setup = await startTestGateway({ keys: [{ name: 'aws-sdk-user' }] });
  });
  afterAll(async () => {
    await setup.close();
  });

  const client = (accessKeyId: string) =>
    new BedrockRuntimeClient({
      endpoint: setup.url,
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey: 'unused' },
      maxAttempts: 1,
    });
  const invoke = (accessKeyId: string) =>
    client(accessKeyId).send(
      new InvokeModelCommand({
        modelId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
        contentType: 'application/json',
        body: bedrockBody('signed with a gateway key'),
      }),
    );

  it('accepts the gateway key as the SigV4 access key id, and logs the key', async () => {
    const key = setup.keys[0];
    if (!key) throw new Error('no key');
    const answer = await invoke(key.secret);
    expect(JSON.parse(new TextDecoder().decode(answer.body)).content[0].text).toContain(
      'signed with a gateway key',
    );
    const [row] = await setup.requests();
    expect(row).toMatchObject({ keyId: key.record.id, keyName: 'aws-sdk-user', status: 200 });
  });

  it('refuses another access key id with an exception the SDK names, saying what to send', async () => {
    const error = await failureOf<AwsError>(invoke('AKIDNOTAGATEWAYKEY'));
    // Bedrock's exception for an unknown credential, with 401 and x-should-retry: false (final for Claude Code).
    expect(error.$metadata?.httpStatusCode).toBe(401);
    expect(error.name).toBe('UnrecognizedClientException');
    expect(error.message).toMatch(/gateway key/i);
  });
});
