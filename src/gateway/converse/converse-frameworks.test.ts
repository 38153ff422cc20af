/**
 * Converse through the frameworks applications use, pointed at the gateway
 * and served by Bedrock, Vertex AI and the Anthropic API (emulated): the
 * Vercel AI SDK's `@ai-sdk/amazon-bedrock` (generateText, streamText with a
 * tool, several steps) and LangChain's `ChatBedrockConverse` (invoke,
 * stream, a tool call).
 */

import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ChatBedrockConverse } from '@langchain/aws';
import { generateText, isStepCount, streamText, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useTestGateway } from '../../test-support/gateway.js';

const PLATFORMS = [
  { platform: 'bedrock', modelId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0' },
  { platform: 'vertex', modelId: 'us.anthropic.claude-opus-4-5-20251101-v1:0' },
  { platform: 'anthropic', modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0' },
] as const;

const gateway = useTestGateway({
  config: {
    routes: [
      { models: ['claude-sonnet-4-5'], targets: ['bedrock/global'] },
      { models: ['claude-opus-4-5'], targets: ['vertex/global'] },
      { models: ['claude-haiku-4-5'], targets: ['anthropic'] },
    ],
  },
});

const bedrock = () =>
  createAmazonBedrock({
    baseURL: gateway().url,
    region: 'us-east-1',
    accessKeyId: 'AKIDANYTHING',
    secretAccessKey: 'not-checked',
  });

const weather = tool({
  description: 'The weather in a city',
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, sky: 'sunny' }),
});

const langchain = (modelId: string) =>
  new ChatBedrockConverse({
    model: modelId,
    region: 'us-east-1',
    maxTokens: 400,
    client: new BedrockRuntimeClient({
      endpoint: gateway().url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDANYTHING', secretAccessKey: 'not-checked' },
      maxAttempts: 1,
    }),
  });

describe.each(PLATFORMS)('the Vercel AI SDK served by $platform', ({ platform, modelId }) => {
  it('generates text, with usage', async () => {
    const result = await generateText({
      model: bedrock()(modelId),
      prompt: `Vercel generateText via ${platform}`,
      maxOutputTokens: 300,
    });
    expect(result.text).toContain(`Vercel generateText via ${platform}`);
    expect(result.finishReason).toBe('stop');
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    const [row] = await gateway().requests();
    expect(row).toMatchObject({ operation: 'converse', platform, status: 200 });
  });

  it('streams text with a tool over two steps: the call, then the answer from its result', async () => {
    const result = streamText({
      model: bedrock()(modelId),
      prompt: 'What is the weather in Paris?',
      tools: { weather },
      toolChoice: 'required',
      stopWhen: isStepCount(2),
      maxOutputTokens: 400,
      prepareStep: ({ stepNumber }) => (stepNumber > 0 ? { toolChoice: 'auto' } : {}),
    });
    let text = '';
    for await (const part of result.textStream) text += part;
    const steps = await result.steps;
    expect(steps).toHaveLength(2);
    expect(steps[0]?.toolCalls[0]).toMatchObject({ toolName: 'weather', input: { city: 'example' } });
    expect(steps[0]?.finishReason).toBe('tool-calls');
    expect(text).toContain('sunny');
    expect(await result.finishReason).toBe('stop');
    const rows = await gateway().requests();
    expect(rows.slice(0, 2).every((row) => row.stream && row.platform === platform)).toBe(true);
  });

  it('generates text after a tool call (generateText with a tool)', async () => {
    const result = await generateText({
      model: bedrock()(modelId),
      prompt: 'Weather in Rome?',
      tools: { weather },
      toolChoice: 'required',
      stopWhen: isStepCount(2),
      prepareStep: ({ stepNumber }) => (stepNumber > 0 ? { toolChoice: 'auto' } : {}),
      maxOutputTokens: 400,
    });
    expect(result.steps).toHaveLength(2);
    expect(result.text).toContain('sunny');
  });
});

describe.each(PLATFORMS)("LangChain's ChatBedrockConverse served by $platform", ({ platform, modelId }) => {
  it('invokes, with usage metadata', async () => {
    const message = await langchain(modelId).invoke(`LangChain invoke via ${platform}`);
    expect(String(message.content)).toContain(`LangChain invoke via ${platform}`);
    expect(message.usage_metadata?.input_tokens).toBeGreaterThan(0);
    expect(message.usage_metadata?.output_tokens).toBeGreaterThan(0);
  });

  it('streams', async () => {
    let text = '';
    let chunks = 0;
    for await (const chunk of await langchain(modelId).stream(`LangChain stream via ${platform}`)) {
      chunks += 1;
      text += typeof chunk.content === 'string' ? chunk.content : '';
    }
    expect(chunks).toBeGreaterThan(2);
    expect(text).toContain(`LangChain stream via ${platform}`);
  });

  it('calls a bound tool', async () => {
    const model = langchain(modelId).bindTools(
      [
        {
          name: 'get_weather',
          description: 'The weather in a city',
          schema: z.object({ city: z.string() }),
        },
      ],
      { tool_choice: 'get_weather' },
    );
    const message = await model.invoke('Weather in Lisbon?');
    expect(message.tool_calls?.[0]).toMatchObject({ name: 'get_weather', args: { city: 'example' } });
  });
});
