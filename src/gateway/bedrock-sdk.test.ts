/**
 * The gateway's Bedrock dialect through `@anthropic-ai/bedrock-sdk`
 * (baseURL = the gateway, `skipAuth`: the gateway holds the AWS credentials),
 * served by Bedrock and, re-encoded as event-stream, by Vertex and the
 * Anthropic API.
 */

import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestGateway } from '../test-support/gateway.js';

const gateway = useTestGateway({
  config: {
    routes: [
      { models: ['claude-sonnet-4-5'], targets: ['bedrock/global'] },
      { models: ['claude-haiku-4-5'], targets: ['vertex/global'] },
      { models: ['claude-opus-4-5'], targets: ['anthropic'] },
    ],
  },
});

/** What the SDK saw on the wire before its own transcoding (it turns event-stream into SSE). */
let wire: { url: string; contentType: string | null }[] = [];
const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  wire.push({ url: String(input), contentType: response.headers.get('content-type') });
  return response;
};
beforeEach(() => {
  wire = [];
});

const client = () =>
  new AnthropicBedrock({
    baseURL: gateway().url,
    skipAuth: true,
    awsRegion: 'us-east-1',
    maxRetries: 0,
    fetch: recordingFetch,
  });

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('@anthropic-ai/bedrock-sdk through the gateway', () => {
  it('creates a message served by Bedrock (colon raw from the SDK, %3A upstream)', async () => {
    const { data: message, response } = await client()
      .messages.create({
        model: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
        max_tokens: 200,
        messages: [{ role: 'user', content: 'Bonjour from the Bedrock SDK' }],
      })
      .withResponse();
    expect((message.content[0] as { text: string }).text).toContain('Bonjour from the Bedrock SDK');
    expect(message.id).toMatch(/^msg_bdrk_/);
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^req_gw_/);
    expect(response.headers.get('x-amzn-bedrock-output-token-count')).toBe(
      String(message.usage.output_tokens),
    );
    expect(wire[0]?.url).toBe(
      `${gateway().url}/model/global.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke`,
    );
    const [arrived] = gateway().emulator.state.journal.list({ platform: 'bedrock' });
    expect(arrived?.path).toBe('/model/global.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke');
    // The SDK copies its anthropic-version header into the body; model and stream never reach Bedrock.
    expect(arrived?.body).toMatchObject({ anthropic_version: expect.any(String), max_tokens: 200 });
    expect(arrived?.body).not.toHaveProperty('model');
    expect(arrived?.body).not.toHaveProperty('stream');
  });

  it('streams from Bedrock and the SDK decodes every event-stream chunk', async () => {
    const stream = client().messages.stream({
      model: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Stream it through Bedrock' }],
    });
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    const final = await stream.finalMessage();
    expect(text).toContain('Stream it through Bedrock');
    expect(wire.at(-1)?.contentType).toBe('application/vnd.amazon.eventstream');
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  it.each([
    ['vertex', 'us.anthropic.claude-haiku-4-5-20251001-v1:0', /^msg_vrtx_/],
    ['anthropic', 'us.anthropic.claude-opus-4-5-20251101-v1:0', /^msg_(?!bdrk|vrtx)/],
  ])('streams an answer served by %s, re-encoded as event-stream', async (platform, model, idPattern) => {
    const { data: stream, response } = await client()
      .messages.create({
        model,
        max_tokens: 200,
        stream: true,
        messages: [{ role: 'user', content: `Cross-platform from ${platform}` }],
      })
      .withResponse();
    expect(wire.at(-1)?.url).toMatch(/\/invoke-with-response-stream$/);
    expect(wire.at(-1)?.contentType).toBe('application/vnd.amazon.eventstream');
    expect(response.headers.get('x-claude-gateway-target')).toMatch(new RegExp(`^${platform}`));
    const types: string[] = [];
    let text = '';
    let id = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'message_start') id = event.message.id;
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    }
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    expect(text).toContain(`Cross-platform from ${platform}`);
    expect(id).toMatch(idPattern);
    expect(gateway().emulator.state.journal.list({ platform })).toHaveLength(1);
    expect(gateway().emulator.state.journal.list({ platform: 'bedrock' })).toHaveLength(0);
  });

  it('creates a whole message served by Vertex for a Bedrock client', async () => {
    const message = await client().messages.create({
      model: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Whole answer from Vertex' }],
    });
    expect((message.content[0] as { text: string }).text).toContain('Whole answer from Vertex');
    const [arrived] = gateway().emulator.state.journal.list({ platform: 'vertex' });
    expect(arrived?.path).toContain('/publishers/anthropic/models/claude-haiku-4-5@20251001:rawPredict');
    expect(arrived?.body).toMatchObject({ anthropic_version: expect.any(String), max_tokens: 200 });
    expect(arrived?.body).not.toHaveProperty('model');
  });

  it.each([
    'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  ])('makes a streamed tool-use round trip with %s', async (model) => {
    const question = { role: 'user' as const, content: 'Weather in Porto?' };
    const first = await client()
      .messages.stream({
        model,
        max_tokens: 500,
        tools: [weatherTool],
        tool_choice: { type: 'tool', name: 'get_weather' },
        messages: [question],
      })
      .finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    const toolUse = first.content.find((block) => block.type === 'tool_use');
    if (toolUse?.type !== 'tool_use') throw new Error('no tool_use block');
    expect(toolUse.input).toMatchObject({ city: expect.any(String) });
    const second = await client()
      .messages.stream({
        model,
        max_tokens: 500,
        tools: [weatherTool],
        messages: [
          question,
          { role: 'assistant', content: first.content },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: '21°C, breezy' }],
          },
        ],
      })
      .finalMessage();
    expect(second.stop_reason).toBe('end_turn');
    expect(JSON.stringify(second.content)).toContain('21°C, breezy');
  });

  it('surfaces a Bedrock-shaped error as the SDK error class', async () => {
    await expect(
      client().messages.create({
        model: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
        max_tokens: 200,
        messages: [],
      }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('messages') });
  });
});
