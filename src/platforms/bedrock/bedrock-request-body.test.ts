import { describe, expect, it } from 'vitest';
import { BetaMemory } from '../betas.js';
import type { MessagesCall } from '../types.js';
import { bedrockRequestBody } from './bedrock-request-body.js';

const messages = [
  { role: 'system', content: 'a system entry inside messages, as Claude Code sends it' },
  {
    role: 'user',
    content: [
      { type: 'text', text: 'hi', cache_control: { type: 'ephemeral', ttl: '1h' } },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } },
    ],
  },
  { role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm', signature: 'sig' }] },
];

function call(overrides: Partial<MessagesCall> = {}): MessagesCall {
  return {
    body: {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      messages,
      stream: true,
      thinking: { type: 'enabled', budget_tokens: 2000 },
      future_field: { nested: [1, 2, 3] },
    },
    stream: true,
    betas: [],
    ...overrides,
  };
}

describe('bedrockRequestBody', () => {
  it('drops model and stream, adds anthropic_version, and keeps everything else untouched', () => {
    const input = call();
    const { body, changes } = bedrockRequestBody(input);
    expect(body).toEqual({
      max_tokens: 1024,
      messages,
      thinking: { type: 'enabled', budget_tokens: 2000 },
      future_field: { nested: [1, 2, 3] },
      anthropic_version: 'bedrock-2023-05-31',
    });
    expect(body['messages']).toBe(messages);
    expect(changes).toEqual([]);
    expect(input.body['model']).toBe('claude-sonnet-4-5');
    expect(input.body['stream']).toBe(true);
  });

  it("keeps a client's dated version Bedrock accepts, and replaces another dialect's", () => {
    expect(bedrockRequestBody(call({ anthropicVersion: '2026-10-21' })).body['anthropic_version']).toBe(
      '2026-10-21',
    );
    expect(
      bedrockRequestBody(call({ anthropicVersion: 'vertex-2023-10-16' })).body['anthropic_version'],
    ).toBe('bedrock-2023-05-31');
    expect(bedrockRequestBody(call({ anthropicVersion: '2023-06-01' })).body['anthropic_version']).toBe(
      'bedrock-2023-05-31',
    );
  });

  it('replaces anthropic_version and anthropic_beta the body carried', () => {
    const input = call({ betas: ['context-1m-2025-08-07'] });
    input.body['anthropic_version'] = 'vertex-2023-10-16';
    input.body['anthropic_beta'] = ['stale-beta'];
    const { body } = bedrockRequestBody(input);
    expect(body['anthropic_version']).toBe('bedrock-2023-05-31');
    expect(body['anthropic_beta']).toEqual(['context-1m-2025-08-07']);
  });

  it('moves betas into the body, forwards unknown ones and drops those Bedrock rejects', () => {
    const { body, changes } = bedrockRequestBody(
      call({
        betas: ['interleaved-thinking-2025-05-14', 'brand-new-beta-2027-01-01', 'web-search-2025-03-05'],
      }),
    );
    expect(body['anthropic_beta']).toEqual(['interleaved-thinking-2025-05-14', 'brand-new-beta-2027-01-01']);
    expect(changes).toEqual(['dropped-beta:web-search-2025-03-05']);
  });

  it('drops betas learned to be rejected', () => {
    const memory = new BetaMemory();
    memory.remember('bedrock', ['brand-new-beta-2027-01-01']);
    const { body, changes } = bedrockRequestBody(call({ betas: ['brand-new-beta-2027-01-01'] }), memory);
    expect('anthropic_beta' in body).toBe(false);
    expect(changes).toEqual(['dropped-beta:brand-new-beta-2027-01-01']);
  });

  it('rewrites per-tool eager_input_streaming into the fine-grained tool streaming beta', () => {
    const tools = [
      { name: 'write', input_schema: { type: 'object' }, eager_input_streaming: true },
      { name: 'read', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } },
    ];
    const input = call({ betas: ['context-1m-2025-08-07'] });
    input.body['tools'] = tools;
    const { body, changes } = bedrockRequestBody(input);
    expect(body['tools']).toEqual([
      { name: 'write', input_schema: { type: 'object' } },
      { name: 'read', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } },
    ]);
    expect(body['anthropic_beta']).toEqual([
      'context-1m-2025-08-07',
      'fine-grained-tool-streaming-2025-05-14',
    ]);
    expect(changes).toEqual(['rewrote:eager_input_streaming→beta']);
    expect(tools[0]).toHaveProperty('eager_input_streaming', true);
  });

  it('does not add the beta twice, nor for eager_input_streaming: false', () => {
    const input = call({ betas: ['fine-grained-tool-streaming-2025-05-14'] });
    input.body['tools'] = [{ name: 'a', eager_input_streaming: true }];
    expect(bedrockRequestBody(input).body['anthropic_beta']).toEqual([
      'fine-grained-tool-streaming-2025-05-14',
    ]);
    const off = call();
    off.body['tools'] = [{ name: 'a', eager_input_streaming: false }];
    const result = bedrockRequestBody(off);
    expect(result.body['tools']).toEqual([{ name: 'a' }]);
    expect('anthropic_beta' in result.body).toBe(false);
    expect(result.changes).toEqual([]);
  });

  it('keeps the key order of the body, with the version and betas last', () => {
    const { body } = bedrockRequestBody(call({ betas: ['context-1m-2025-08-07'] }));
    expect(Object.keys(body)).toEqual([
      'max_tokens',
      'messages',
      'thinking',
      'future_field',
      'anthropic_version',
      'anthropic_beta',
    ]);
  });
});
