/**
 * Bedrock's Converse API on the gateway through the AWS SDK's own
 * `ConverseCommand` and `ConverseStreamCommand`, served by Bedrock
 * (InvokeModel upstream), Vertex AI and the Anthropic API (all emulated):
 * text, a tool round trip, PDF documents with and without citations,
 * thinking, a cache point, usage and the activity log.
 */

import {
  BedrockRuntimeClient,
  type ContentBlock,
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  type ConverseStreamCommandInput,
  type ConverseStreamOutput,
  CountTokensCommand,
  type Message,
} from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../../test-support/gateway.js';
import { samplePdf } from './__fixtures__/sample-pdf.js';

const PLATFORMS = [
  { platform: 'bedrock', modelId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0' },
  { platform: 'vertex', modelId: 'us.anthropic.claude-opus-4-5-20251101-v1:0' },
  { platform: 'anthropic', modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0' },
] as const;

const gateway = useTestGateway({
  config: {
    store: { bodies: 'full' },
    routes: [
      { models: ['claude-sonnet-4-5'], targets: ['bedrock/global'] },
      { models: ['claude-opus-4-5'], targets: ['vertex/global'] },
      { models: ['claude-haiku-4-5'], targets: ['anthropic'] },
    ],
  },
});

const client = () =>
  new BedrockRuntimeClient({
    endpoint: gateway().url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDANYTHING', secretAccessKey: 'not-checked' },
    maxAttempts: 1,
  });

async function streamOf(input: ConverseStreamCommandInput): Promise<ConverseStreamOutput[]> {
  const answer = await client().send(new ConverseStreamCommand(input));
  const events: ConverseStreamOutput[] = [];
  for await (const event of answer.stream ?? []) events.push(event);
  return events;
}

function streamedText(events: ConverseStreamOutput[]): string {
  return events.map((event) => event.contentBlockDelta?.delta?.text ?? '').join('');
}

const weatherTool = {
  toolSpec: {
    name: 'get_weather',
    description: 'The weather in a city',
    inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  },
};

describe.each(PLATFORMS)('Converse served by $platform', ({ platform, modelId }) => {
  it('answers text with usage, stop reason and latency, and logs the request', async () => {
    const answer = await client().send(
      new ConverseCommand({
        modelId,
        system: [{ text: 'Be brief.' }],
        messages: [{ role: 'user', content: [{ text: `Hello over Converse from ${platform}` }] }],
        inferenceConfig: { maxTokens: 300, temperature: 0.5 },
        requestMetadata: { team: 'search', ticket: 'ABC-123' },
      }),
    );
    const text = answer.output?.message?.content?.[0]?.text;
    expect(text).toContain(`Hello over Converse from ${platform}`);
    expect(answer.output?.message?.role).toBe('assistant');
    expect(answer.stopReason).toBe('end_turn');
    expect(answer.usage?.inputTokens).toBeGreaterThan(0);
    expect(answer.usage?.outputTokens).toBeGreaterThan(0);
    expect(answer.usage?.totalTokens).toBe(
      (answer.usage?.inputTokens ?? 0) +
        (answer.usage?.outputTokens ?? 0) +
        (answer.usage?.cacheReadInputTokens ?? 0) +
        (answer.usage?.cacheWriteInputTokens ?? 0),
    );
    expect(answer.metrics?.latencyMs).toBeGreaterThanOrEqual(0);
    const journal = gateway().emulator.state.journal.list({ platform });
    expect(journal).toHaveLength(1);
    expect(journal[0]?.body).toMatchObject({
      max_tokens: 300,
      temperature: 0.5,
      system: [{ type: 'text', text: 'Be brief.' }],
    });
    const row = (await gateway().requests()).find((request) => request.requestedModel === modelId);
    expect(row).toMatchObject({
      dialect: 'bedrock',
      operation: 'converse',
      platform,
      status: 200,
      stopReason: 'end_turn',
      requestMetadata: { team: 'search', ticket: 'ABC-123' },
    });
    expect(row?.inputTokens).toBe(answer.usage?.inputTokens);
  });

  it('streams text as messageStart, deltas, messageStop and metadata', async () => {
    const events = await streamOf({
      modelId,
      messages: [{ role: 'user', content: [{ text: `Stream over Converse from ${platform}` }] }],
      inferenceConfig: { maxTokens: 300 },
    });
    expect(events[0]?.messageStart?.role).toBe('assistant');
    expect(streamedText(events)).toContain(`Stream over Converse from ${platform}`);
    const names = events.map((event) => Object.keys(event).find((key) => key !== '$unknown'));
    expect(names.at(-3)).toBe('contentBlockStop');
    expect(names.at(-2)).toBe('messageStop');
    expect(names.at(-1)).toBe('metadata');
    expect(events.at(-2)?.messageStop?.stopReason).toBe('end_turn');
    const metadata = events.at(-1)?.metadata;
    expect(metadata?.usage?.outputTokens).toBeGreaterThan(0);
    expect(metadata?.metrics?.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('makes a tool round trip, the result answered by the model', async () => {
    const question: Message = { role: 'user', content: [{ text: 'What is the weather in Paris?' }] };
    const first = await client().send(
      new ConverseCommand({
        modelId,
        messages: [question],
        toolConfig: { tools: [weatherTool], toolChoice: { tool: { name: 'get_weather' } } },
        inferenceConfig: { maxTokens: 400 },
      }),
    );
    expect(first.stopReason).toBe('tool_use');
    const use = first.output?.message?.content?.find((block) => block.toolUse)?.toolUse;
    expect(use?.name).toBe('get_weather');
    expect(use?.input).toEqual({ city: 'example' });
    const second = await client().send(
      new ConverseCommand({
        modelId,
        messages: [
          question,
          first.output?.message as Message,
          {
            role: 'user',
            content: [{ toolResult: { toolUseId: use?.toolUseId, content: [{ json: { sky: 'sunny' } }] } }],
          },
        ],
        toolConfig: { tools: [weatherTool] },
        inferenceConfig: { maxTokens: 400 },
      }),
    );
    expect(second.stopReason).toBe('end_turn');
    expect(second.output?.message?.content?.[0]?.text).toContain('sunny');
    const sent = gateway().emulator.state.journal.list({ platform }).at(-1)?.body as {
      messages: { content: Record<string, unknown>[] }[];
    };
    expect(sent.messages[2]?.content[0]).toEqual({
      type: 'tool_result',
      tool_use_id: use?.toolUseId,
      content: [{ type: 'text', text: '{"sky":"sunny"}' }],
    });
  });

  it('streams a tool call: contentBlockStart with the tool, its input in deltas', async () => {
    const events = await streamOf({
      modelId,
      messages: [{ role: 'user', content: [{ text: 'Weather in Oslo?' }] }],
      toolConfig: { tools: [weatherTool], toolChoice: { any: {} } },
      inferenceConfig: { maxTokens: 400 },
    });
    const start = events.find((event) => event.contentBlockStart)?.contentBlockStart;
    expect(start?.start?.toolUse?.name).toBe('get_weather');
    const input = events
      .filter((event) => event.contentBlockDelta?.contentBlockIndex === start?.contentBlockIndex)
      .map((event) => event.contentBlockDelta?.delta?.toolUse?.input ?? '')
      .join('');
    expect(JSON.parse(input)).toEqual({ city: 'example' });
    expect(events.find((event) => event.messageStop)?.messageStop?.stopReason).toBe('tool_use');
  });

  it('sends a tool error result as is_error', async () => {
    const answer = await client().send(
      new ConverseCommand({
        modelId,
        messages: [
          { role: 'user', content: [{ text: 'Weather?' }] },
          {
            role: 'assistant',
            content: [{ toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Rome' } } }],
          },
          {
            role: 'user',
            content: [
              {
                toolResult: {
                  toolUseId: 'tooluse_1',
                  status: 'error',
                  content: [{ text: 'station offline' }],
                },
              },
            ],
          },
        ],
        toolConfig: { tools: [weatherTool] },
        inferenceConfig: { maxTokens: 300 },
      }),
    );
    expect(answer.output?.message?.content?.[0]?.text).toContain('station offline');
    const sent = gateway().emulator.state.journal.list({ platform }).at(-1)?.body as {
      messages: { content: Record<string, unknown>[] }[];
    };
    expect(sent.messages[2]?.content[0]).toMatchObject({ type: 'tool_result', is_error: true });
  });

  it('reads a PDF document without citations', async () => {
    const answer = await client().send(
      new ConverseCommand({
        modelId,
        messages: [
          {
            role: 'user',
            content: [
              { document: { format: 'pdf', name: 'Quarterly report', source: { bytes: samplePdf() } } },
              { text: 'Summarize the report' },
            ],
          },
        ],
        inferenceConfig: { maxTokens: 300 },
      }),
    );
    expect(answer.output?.message?.content?.[0]?.text).toContain('Summarize the report');
    const sent = gateway().emulator.state.journal.list({ platform }).at(-1)?.body as {
      messages: { content: Record<string, unknown>[] }[];
    };
    expect(sent.messages[0]?.content[0]).toEqual({
      type: 'document',
      title: 'Quarterly report',
      source: {
        type: 'base64',
        media_type: 'application/pdf',
        data: Buffer.from(samplePdf()).toString('base64'),
      },
    });
  });

  it('answers a PDF with citations enabled as citationsContent, whole and streamed', async () => {
    const input: ConverseCommandInput = {
      modelId,
      messages: [
        {
          role: 'user',
          content: [
            {
              document: {
                format: 'pdf',
                name: 'Quarterly report',
                source: { bytes: samplePdf() },
                citations: { enabled: true },
              },
            },
            { text: 'What does the report say?' },
          ],
        },
      ],
      inferenceConfig: { maxTokens: 300 },
    };
    const answer = await client().send(new ConverseCommand(input));
    const cited = answer.output?.message?.content?.find((block: ContentBlock) => block.citationsContent);
    const citation = cited?.citationsContent?.citations?.[0];
    expect(citation?.title).toBe('Quarterly report');
    expect(citation?.sourceContent?.[0]?.text).toContain('Revenue grew');
    expect(citation?.location?.documentPage).toEqual({ documentIndex: 0, start: 1, end: 2 });
    const events = await streamOf(input as ConverseStreamCommandInput);
    const streamedCitation = events.find((event) => event.contentBlockDelta?.delta?.citation)
      ?.contentBlockDelta?.delta?.citation;
    expect(streamedCitation?.location?.documentPage?.start).toBe(1);
    expect(streamedCitation?.sourceContent?.[0]?.text).toContain('Revenue grew');
  });

  it('thinks through additionalModelRequestFields, with a signature that round-trips', async () => {
    const input = {
      modelId,
      messages: [{ role: 'user' as const, content: [{ text: 'Think about the weather' }] }],
      inferenceConfig: { maxTokens: 3000 },
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 } },
    };
    const answer = await client().send(new ConverseCommand(input));
    const reasoning = answer.output?.message?.content?.[0]?.reasoningContent?.reasoningText;
    expect(reasoning?.text).toContain('The user asked');
    expect(reasoning?.signature).toBeTruthy();
    const events = await streamOf(input);
    const signature = events
      .map((event) => event.contentBlockDelta?.delta?.reasoningContent?.signature ?? '')
      .join('');
    expect(signature).toBeTruthy();
    expect(events.some((event) => event.contentBlockDelta?.delta?.reasoningContent?.text)).toBe(true);
    // The thinking block goes back with its signature: the emulator checks it as the platform would.
    const followUp = await client().send(
      new ConverseCommand({
        ...input,
        messages: [
          ...input.messages,
          answer.output?.message as Message,
          { role: 'user', content: [{ text: 'And tomorrow?' }] },
        ],
      }),
    );
    expect(followUp.stopReason).toBe('end_turn');
    const sent = gateway().emulator.state.journal.list({ platform }).at(-1)?.body as {
      messages: { content: Record<string, unknown>[] }[];
      thinking: unknown;
    };
    expect(sent.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(sent.messages[1]?.content[0]).toMatchObject({ type: 'thinking', signature: reasoning?.signature });
  });

  it('carries redacted thinking as redactedContent bytes, and sends it back unchanged', async () => {
    const data = 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIw';
    const input = {
      modelId,
      messages: [
        {
          role: 'user' as const,
          content: [{ text: `@emulator {"redacted_thinking": "${data}", "text": "Done."}` }],
        },
      ],
      inferenceConfig: { maxTokens: 3000 },
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 } },
    };
    const answer = await client().send(new ConverseCommand(input));
    const redacted = answer.output?.message?.content?.find(
      (block) => block.reasoningContent?.redactedContent,
    );
    expect(new TextDecoder().decode(redacted?.reasoningContent?.redactedContent)).toBe(data);
    const events = await streamOf(input);
    const streamed = events.find(
      (event) => event.contentBlockDelta?.delta?.reasoningContent?.redactedContent,
    );
    expect(
      new TextDecoder().decode(streamed?.contentBlockDelta?.delta?.reasoningContent?.redactedContent),
    ).toBe(data);
    await client().send(
      new ConverseCommand({
        ...input,
        messages: [
          ...input.messages,
          answer.output?.message as Message,
          { role: 'user', content: [{ text: 'And then?' }] },
        ],
      }),
    );
    const sent = gateway().emulator.state.journal.list({ platform }).at(-1)?.body as {
      messages: { content: Record<string, unknown>[] }[];
    };
    expect(sent.messages[1]?.content).toContainEqual({ type: 'redacted_thinking', data });
  });

  it('counts the tokens of a converse input (CountTokens)', async () => {
    const answer = await client().send(
      new CountTokensCommand({
        modelId,
        input: { converse: { messages: [{ role: 'user', content: [{ text: `Count me on ${platform}` }] }] } },
      }),
    );
    expect(answer.inputTokens).toBeGreaterThan(0);
    const [row] = await gateway().requests();
    expect(row).toMatchObject({ operation: 'count_tokens', platform, status: 200 });
  });

  it('caches at a cache point: written once, then read, in usage', async () => {
    const longSystem = `You are a careful assistant. ${'Background facts about the project. '.repeat(400)}`;
    const input = {
      modelId,
      system: [{ text: longSystem }, { cachePoint: { type: 'default' as const } }],
      messages: [{ role: 'user' as const, content: [{ text: `Cache test on ${platform}` }] }],
      inferenceConfig: { maxTokens: 200 },
    };
    const first = await client().send(new ConverseCommand(input));
    expect(first.usage?.cacheWriteInputTokens).toBeGreaterThan(0);
    const second = await client().send(new ConverseCommand(input));
    expect(second.usage?.cacheReadInputTokens).toBe(first.usage?.cacheWriteInputTokens);
    const sent = gateway().emulator.state.journal.list({ platform }).at(-1)?.body as {
      system: Record<string, unknown>[];
    };
    expect(sent.system[0]?.['cache_control']).toEqual({ type: 'ephemeral' });
  });
});
