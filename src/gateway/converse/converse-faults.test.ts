/**
 * Converse when things go wrong, through the AWS SDK: failover before the
 * first byte is invisible to the client; a failure after it ends the stream
 * with one of ConverseStream's exceptions carrying the platform's message;
 * malformed Converse bodies get a ValidationException naming the field, reach
 * no platform and are logged; gateway keys apply as to InvokeModel.
 */

import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseStreamCommandInput,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf, startTestGateway, type TestGateway, useTestGateway } from '../../test-support/gateway.js';

const SONNET = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';
const OPUS = 'global.anthropic.claude-opus-4-5-20251101-v1:0';

type AwsError = Error & { $metadata?: { httpStatusCode?: number } };

describe('Converse faults', () => {
  const gateway = useTestGateway({
    config: {
      routes: [
        { models: ['claude-sonnet-4-5'], targets: ['bedrock/global', 'vertex/global'] },
        { models: ['claude-haiku-4-5'], targets: ['bedrock/global'] },
        { models: ['claude-opus-4-5'], targets: ['anthropic'] },
      ],
    },
  });
  const aws = () =>
    new BedrockRuntimeClient({
      endpoint: gateway().url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDANY', secretAccessKey: 'unused' },
      maxAttempts: 1,
    });
  const request = (modelId: string, text: string): ConverseStreamCommandInput => ({
    modelId,
    messages: [{ role: 'user', content: [{ text }] }],
    inferenceConfig: { maxTokens: 300 },
  });

  async function readAll(input: ConverseStreamCommandInput): Promise<string> {
    const answer = await aws().send(new ConverseStreamCommand(input));
    let text = '';
    for await (const event of answer.stream ?? []) text += event.contentBlockDelta?.delta?.text ?? '';
    return text;
  }

  it('fails over before the first byte without the client seeing it, whole and streamed', async () => {
    gateway().emulator.state.faults.add({ kind: 'http', platform: 'bedrock', status: 503, count: 0 });
    const answer = await aws().send(new ConverseCommand(request(SONNET, 'Fail over quietly')));
    expect(answer.output?.message?.content?.[0]?.text).toContain('Fail over quietly');
    expect(answer.output?.message?.content?.[0]?.text).toContain('on vertex');
    expect(await readAll(request(SONNET, 'Stream after failover'))).toContain('on vertex');
    const rows = await gateway().requests();
    expect(rows[0]).toMatchObject({ operation: 'converse', platform: 'vertex', status: 200 });
    expect(rows[0]?.changes.join(' ')).toMatch(/failover/);
  });

  it('ends the stream with the Converse exception and the platform message (Bedrock)', async () => {
    gateway().emulator.state.faults.add({
      kind: 'stream-error',
      platform: 'bedrock',
      afterEvents: 4,
      errorType: 'ThrottlingException',
      message: 'Too many tokens, please wait before trying again.',
    });
    const error = await failureOf<AwsError>(readAll(request(HAIKU, 'throttle me mid-stream')));
    expect(error.name).toBe('ThrottlingException');
    expect(error.message).toBe('Too many tokens, please wait before trying again.');
    const [row] = await gateway().requests();
    expect(row).toMatchObject({ operation: 'converse', status: 200 });
    expect(row?.errorMessage).toBe('Too many tokens, please wait before trying again.');
  });

  it('ends the stream with the Converse exception and the platform message (Anthropic API)', async () => {
    gateway().emulator.state.faults.add({
      kind: 'stream-error',
      platform: 'anthropic',
      afterEvents: 3,
      errorType: 'overloaded_error',
      message: 'Overloaded',
    });
    const error = await failureOf<AwsError>(readAll(request(OPUS, 'overload me mid-stream')));
    expect(error.name).toBe('ServiceUnavailableException');
    expect(error.message).toBe('Overloaded');
  });

  it('ends a cut stream with a model stream error the SDK throws', async () => {
    gateway().emulator.state.faults.add({ kind: 'reset-mid-stream', platform: 'bedrock', afterEvents: 4 });
    const error = await failureOf<AwsError>(readAll(request(HAIKU, 'cut me off')));
    expect(error.name).toBe('InternalServerException');
    expect(error.message).toMatch(/Amazon Bedrock stream ended/);
  });

  const post = (body: string, path = `/model/${encodeURIComponent(SONNET)}/converse`) =>
    fetch(`${gateway().url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

  it.each([
    ['bad JSON', '{"messages": [', 'The request body is not valid JSON'],
    ['no messages', '{}', 'messages is required'],
    ['an unknown top-level field', '{"messages": [], "temperature": 1}', 'Unknown field temperature'],
    [
      'an unknown block type',
      JSON.stringify({ messages: [{ role: 'user', content: [{ sticker: {} }] }] }),
      'Unknown field messages.0.content.0.sticker',
    ],
    [
      'a block with two members',
      JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'a', image: {} }] }] }),
      'messages.0.content.0 sets both text and image',
    ],
    [
      'an image in an unsupported format',
      JSON.stringify({
        messages: [{ role: 'user', content: [{ image: { format: 'tiff', source: { bytes: 'AAAA' } } }] }],
      }),
      "Value 'tiff' at 'messages.0.content.0.image.format' failed to satisfy constraint: Member must satisfy enum value set: [png, jpeg, gif, webp]",
    ],
    [
      'an image in S3',
      JSON.stringify({
        messages: [
          {
            role: 'user',
            content: [{ image: { format: 'png', source: { s3Location: { uri: 's3://b/k' } } } }],
          },
        ],
      }),
      'The field messages.0.content.0.image.source.s3Location is not supported',
    ],
    [
      'a video',
      JSON.stringify({
        messages: [{ role: 'user', content: [{ video: { format: 'mp4', source: { bytes: 'AAAA' } } }] }],
      }),
      'The field messages.0.content.0.video is not supported through claude-gateway: Claude has no video input.',
    ],
    [
      'a docx document',
      JSON.stringify({
        messages: [
          {
            role: 'user',
            content: [{ document: { format: 'docx', name: 'd', source: { bytes: 'AAAA' } } }, { text: 'x' }],
          },
        ],
      }),
      'The field messages.0.content.0.document.format is not supported',
    ],
    [
      'a toolResult without its toolUse',
      JSON.stringify({
        messages: [{ role: 'user', content: [{ toolResult: { toolUseId: 't', content: [{ text: 'r' }] } }] }],
        toolConfig: { tools: [{ toolSpec: { name: 'a', inputSchema: { json: { type: 'object' } } } }] },
      }),
      'The number of toolResult blocks at messages.0.content exceeds the number of toolUse blocks of previous turn.',
    ],
    [
      'tool blocks without toolConfig',
      JSON.stringify({
        messages: [
          { role: 'user', content: [{ text: 'q' }] },
          { role: 'assistant', content: [{ toolUse: { toolUseId: 't', name: 'a', input: {} } }] },
          { role: 'user', content: [{ toolResult: { toolUseId: 't', content: [{ text: 'r' }] } }] },
        ],
      }),
      'The toolConfig field must be defined when using toolUse and toolResult content blocks.',
    ],
    [
      'an error toolResult without content',
      JSON.stringify({
        messages: [
          { role: 'user', content: [{ text: 'q' }] },
          { role: 'assistant', content: [{ toolUse: { toolUseId: 't', name: 'a', input: {} } }] },
          { role: 'user', content: [{ toolResult: { toolUseId: 't', status: 'error', content: [] } }] },
        ],
        toolConfig: { tools: [{ toolSpec: { name: 'a', inputSchema: { json: { type: 'object' } } } }] },
      }),
      'The content field at messages.2.content.0.toolResult cannot be empty when status value is error.',
    ],
    [
      'a system role message',
      JSON.stringify({ messages: [{ role: 'system', content: [{ text: 'x' }] }] }),
      'The field messages.0.role is not supported',
    ],
    [
      'maxTokens of 0',
      JSON.stringify({
        messages: [{ role: 'user', content: [{ text: 'x' }] }],
        inferenceConfig: { maxTokens: 0 },
      }),
      "Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ],
    [
      'a guardrail',
      JSON.stringify({
        messages: [{ role: 'user', content: [{ text: 'x' }] }],
        guardrailConfig: { guardrailIdentifier: 'gr', guardrailVersion: '1' },
      }),
      'The field guardrailConfig is not supported',
    ],
    [
      'a malformed response field path',
      JSON.stringify({
        messages: [{ role: 'user', content: [{ text: 'x' }] }],
        additionalModelResponseFieldPaths: ['stop_sequence'],
      }),
      'additionalModelResponseFieldPaths.0 "stop_sequence" is not a JSON Pointer',
    ],
    [
      'a cache point with nothing before it',
      JSON.stringify({
        messages: [{ role: 'user', content: [{ cachePoint: { type: 'default' } }, { text: 'x' }] }],
      }),
      'messages.0.content.0.cachePoint comes first',
    ],
    [
      'messages in additionalModelRequestFields',
      JSON.stringify({
        messages: [{ role: 'user', content: [{ text: 'x' }] }],
        additionalModelRequestFields: { messages: [] },
      }),
      'additionalModelRequestFields.messages cannot be set here',
    ],
  ])(
    'refuses %s with a ValidationException naming the field, reaching no platform',
    async (_name, body, message) => {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toMatch(/^ValidationException:/);
      const answer = (await response.json()) as { message: string };
      expect(answer.message).toContain(message);
      expect(gateway().emulator.state.journal.list()).toHaveLength(0);
      const id = response.headers.get('x-claude-gateway-request-id') ?? '';
      expect((await gateway().activity(id)).request).toMatchObject({
        status: 400,
        dialect: 'bedrock',
        operation: 'converse',
      });
    },
  );

  it('makes the AWS SDK throw ValidationException with the field named', async () => {
    const error = await failureOf<AwsError>(
      aws().send(
        new ConverseCommand({
          modelId: SONNET,
          messages: [{ role: 'user', content: [{ text: 'x' }] }],
          toolConfig: { tools: [] },
        }),
      ),
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(
      "1 validation error detected: Value at 'toolConfig.tools' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it("uses the model's maximum output when maxTokens is absent, as Bedrock does", async () => {
    const answer = await aws().send(
      new ConverseCommand({
        modelId: SONNET,
        messages: [{ role: 'user', content: [{ text: 'default max' }] }],
      }),
    );
    expect(answer.stopReason).toBe('end_turn');
    const [entry] = gateway().emulator.state.journal.list({ platform: 'bedrock' });
    expect((entry?.body as { max_tokens?: number } | undefined)?.max_tokens).toBe(64_000);
  });
});

describe('Converse with gateway keys', () => {
  let setup: TestGateway;
  beforeAll(async () => {
    setup = await startTestGateway({ keys: [{ name: 'converse-user' }] });
  });
  afterAll(async () => {
    await setup.close();
  });
  const converse = (accessKeyId: string) =>
    new BedrockRuntimeClient({
      endpoint: setup.url,
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey: 'unused' },
      maxAttempts: 1,
    }).send(
      new ConverseCommand({
        modelId: SONNET,
        messages: [{ role: 'user', content: [{ text: 'keyed converse' }] }],
        inferenceConfig: { maxTokens: 100 },
      }),
    );

  it('answers with the key as the access key id, and refuses without one', async () => {
    const answer = await converse(setup.keys[0]?.secret ?? '');
    expect(answer.output?.message?.content?.[0]?.text).toContain('keyed converse');
    const error = await failureOf<AwsError>(converse('AKIDNOTAKEY'));
    expect(error.$metadata?.httpStatusCode).toBe(401);
    const rows = await setup.requests();
    expect(rows.map((row) => row.keyName)).toContain('converse-user');
  });
});
