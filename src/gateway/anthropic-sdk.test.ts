/**
 * The gateway's Anthropic dialect through `@anthropic-ai/sdk` (baseURL = the
 * gateway), served by each emulated platform.
 */

import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { failureOf, useTestGateway } from '../test-support/gateway.js';

const gateway = useTestGateway({
  config: {
    routes: [
      { models: ['via-bedrock'], model: 'claude-sonnet-4-5', targets: ['bedrock/global'] },
      { models: ['via-vertex'], model: 'claude-sonnet-4-5', targets: ['vertex/global'] },
      { models: ['claude-sonnet-4-5', 'claude-haiku-4-5'], targets: ['anthropic'] },
    ],
  },
});

const client = () =>
  new Anthropic({ baseURL: gateway().url, apiKey: 'any-key-without-gateway-keys', maxRetries: 0 });

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('@anthropic-ai/sdk through the gateway', () => {
  it.each([
    ['claude-sonnet-4-5', 'anthropic'],
    ['via-bedrock', 'bedrock'],
    ['via-vertex', 'vertex'],
  ])('creates a message with %s, answered by %s', async (model, platform) => {
    const { data: message, response } = await client()
      .messages.create({
        model,
        max_tokens: 300,
        messages: [{ role: 'user', content: `Tell me about Lisbon via ${platform}` }],
      })
      .withResponse();
    expect(message.type).toBe('message');
    expect((message.content[0] as { text: string }).text).toContain(`Tell me about Lisbon via ${platform}`);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-claude-gateway-target')).toMatch(new RegExp(`^${platform}`));
    expect(response.headers.get('request-id')).toMatch(/^req_gw_/);
    const journal = gateway().emulator.state.journal.list({ platform });
    expect(journal).toHaveLength(1);
    const id = response.headers.get('x-claude-gateway-request-id') ?? '';
    const { request, attempts } = await gateway().activity(id);
    expect(request).toMatchObject({ status: 200, dialect: 'anthropic', platform, requestedModel: model });
    expect(request?.inputTokens).toBe(message.usage.input_tokens);
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(['success']);
  });

  it.each([
    ['claude-haiku-4-5', 'anthropic'],
    ['via-bedrock', 'bedrock'],
    ['via-vertex', 'vertex'],
  ])('streams %s from %s with the prompt-derived text reaching the client', async (model, platform) => {
    const stream = client().messages.stream({
      model,
      max_tokens: 300,
      messages: [{ role: 'user', content: `Stream a reply about tides from ${platform}` }],
    });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    }
    const final = await stream.finalMessage();
    expect(types[0]).toBe('message_start');
    expect(types.filter((type) => type === 'content_block_delta').length).toBeGreaterThan(3);
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(text).toContain(`Stream a reply about tides from ${platform}`);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    const [row] = (await gateway().requests()).filter((entry) => entry.requestedModel === model);
    expect(row).toMatchObject({ status: 200, stream: true, platform, stopReason: 'end_turn' });
    expect(row?.outputTokens).toBe(final.usage.output_tokens);
  });

  it.each(['claude-sonnet-4-5', 'via-bedrock', 'via-vertex'])(
    'counts tokens for %s, agreeing with the streamed message_start',
    async (model) => {
      const messages = [{ role: 'user' as const, content: 'count these words please' }];
      const { data: counted, response } = await client()
        .messages.countTokens({ model, messages })
        .withResponse();
      expect(counted.input_tokens).toBeGreaterThan(3);
      const created = await client().messages.create({ model, max_tokens: 50, messages });
      expect(created.usage.input_tokens).toBe(counted.input_tokens);
      // Counting is free: the row keeps the count and a known cost of $0.
      const { request } = await gateway().activity(response.headers.get('request-id') ?? '');
      expect(request).toMatchObject({
        operation: 'count_tokens',
        inputTokens: counted.input_tokens,
        costUsd: 0,
      });
    },
  );

  it.each(['claude-sonnet-4-5', 'via-bedrock', 'via-vertex'])(
    'makes a tool-use round trip with %s',
    async (model) => {
      const question = { role: 'user' as const, content: 'Weather in Paris?' };
      const first = await client().messages.create({
        model,
        max_tokens: 500,
        tools: [weatherTool],
        tool_choice: { type: 'tool', name: 'get_weather' },
        messages: [question],
      });
      expect(first.stop_reason).toBe('tool_use');
      const toolUse = first.content.find((block) => block.type === 'tool_use');
      if (toolUse?.type !== 'tool_use') throw new Error('no tool_use block');
      expect(toolUse).toMatchObject({ name: 'get_weather', input: { city: expect.any(String) } });
      const second = await client().messages.create({
        model,
        max_tokens: 500,
        tools: [weatherTool],
        messages: [
          question,
          { role: 'assistant', content: first.content },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: '18°C and sunny' }],
          },
        ],
      });
      expect(second.stop_reason).toBe('end_turn');
      expect(JSON.stringify(second.content)).toContain('18°C and sunny');
    },
  );

  it('streams a forced tool call whose input the SDK assembles', async () => {
    const message = await client()
      .messages.stream({
        model: 'via-bedrock',
        max_tokens: 500,
        tools: [weatherTool],
        tool_choice: { type: 'tool', name: 'get_weather' },
        messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      })
      .finalMessage();
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content.find((block) => block.type === 'tool_use')).toMatchObject({
      name: 'get_weather',
      input: { city: expect.any(String) },
    });
  });

  it('tells the SDK that a mistyped model is not in the catalog, and what it was probably meant to be', async () => {
    const error = await failureOf<InstanceType<typeof Anthropic.APIError>>(
      client().messages.create({
        model: 'claude-haiku-4.5',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect([400, 404]).toContain(error.status);
    const body = error.error as { error?: { message?: string } } | undefined;
    // Each target said it does not serve the id, so every one was tried; the last one's words come back.
    expect(body?.error?.message).toMatch(/^Publisher Model `.*claude-haiku-4\.5` not found\./);
    expect(body?.error?.message).toContain(
      `("claude-haiku-4.5" is not in claude-gateway's model catalog, so it was sent as given; did you mean "claude-haiku-4-5"?)`,
    );
  });

  it('serves ?beta=true (what the SDK beta namespace and Claude Code send)', async () => {
    const message = await client().beta.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      betas: ['context-management-2025-06-27'],
      messages: [{ role: 'user', content: 'beta path' }],
    });
    expect(message.stop_reason).toBe('end_turn');
    const [arrived] = gateway().emulator.state.journal.list({ platform: 'anthropic' });
    expect(arrived?.headers['anthropic-beta']).toContain('context-management-2025-06-27');
  });
});
