/**
 * The gateway's Vertex dialect through `@anthropic-ai/vertex-sdk`
 * (baseURL = the gateway + `/v1`), with an auth client that hands out a fixed
 * bearer token: the gateway checks gateway keys, not Google tokens. Served by
 * Vertex, and by Bedrock re-encoded as SSE.
 */

import Anthropic from '@anthropic-ai/sdk';
import { AnthropicVertex } from '@anthropic-ai/vertex-sdk';
import { describe, expect, it } from 'vitest';
import { failureOf, UPSTREAM_SECRETS, useTestGateway } from '../test-support/gateway.js';

const gateway = useTestGateway({
  config: {
    routes: [
      { models: ['claude-sonnet-4-5'], targets: ['vertex/global'] },
      { models: ['claude-haiku-4-5'], targets: ['bedrock/global'] },
    ],
  },
});

/** A stand-in for google-auth-library's client: a fixed bearer token, as a user's ADC would give. */
const authClient = {
  getRequestHeaders: async () => new Headers({ authorization: 'Bearer ya29.client-token-not-checked' }),
};

const client = (region = 'us-east5') =>
  new AnthropicVertex({
    baseURL: `${gateway().url}/v1`,
    region,
    projectId: 'client-project',
    authClient: authClient as never,
    maxRetries: 0,
  });

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('@anthropic-ai/vertex-sdk through the gateway', () => {
  it('creates a message served by Vertex with the gateway credentials, not the client token', async () => {
    const { data: message, response } = await client()
      .messages.create({
        model: 'claude-sonnet-4-5@20250929',
        max_tokens: 200,
        messages: [{ role: 'user', content: 'Hola from the Vertex SDK' }],
      })
      .withResponse();
    expect(message.id).toMatch(/^msg_vrtx_/);
    expect((message.content[0] as { text: string }).text).toContain('Hola from the Vertex SDK');
    expect(response.headers.get('x-claude-gateway-target')).toBe('vertex/global');
    const [arrived] = gateway().emulator.state.journal.list({ platform: 'vertex' });
    // The gateway's project and its own token went upstream, not the client's.
    expect(arrived?.path).toBe(
      '/v1/projects/emulator-project/locations/global/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict',
    );
    expect(arrived?.headers['authorization']).not.toContain('ya29.cli');
    expect(arrived?.body).not.toHaveProperty('model');
  });

  it('streams from Vertex, the prompt-derived text reaching the client', async () => {
    const stream = client().messages.stream({
      model: 'claude-sonnet-4-5@20250929',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Stream through Vertex' }],
    });
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    const final = await stream.finalMessage();
    expect(text).toContain('Stream through Vertex');
    expect(final.stop_reason).toBe('end_turn');
    const [arrived] = gateway().emulator.state.journal.list({ platform: 'vertex' });
    expect(arrived?.path).toMatch(/:streamRawPredict$/);
  });

  it('counts tokens (count-tokens:rawPredict with the model in the body)', async () => {
    const messages = [{ role: 'user' as const, content: 'count these Vertex words' }];
    const counted = await client().messages.countTokens({ model: 'claude-sonnet-4-5@20250929', messages });
    expect(counted.input_tokens).toBeGreaterThan(3);
    const created = await client().messages.create({
      model: 'claude-sonnet-4-5@20250929',
      max_tokens: 20,
      messages,
    });
    expect(created.usage.input_tokens).toBe(counted.input_tokens);
    const [arrived] = gateway().emulator.state.journal.list({ platform: 'vertex' });
    expect(arrived?.path).toMatch(/\/models\/count-tokens:rawPredict$/);
  });

  it('counts tokens served by Bedrock for a Vertex client', async () => {
    const counted = await client().messages.countTokens({
      model: 'claude-haiku-4-5@20251001',
      messages: [{ role: 'user', content: 'count on Bedrock' }],
    });
    expect(counted.input_tokens).toBeGreaterThan(2);
    expect(gateway().emulator.state.journal.list({ platform: 'bedrock' })[0]?.path).toMatch(
      /\/count-tokens$/,
    );
  });

  it.each([false, true])('is served from Bedrock (stream: %s)', async (streamed) => {
    const params = {
      model: 'claude-haiku-4-5@20251001',
      max_tokens: 200,
      messages: [{ role: 'user' as const, content: `Vertex client, Bedrock answer ${streamed}` }],
    };
    const message = streamed
      ? await client().messages.stream(params).finalMessage()
      : await client().messages.create(params);
    expect(message.id).toMatch(/^msg_bdrk_/);
    expect((message.content[0] as { text: string }).text).toContain(
      `Vertex client, Bedrock answer ${streamed}`,
    );
    expect(message.stop_reason).toBe('end_turn');
    const journal = gateway().emulator.state.journal.list({ platform: 'bedrock' });
    expect(journal.map((entry) => entry.operation)).toEqual([
      streamed ? 'invoke-with-response-stream' : 'invoke',
    ]);
  });

  it.each(['claude-sonnet-4-5@20250929', 'claude-haiku-4-5@20251001'])(
    'makes a tool-use round trip with %s',
    async (model) => {
      const question = { role: 'user' as const, content: 'Weather in Madrid?' };
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
              content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: '30°C, dry' }],
            },
          ],
        })
        .finalMessage();
      expect(second.stop_reason).toBe('end_turn');
      expect(JSON.stringify(second.content)).toContain('30°C, dry');
    },
  );

  it('serves a base URL without /v1, as Claude Code posts it (`{base}/projects/…`)', async () => {
    const bare = new AnthropicVertex({
      baseURL: gateway().url,
      region: 'global',
      projectId: 'client-project',
      authClient: authClient as never,
      maxRetries: 0,
    });
    const message = await bare.messages.create({
      model: 'claude-sonnet-4-5@20250929',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'no v1 prefix' }],
    });
    expect((message.content[0] as { text: string }).text).toContain('no v1 prefix');
  });

  it('answers an unknown model in the Vertex error shape the SDK reads', async () => {
    const apiError = await failureOf<InstanceType<typeof Anthropic.APIError>>(
      client().messages.create({
        model: 'claude-imaginary@20990101',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(apiError).toBeInstanceOf(Anthropic.APIError);
    expect(apiError.status).toBeGreaterThanOrEqual(400);
    expect(apiError.status).toBeLessThan(500);
    for (const secret of UPSTREAM_SECRETS) expect(JSON.stringify(apiError.error)).not.toContain(secret);
  });
});
