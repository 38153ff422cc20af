import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/gateway-error.js';
import { converseToMessages } from './converse-request.js';

const options = { defaultMaxTokens: 64_000, modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' };
const user = (content: unknown[]) => ({ role: 'user', content });
const translate = (request: Record<string, unknown>) => converseToMessages(request, options);

function refusal(request: Record<string, unknown>): string {
  try {
    translate(request);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(400);
    return (error as GatewayError).message;
  }
  throw new Error('expected a refusal');
}

describe('converseToMessages', () => {
  it('translates text, system and inference settings', () => {
    const { body } = translate({
      system: [{ text: 'Be brief.' }],
      messages: [user([{ text: 'Hi' }])],
      inferenceConfig: { maxTokens: 100, temperature: 0.2, topP: 0.9, stopSequences: ['END'] },
    });
    expect(body).toEqual({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      system: [{ type: 'text', text: 'Be brief.' }],
      max_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      stop_sequences: ['END'],
    });
  });

  it("defaults max_tokens to the model's maximum output, and asks for it when the model is unknown", () => {
    expect(translate({ messages: [user([{ text: 'Hi' }])] }).body['max_tokens']).toBe(64_000);
    expect(() =>
      converseToMessages(
        { messages: [user([{ text: 'Hi' }])] },
        { defaultMaxTokens: undefined, modelId: 'x.y' },
      ),
    ).toThrow(/inferenceConfig.maxTokens is required for x.y/);
  });

  it('turns cache points into cache_control on the block before, with the TTL', () => {
    const { body } = translate({
      system: [{ text: 'long' }, { cachePoint: { type: 'default', ttl: '1h' } }],
      messages: [user([{ text: 'a' }, { cachePoint: { type: 'default' } }, { text: 'b' }])],
      toolConfig: {
        tools: [
          { toolSpec: { name: 't', inputSchema: { json: { type: 'object' } } } },
          { cachePoint: { type: 'default' } },
        ],
      },
    });
    expect(body['system']).toEqual([
      { type: 'text', text: 'long', cache_control: { type: 'ephemeral', ttl: '1h' } },
    ]);
    expect((body['messages'] as { content: unknown[] }[])[0]?.content).toEqual([
      { type: 'text', text: 'a', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'b' },
    ]);
    expect(body['tools']).toEqual([
      { name: 't', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } },
    ]);
  });

  it('maps tool choices and tool specs', () => {
    const tools = [
      { toolSpec: { name: 'w', description: 'd', strict: true, inputSchema: { json: { type: 'object' } } } },
    ];
    for (const [choice, expected] of [
      [{ auto: {} }, { type: 'auto' }],
      [{ any: {} }, { type: 'any' }],
      [{ tool: { name: 'w' } }, { type: 'tool', name: 'w' }],
    ] as const) {
      const { body } = translate({
        messages: [user([{ text: 'x' }])],
        toolConfig: { tools, toolChoice: choice },
      });
      expect(body['tool_choice']).toEqual(expected);
      expect(body['tools']).toEqual([
        { name: 'w', description: 'd', strict: true, input_schema: { type: 'object' } },
      ]);
    }
  });

  it('translates documents: PDF bytes, text bytes, text and content sources, with citations', () => {
    const pdf = Buffer.from('%PDF-1.4').toString('base64');
    const { body } = translate({
      messages: [
        user([
          {
            document: {
              format: 'pdf',
              name: 'a',
              source: { bytes: pdf },
              citations: { enabled: true },
              context: 'c',
            },
          },
          {
            document: {
              format: 'md',
              name: 'b',
              source: { bytes: Buffer.from('# Title').toString('base64') },
            },
          },
          { document: { name: 'c', source: { text: 'plain' } } },
          { document: { name: 'd', source: { content: [{ text: 'one' }, { text: 'two' }] } } },
          { text: 'Compare them' },
        ]),
      ],
    });
    expect((body['messages'] as { content: unknown[] }[])[0]?.content.slice(0, 4)).toEqual([
      {
        type: 'document',
        title: 'a',
        context: 'c',
        citations: { enabled: true },
        source: { type: 'base64', media_type: 'application/pdf', data: pdf },
      },
      { type: 'document', title: 'b', source: { type: 'text', media_type: 'text/plain', data: '# Title' } },
      { type: 'document', title: 'c', source: { type: 'text', media_type: 'text/plain', data: 'plain' } },
      {
        type: 'document',
        title: 'd',
        source: {
          type: 'content',
          content: [
            { type: 'text', text: 'one' },
            { type: 'text', text: 'two' },
          ],
        },
      },
    ]);
  });

  it('sends reasoning back as thinking and redacted thinking', () => {
    const data = 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT';
    const { body } = translate({
      messages: [
        user([{ text: 'q' }]),
        {
          role: 'assistant',
          content: [
            { reasoningContent: { reasoningText: { text: 'hmm', signature: 'sig' } } },
            { reasoningContent: { redactedContent: Buffer.from(data).toString('base64') } },
            { text: 'answer' },
          ],
        },
        user([{ text: 'more' }]),
      ],
    });
    expect((body['messages'] as { content: unknown[] }[])[1]?.content).toEqual([
      { type: 'thinking', thinking: 'hmm', signature: 'sig' },
      { type: 'redacted_thinking', data },
      { type: 'text', text: 'answer' },
    ]);
  });

  it('sends citationsContent back as text with Claude citations', () => {
    const { body } = translate({
      messages: [
        user([{ text: 'q' }]),
        {
          role: 'assistant',
          content: [
            {
              citationsContent: {
                content: [{ text: 'Revenue grew.' }],
                citations: [
                  {
                    title: 'Report',
                    sourceContent: [{ text: 'Revenue grew 12%.' }],
                    location: { documentPage: { documentIndex: 0, start: 1, end: 2 } },
                  },
                ],
              },
            },
          ],
        },
        user([{ text: 'more' }]),
      ],
    });
    expect((body['messages'] as { content: unknown[] }[])[1]?.content).toEqual([
      {
        type: 'text',
        text: 'Revenue grew.',
        citations: [
          {
            type: 'page_location',
            cited_text: 'Revenue grew 12%.',
            document_index: 0,
            document_title: 'Report',
            start_page_number: 1,
            end_page_number: 2,
          },
        ],
      },
    ]);
  });

  it('merges additionalModelRequestFields (thinking, tool_choice, extra tools) and takes betas from anthropic_beta', () => {
    const translated = translate({
      messages: [user([{ text: 'x' }])],
      toolConfig: { tools: [{ toolSpec: { name: 'a', inputSchema: { json: { type: 'object' } } } }] },
      additionalModelRequestFields: {
        thinking: { type: 'enabled', budget_tokens: 2000 },
        tool_choice: { type: 'auto', disable_parallel_tool_use: true },
        tools: [{ type: 'bash_20250124', name: 'bash' }],
        anthropic_beta: ['interleaved-thinking-2025-05-14'],
        top_k: 5,
      },
    });
    expect(translated.betas).toEqual(['interleaved-thinking-2025-05-14']);
    expect(translated.body).toMatchObject({
      thinking: { type: 'enabled', budget_tokens: 2000 },
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      top_k: 5,
      tools: [
        { name: 'a', input_schema: { type: 'object' } },
        { type: 'bash_20250124', name: 'bash' },
      ],
    });
    expect(translated.body).not.toHaveProperty('anthropic_beta');
  });

  it('translates outputConfig into output_config (a JSON schema format, effort)', () => {
    const { body } = translate({
      messages: [user([{ text: 'x' }])],
      outputConfig: {
        effort: 'low',
        textFormat: {
          type: 'json_schema',
          structure: {
            jsonSchema: { schema: '{"type":"object"}', name: 'answer', description: 'The answer' },
          },
        },
      },
    });
    expect(body['output_config']).toEqual({
      effort: 'low',
      format: { type: 'json_schema', schema: { type: 'object', description: 'The answer' } },
    });
  });

  it('keeps requestMetadata and parses response field paths', () => {
    const translated = translate({
      messages: [user([{ text: 'x' }])],
      requestMetadata: { team: 'a b', id: '42' },
      additionalModelResponseFieldPaths: ['/delta/stop_sequence', '/a~1b'],
    });
    expect(translated.requestMetadata).toEqual({ team: 'a b', id: '42' });
    expect(translated.responseFieldPaths).toEqual([['delta', 'stop_sequence'], ['a/b']]);
  });

  it.each([
    [
      { messages: [user([{ audio: { format: 'mp3', source: { bytes: 'AA==' } } }])] },
      'messages.0.content.0.audio',
    ],
    [{ messages: [user([{ guardContent: { text: { text: 'x' } } }])] }, 'messages.0.content.0.guardContent'],
    [{ messages: [user([{ text: 'x' }])], promptVariables: { a: { text: 'b' } } }, 'promptVariables'],
    [{ messages: [user([{ text: 'x' }])], serviceTier: { type: 'flex' } }, 'serviceTier.type'],
    [
      { messages: [user([{ text: 'x' }])], performanceConfig: { latency: 'optimized' } },
      'performanceConfig.latency',
    ],
    [
      {
        messages: [user([{ text: 'x' }])],
        toolConfig: { tools: [{ systemTool: { name: 'nova_grounding' } }] },
      },
      'toolConfig.tools.0.systemTool',
    ],
    [{ messages: [user([{ toolAddition: { tool: { name: 'x' } } }])] }, 'messages.0.content.0.toolAddition'],
    [
      { messages: [user([{ text: 'x' }])], system: [{ guardContent: { text: { text: 'x' } } }] },
      'system.0.guardContent',
    ],
    [
      { messages: [user([{ text: 'x' }])], inferenceConfig: { temperature: 2 } },
      'inferenceConfig.temperature',
    ],
    [{ messages: [user([{ text: 'x' }])], requestMetadata: { key: 'no!' } }, 'requestMetadata.key'],
    [{ messages: [user([{ text: 'x', image: {} }])] }, 'messages.0.content.0 sets both text and image'],
  ])('refuses what Claude has no equivalent for, naming the field (%#)', (request, field) => {
    expect(refusal(request)).toContain(field);
  });

  it('asks for each toolUse to be answered in the next turn', () => {
    expect(
      refusal({
        messages: [
          user([{ text: 'q' }]),
          { role: 'assistant', content: [{ toolUse: { toolUseId: 'a', name: 't', input: {} } }] },
          user([{ text: 'no result' }]),
        ],
        toolConfig: { tools: [{ toolSpec: { name: 't', inputSchema: { json: {} } } }] },
      }),
    ).toBe('Expected toolResult blocks at messages.2.content for the following Ids: a');
  });
});
