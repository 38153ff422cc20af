import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../anthropic-events.js';
import { GatewayError } from '../errors/gateway-error.js';
import { decodeEventStreamMessage } from '../eventstream.js';
import {
  converseExceptionTypeFor,
  encodeConverseEvents,
  encodeConverseException,
} from './converse-frames.js';
import { messageToConverse } from './converse-response.js';
import { ConverseStreamTranslator } from './converse-stream.js';

const start = (usage: Record<string, number>): StreamEvent => ({
  type: 'message_start',
  message: {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage,
  },
});

function translate(events: StreamEvent[], paths: string[][] = []) {
  const translator = new ConverseStreamTranslator({
    startedAt: 1000,
    now: () => 1250,
    responseFieldPaths: paths,
  });
  return events.flatMap((event) => translator.push(event));
}

describe('ConverseStreamTranslator', () => {
  it('writes every block kind as Bedrock streams it to Converse clients', () => {
    const data = 'opaque-redacted';
    const events = translate(
      [
        start({
          input_tokens: 10,
          cache_read_input_tokens: 100,
          cache_creation_input_tokens: 0,
          output_tokens: 1,
        }),
        {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'thinking', thinking: '', signature: '' },
        },
        { type: 'ping' },
        { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me see' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } },
        { type: 'content_block_stop', index: 0 },
        { type: 'content_block_start', index: 1, content_block: { type: 'redacted_thinking', data } },
        { type: 'content_block_stop', index: 1 },
        { type: 'content_block_start', index: 2, content_block: { type: 'text', text: '', citations: [] } },
        {
          type: 'content_block_delta',
          index: 2,
          delta: {
            type: 'citations_delta',
            citation: {
              type: 'char_location',
              cited_text: 'Grass is green.',
              document_index: 1,
              document_title: 'Facts',
              start_char_index: 0,
              end_char_index: 15,
            },
          },
        },
        { type: 'content_block_delta', index: 2, delta: { type: 'text_delta', text: 'Green.' } },
        { type: 'content_block_stop', index: 2 },
        {
          type: 'content_block_start',
          index: 3,
          content_block: { type: 'tool_use', id: 'toolu_1', name: 'w', input: {} },
        },
        { type: 'content_block_delta', index: 3, delta: { type: 'input_json_delta', partial_json: '{"a":' } },
        { type: 'content_block_delta', index: 3, delta: { type: 'input_json_delta', partial_json: '1}' } },
        { type: 'content_block_stop', index: 3 },
        {
          type: 'message_delta',
          delta: { stop_reason: 'tool_use', stop_sequence: null },
          usage: { output_tokens: 42 },
        },
        { type: 'message_stop' },
      ],
      [['delta', 'stop_reason'], ['content', '2', 'text'], ['nothing']],
    );
    expect(events).toEqual([
      { name: 'messageStart', payload: { role: 'assistant' } },
      {
        name: 'contentBlockDelta',
        payload: { delta: { reasoningContent: { text: 'Let me see' } }, contentBlockIndex: 0 },
      },
      {
        name: 'contentBlockDelta',
        payload: { delta: { reasoningContent: { signature: 'sig' } }, contentBlockIndex: 0 },
      },
      { name: 'contentBlockStop', payload: { contentBlockIndex: 0 } },
      {
        name: 'contentBlockDelta',
        payload: {
          delta: { reasoningContent: { redactedContent: Buffer.from(data).toString('base64') } },
          contentBlockIndex: 1,
        },
      },
      { name: 'contentBlockStop', payload: { contentBlockIndex: 1 } },
      {
        name: 'contentBlockDelta',
        payload: {
          delta: {
            citation: {
              title: 'Facts',
              sourceContent: [{ text: 'Grass is green.' }],
              location: { documentChar: { documentIndex: 1, start: 0, end: 15 } },
            },
          },
          contentBlockIndex: 2,
        },
      },
      { name: 'contentBlockDelta', payload: { delta: { text: 'Green.' }, contentBlockIndex: 2 } },
      { name: 'contentBlockStop', payload: { contentBlockIndex: 2 } },
      {
        name: 'contentBlockStart',
        payload: { start: { toolUse: { toolUseId: 'toolu_1', name: 'w' } }, contentBlockIndex: 3 },
      },
      {
        name: 'contentBlockDelta',
        payload: { delta: { toolUse: { input: '{"a":' } }, contentBlockIndex: 3 },
      },
      { name: 'contentBlockDelta', payload: { delta: { toolUse: { input: '1}' } }, contentBlockIndex: 3 } },
      { name: 'contentBlockStop', payload: { contentBlockIndex: 3 } },
      {
        name: 'messageStop',
        payload: {
          stopReason: 'tool_use',
          additionalModelResponseFields: {
            delta: { stop_reason: 'tool_use' },
            content: { '2': { text: 'Green.' } },
          },
        },
      },
      {
        name: 'metadata',
        payload: {
          usage: {
            inputTokens: 10,
            outputTokens: 42,
            totalTokens: 152,
            cacheReadInputTokens: 100,
            cacheWriteInputTokens: 0,
          },
          metrics: { latencyMs: 250 },
        },
      },
    ]);
  });

  it('skips blocks Converse cannot carry (server tools), whole and streamed', () => {
    const events = translate([
      start({ input_tokens: 1 }),
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'server_tool_use', id: 's', name: 'web_search' },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{}' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_stop' },
    ]);
    expect(events.map((event) => event.name)).toEqual(['messageStart', 'messageStop', 'metadata']);
  });
});

describe('messageToConverse', () => {
  it('writes the whole answer: content, stop reason, usage with cache details, latency, fields', () => {
    const response = messageToConverse(
      {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude',
        content: [
          { type: 'thinking', thinking: 't', signature: 's' },
          { type: 'redacted_thinking', data: 'xyz' },
          { type: 'text', text: 'Hello' },
          {
            type: 'text',
            text: 'cited',
            citations: [
              {
                type: 'content_block_location',
                cited_text: 'one',
                document_index: 0,
                document_title: null,
                start_block_index: 0,
                end_block_index: 1,
              },
            ],
          },
          { type: 'tool_use', id: 'toolu_1', name: 'w', input: { a: 1 } },
        ],
        stop_reason: 'refusal',
        stop_sequence: null,
        usage: {
          input_tokens: 5,
          output_tokens: 7,
          cache_read_input_tokens: 0,
          cache_creation_input_tokens: 30,
          cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 20 },
        },
      },
      { latencyMs: 321, responseFieldPaths: [['stop_sequence']] },
    );
    expect(response).toEqual({
      output: {
        message: {
          role: 'assistant',
          content: [
            { reasoningContent: { reasoningText: { text: 't', signature: 's' } } },
            { reasoningContent: { redactedContent: Buffer.from('xyz').toString('base64') } },
            { text: 'Hello' },
            {
              citationsContent: {
                content: [{ text: 'cited' }],
                citations: [
                  {
                    sourceContent: [{ text: 'one' }],
                    location: { documentChunk: { documentIndex: 0, start: 0, end: 1 } },
                  },
                ],
              },
            },
            { toolUse: { toolUseId: 'toolu_1', name: 'w', input: { a: 1 } } },
          ],
        },
      },
      stopReason: 'content_filtered',
      usage: {
        inputTokens: 5,
        outputTokens: 7,
        totalTokens: 42,
        cacheReadInputTokens: 0,
        cacheWriteInputTokens: 30,
        cacheDetails: [
          { ttl: '1h', inputTokens: 20 },
          { ttl: '5m', inputTokens: 10 },
        ],
      },
      metrics: { latencyMs: 321 },
      additionalModelResponseFields: { stop_sequence: null },
    });
  });
});

describe('Converse frames', () => {
  it('frames each event with its union member as the event type', () => {
    const bytes = encodeConverseEvents([{ name: 'messageStart', payload: { role: 'assistant' } }]);
    const message = decodeEventStreamMessage(bytes);
    expect(message.headers[':event-type']).toEqual({ type: 'string', value: 'messageStart' });
    expect(message.headers[':message-type']).toEqual({ type: 'string', value: 'event' });
    expect(JSON.parse(new TextDecoder().decode(message.body))).toEqual({ role: 'assistant' });
  });

  it("sends errors as ConverseStream's own exceptions (no modelTimeoutException)", () => {
    const timeout = GatewayError.fromCode('UPSTREAM_TIMEOUT', {
      platform: 'Vertex AI',
      duration: '600 seconds',
    });
    expect(converseExceptionTypeFor(timeout)).toBe('modelStreamErrorException');
    const message = decodeEventStreamMessage(encodeConverseException(timeout));
    expect(message.headers[':exception-type']).toEqual({
      type: 'string',
      value: 'modelStreamErrorException',
    });
    expect(JSON.parse(new TextDecoder().decode(message.body))).toMatchObject({
      message: timeout.message,
      originalStatusCode: timeout.status,
    });
    const throttled = GatewayError.fromBedrock({ name: 'ThrottlingException', message: 'slow down' });
    expect(converseExceptionTypeFor(throttled)).toBe('throttlingException');
  });
});
