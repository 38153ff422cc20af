import { describe, expect, it } from 'vitest';
import type { Message, StreamEvent } from '../wire/anthropic-events.js';
import { readStreamFixture, sdkFinalMessage } from './__fixtures__/stream-fixtures.js';
import { continueWithLargerMaxTokens, stoppedMidToolInput } from './max-tokens-stop.js';
import { MessageAccumulator } from './message-accumulator.js';

function accumulate(events: readonly StreamEvent[]): MessageAccumulator {
  const accumulator = new MessageAccumulator();
  for (const event of events) accumulator.push(event);
  return accumulator;
}

describe('stoppedMidToolInput', () => {
  it('finds the tool call a max_tokens stop cut short, with what is missing', () => {
    const accumulator = accumulate(readStreamFixture('max-tokens-mid-tool-input.sse.txt'));
    const expected = {
      index: 1,
      id: 'toolu_01Gp2mZ3vTq9xW8s4Lk7Jd5R',
      name: 'make_file',
      rawJson: '{"filename":"poem.txt","lines_of_text":["Roses are red,","Violets are \\"',
      missing: { path: ['lines_of_text', 1], inside: 'string', closers: '"]}' },
    };
    expect(stoppedMidToolInput(accumulator)).toEqual(expected);
    expect(stoppedMidToolInput(accumulator.finalMessage())).toEqual(expected);
  });

  it('answers undefined for a finished tool call and for other stops', () => {
    const accumulator = accumulate(readStreamFixture('tool-use-with-thinking.sse.txt'));
    expect(stoppedMidToolInput(accumulator)).toBeUndefined();
    const message = accumulator.finalMessage();
    expect(stoppedMidToolInput({ ...message, stop_reason: 'max_tokens' })).toBeUndefined();
    expect(stoppedMidToolInput(new MessageAccumulator())).toBeUndefined();
  });

  it('counts a trailing tool call under max_tokens as cut short in a message from elsewhere', async () => {
    const message = (await sdkFinalMessage(
      readStreamFixture('max-tokens-mid-tool-input.sse.txt'),
    )) as Message;
    expect(stoppedMidToolInput(message)).toEqual({
      index: 1,
      id: 'toolu_01Gp2mZ3vTq9xW8s4Lk7Jd5R',
      name: 'make_file',
      rawJson: undefined,
      missing: undefined,
    });
    const textLast = { ...message, content: [...message.content, { type: 'text', text: 'done' }] };
    expect(stoppedMidToolInput(textLast)).toBeUndefined();
  });
});

describe('continueWithLargerMaxTokens', () => {
  const request = { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [] };

  it('doubles max_tokens by default, in a copy', () => {
    const larger = continueWithLargerMaxTokens(request);
    expect(larger).toEqual({ ...request, max_tokens: 2048 });
    expect(larger).not.toBe(request);
    expect(request.max_tokens).toBe(1024);
  });

  it('stops at the ceiling, then answers undefined', () => {
    expect(continueWithLargerMaxTokens(request, { factor: 3, max: 2000 })?.max_tokens).toBe(2000);
    expect(continueWithLargerMaxTokens({ ...request, max_tokens: 2000 }, { max: 2000 })).toBeUndefined();
    expect(continueWithLargerMaxTokens({ ...request, max_tokens: 64_000 })).toBeUndefined();
    expect(continueWithLargerMaxTokens(request, { factor: 1 })).toBeUndefined();
  });
});
