import { describe, expect, it } from 'vitest';
import { bedrockCountTokensBody, parseBedrockCountTokens } from './bedrock-count-tokens.js';

describe('bedrockCountTokensBody', () => {
  it('wraps the InvokeModel body in base64', () => {
    const invoke =
      '{"anthropic_version":"bedrock-2023-05-31","max_tokens":1,"messages":[{"role":"user","content":"é"}]}';
    const body = JSON.parse(bedrockCountTokensBody(invoke));
    expect(Object.keys(body)).toEqual(['input']);
    expect(Buffer.from(body.input.invokeModel.body, 'base64').toString('utf8')).toBe(invoke);
  });
});

describe('parseBedrockCountTokens', () => {
  it('reads inputTokens', () => {
    expect(parseBedrockCountTokens({ inputTokens: 42 })).toBe(42);
  });

  it('fails loudly without a count', () => {
    expect(() => parseBedrockCountTokens({ input_tokens: 42 })).toThrow(/without an inputTokens count/);
  });
});
