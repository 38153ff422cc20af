/**
 * The library's message types: `content` is a union discriminated by `type`,
 * so checking a block's type gives its typed fields, as with the Anthropic
 * SDK. The type checker (`tsc`, run by `npm test`) is the main test here: with
 * blocks typed `{ type: string; [key: string]: unknown }` this file does not
 * compile.
 */

import { describe, expect, expectTypeOf, it } from 'vitest';
import { type ContentBlock, type Message, type UnknownContentBlock, unknownBlockType } from '../index.js';

function describeBlock(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text.toUpperCase();
    case 'thinking':
      return `${block.thinking.trim()} (${block.signature.length})`;
    case 'redacted_thinking':
      return block.data.slice(0, 4);
    case 'tool_use':
      return `${block.name.toLowerCase()}#${block.id}`;
    case 'server_tool_use':
      return `server ${block.name}`;
    case 'web_search_tool_result':
      return Array.isArray(block.content)
        ? block.content.map((result) => `${result.title} <${result.url}>`).join(', ')
        : `search failed: ${block.content.error_code}`;
    default: {
      // The fallback never swallows a known block; narrowing does not reach it at all.
      expectTypeOf(block).toEqualTypeOf<never>();
      return 'unreachable';
    }
  }
}

function describeAny(block: ContentBlock): string {
  const other = unknownBlockType(block);
  if (other) return `other ${other}: ${String((block as UnknownContentBlock)['file_id'])}`;
  return describeBlock(block);
}

// A message as the platforms send it, with a block type newer than this package.
const message: Message = JSON.parse(
  JSON.stringify({
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-5-5',
    content: [
      { type: 'thinking', thinking: ' why ', signature: 'sig' },
      { type: 'redacted_thinking', data: 'EqQBCgIYAhIM' },
      { type: 'text', text: 'hello', citations: null },
      { type: 'server_tool_use', id: 'srv_1', name: 'web_search', input: { query: 'q' } },
      {
        type: 'web_search_tool_result',
        tool_use_id: 'srv_1',
        content: [
          { type: 'web_search_result', url: 'https://example.com', title: 'Example', encrypted_content: 'x' },
        ],
      },
      { type: 'tool_use', id: 'toolu_1', name: 'Get_Weather', input: { city: 'Paris' } },
      { type: 'container_upload', file_id: 'file_1' },
    ],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 1, output_tokens: 2 },
  }),
);

describe('Message.content', () => {
  it('narrows each block by its type, as the Anthropic SDK does', () => {
    const first = message.content[2];
    if (first?.type === 'text') expect(first.text.toUpperCase()).toBe('HELLO');
    expect(message.content.map(describeAny)).toEqual([
      'why (3)',
      'EqQB',
      'HELLO',
      'server web_search',
      'Example <https://example.com>',
      'get_weather#toolu_1',
      'other container_upload: file_1',
    ]);
  });

  it('types the fields of known blocks and keeps unknown fields as unknown', () => {
    const block = message.content[5] as ContentBlock;
    if (block.type === 'tool_use') {
      expectTypeOf(block.name).toEqualTypeOf<string>();
      expectTypeOf(block.input).toEqualTypeOf<unknown>();
    }
    if (block.type === 'text') {
      // @ts-expect-error text is a string
      const length: number = block.text;
      expect(length).toBeUndefined();
    }
    const unknown = message.content[6] as UnknownContentBlock;
    expectTypeOf(unknown['file_id']).toEqualTypeOf<unknown>();
    expect(unknown['file_id']).toBe('file_1');
  });
});
