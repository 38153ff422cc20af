import { describe, expect, it } from 'vitest';
import { PromptCache } from './prompt-cache.js';
import { countInputTokens } from './tokens.js';

const system = [
  { type: 'text', text: 'You are a careful assistant. '.repeat(300), cache_control: { type: 'ephemeral' } },
];
const turnOne = {
  system,
  messages: [
    {
      role: 'user',
      content: [{ type: 'text', text: 'First question. '.repeat(50), cache_control: { type: 'ephemeral' } }],
    },
  ],
};
const turnTwo = {
  system,
  messages: [
    { role: 'user', content: [{ type: 'text', text: 'First question. '.repeat(50) }] },
    { role: 'assistant', content: [{ type: 'text', text: 'First answer.' }] },
    {
      role: 'user',
      content: [{ type: 'text', text: 'Second question.', cache_control: { type: 'ephemeral' } }],
    },
  ],
};

describe('the emulated prompt cache', () => {
  it('reads the previous turn prefix after the breakpoint moved to the new last block, as Claude Code does', () => {
    let now = 0;
    const cache = new PromptCache(() => now);
    const first = cache.use('scope', countInputTokens(turnOne));
    const firstTotal = countInputTokens(turnOne).total;
    expect(first.cacheReadTokens).toBe(0);
    expect(first.cacheWriteTokens).toBeGreaterThan(1_000);
    expect(first.cacheWriteTokens).toBeLessThanOrEqual(firstTotal);
    now += 60_000;
    const second = cache.use('scope', countInputTokens(turnTwo));
    expect(second.cacheReadTokens).toBe(first.cacheWriteTokens);
    expect(second.cacheWriteTokens).toBeGreaterThan(0);
  });

  it('forgets after five minutes and keeps scopes (platform, region, model) apart', () => {
    let now = 0;
    const cache = new PromptCache(() => now);
    cache.use('bedrock/us-east-1/sonnet', countInputTokens(turnOne));
    expect(cache.use('vertex/global/sonnet', countInputTokens(turnOne)).cacheReadTokens).toBe(0);
    now += 5 * 60_000 + 1;
    expect(cache.use('bedrock/us-east-1/sonnet', countInputTokens(turnOne)).cacheReadTokens).toBe(0);
  });

  it('does not cache prefixes under the minimum', () => {
    const cache = new PromptCache();
    const small = {
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'tiny', cache_control: { type: 'ephemeral' } }] },
      ],
    };
    expect(cache.use('scope', countInputTokens(small))).toEqual({ cacheReadTokens: 0, cacheWriteTokens: 0 });
  });
});
