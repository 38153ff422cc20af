import { describe, expect, it } from 'vitest';
import type { ContentBlock, ContentBlockDeltaEvent, StreamEvent } from '../wire/anthropic-events.js';
import {
  deepFreeze,
  readStreamFixture,
  sdkFinalMessage,
  splitBySizes,
} from './__fixtures__/stream-fixtures.js';
import { MessageAccumulator } from './message-accumulator.js';
import { TOOL_INPUT_REPORT, toolInputReportOf } from './tool-input-report.js';

const RECORDED = 'tool-use-with-thinking.sse.txt';
const TRUNCATED = 'max-tokens-mid-tool-input.sse.txt';

function accumulate(events: readonly StreamEvent[]): MessageAccumulator {
  const accumulator = new MessageAccumulator();
  for (const event of events) accumulator.push(event);
  return accumulator;
}

function toolInputEvents(index: number, text: string, sizes: readonly number[]): StreamEvent[] {
  return splitBySizes(text, sizes).map((partial_json) => ({
    type: 'content_block_delta',
    index,
    delta: { type: 'input_json_delta', partial_json },
  }));
}

/** The recorded stream with its tool input re-split into pieces of other sizes. */
function resplit(events: readonly StreamEvent[], sizes: readonly number[]): StreamEvent[] {
  const isToolDelta = (event: StreamEvent): event is ContentBlockDeltaEvent =>
    event.type === 'content_block_delta' &&
    (event as ContentBlockDeltaEvent).delta.type === 'input_json_delta';
  const first = events.findIndex(isToolDelta);
  const text = events
    .filter(isToolDelta)
    .map((event) => event.delta.partial_json)
    .join('');
  const index = (events[first] as ContentBlockDeltaEvent).index;
  return [
    ...events.slice(0, first),
    ...toolInputEvents(index, text, sizes),
    ...events.filter((event, position) => position > first && !isToolDelta(event)),
  ];
}

describe('MessageAccumulator', () => {
  it('reproduces the final message of the official SDK for a recorded stream', async () => {
    const events = readStreamFixture(RECORDED);
    const ours = accumulate(events).finalMessage();
    expect(ours).toEqual(await sdkFinalMessage(events));
    expect(ours.content.map((block) => block.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect(ours.content[2]?.input).toMatchObject({ filename: 'poem.txt', overwrite: true });
    expect(ours.usage).toMatchObject({ input_tokens: 472, output_tokens: 219 });
  });

  it('matches the SDK for the same stream with the tool input split every other way', async () => {
    const events = readStreamFixture(RECORDED);
    for (const sizes of [[1], [2, 3], [16], [7, 1, 29]]) {
      const resplitEvents = resplit(events, sizes);
      expect(accumulate(resplitEvents).finalMessage(), `sizes ${sizes}`).toEqual(
        await sdkFinalMessage(resplitEvents),
      );
    }
  });

  it('shows tool input live, partial strings included, without copying the block', () => {
    const accumulator = new MessageAccumulator();
    const events = readStreamFixture(RECORDED);
    const toolStart = events.findIndex((event) => event.type === 'content_block_start' && event.index === 2);
    for (const event of events.slice(0, toolStart + 1)) accumulator.push(event);
    const block = accumulator.message?.content[2] as ContentBlock;
    const live = (fragment: string) => {
      accumulator.push({
        type: 'content_block_delta',
        index: 2,
        delta: { type: 'input_json_delta', partial_json: fragment },
      });
      return accumulator.message?.content[2];
    };
    expect(live('{"filename": "po')).toBe(block);
    expect(block.input).toEqual({ filename: 'po' });
    live('em.txt", "lines_of_text": ["Roses');
    expect(block.input).toEqual({ filename: 'poem.txt', lines_of_text: ['Roses'] });
    expect(accumulator.toolInput(2)?.rawText).toBe('{"filename": "poem.txt", "lines_of_text": ["Roses');
    expect(accumulator.toolInput(2)?.isComplete).toBe(false);
    expect(accumulator.toolInput(1)).toBeUndefined();
  });

  it('never mutates the events it is given', () => {
    const events = deepFreeze(readStreamFixture(RECORDED));
    const before = JSON.stringify(events);
    const accumulator = accumulate(events);
    accumulator.finalMessage();
    expect(JSON.stringify(events)).toBe(before);
  });

  it('merges message_delta: stop reason set, usage counters taken when not null', () => {
    const [start] = readStreamFixture(RECORDED);
    const accumulator = accumulate([
      start as StreamEvent,
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null, container: null },
        usage: {
          output_tokens: 40,
          input_tokens: null,
          cache_read_input_tokens: 12,
          server_tool_use: { web_search_requests: 1 },
        },
      },
    ]);
    expect(accumulator.stopReason).toBe('end_turn');
    expect(accumulator.stopSequence).toBeNull();
    expect(accumulator.usage).toMatchObject({
      input_tokens: 472,
      output_tokens: 40,
      cache_read_input_tokens: 12,
      server_tool_use: { web_search_requests: 1 },
    });
    expect(accumulator.message?.container).toBeNull();
  });

  it('keeps unknown and malformed events aside without throwing', () => {
    const accumulator = new MessageAccumulator();
    const early: StreamEvent = {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: 'x' },
    };
    accumulator.push(early);
    expect(accumulator.message).toBeUndefined();
    const [start] = readStreamFixture(RECORDED);
    accumulator.push(start as StreamEvent);
    const odd: StreamEvent[] = [
      { type: 'content_block_start', index: 0, content_block: { type: 'future_block', payload: 1 } },
      { type: 'content_block_delta', index: 0, delta: { type: 'future_delta', payload: 'p' } },
      { type: 'content_block_delta', index: 9, delta: { type: 'text_delta', text: 'nowhere' } },
      { type: 'content_block_delta', index: 0 },
      { type: 'content_block_stop', index: 9 },
      { type: 'brand_new_event', data: 1 },
    ];
    for (const event of odd) accumulator.push(event);
    accumulator.push({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(accumulator.message?.content).toEqual([{ type: 'future_block', payload: 1 }]);
    expect(accumulator.unhandledEvents).toEqual([early, ...odd.slice(1)]);
    expect(accumulator.error).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
    expect(() => new MessageAccumulator().finalMessage()).toThrow(/message_start/);
  });

  describe('invalid tool input', () => {
    function withToolInput(text: string): MessageAccumulator {
      const [start] = readStreamFixture(RECORDED);
      return accumulate([
        start as StreamEvent,
        {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} },
        },
        ...toolInputEvents(0, text, [3]),
        { type: 'content_block_stop', index: 0 },
        { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } },
        { type: 'message_stop' },
      ]);
    }

    it('flags {"a": tru} on the side and in a non-enumerable marker, never throwing', () => {
      const accumulator = withToolInput('{"a": tru}');
      const [invalid] = accumulator.invalidToolInputs();
      expect(invalid).toMatchObject({
        index: 0,
        id: 'toolu_1',
        name: 'f',
        type: 'tool_use',
        rawJson: '{"a": tru}',
      });
      expect(invalid?.error).toMatch(/not valid JSON: Unexpected "}" at offset 9/);
      const message = accumulator.finalMessage();
      const block = message.content[0] as ContentBlock;
      expect(block.input).toEqual({});
      expect(toolInputReportOf(block)).toMatchObject({ isValid: false, rawJson: '{"a": tru}' });
      expect(Object.getOwnPropertySymbols(block)).toContain(TOOL_INPUT_REPORT);
      expect(Object.prototype.propertyIsEnumerable.call(block, TOOL_INPUT_REPORT)).toBe(false);
      expect(JSON.stringify(message)).not.toContain('tru}');
    });

    it('puts the raw text in the chosen form with finalMessage modes', () => {
      const accumulator = withToolInput('{"path": "a.txt", "x": [1, }');
      expect(accumulator.finalMessage().content[0]?.input).toEqual({ path: 'a.txt', x: [1] });
      expect(accumulator.finalMessage({ invalidToolInput: 'wrap' }).content[0]?.input).toEqual({
        INVALID_JSON: '{"path": "a.txt", "x": [1, }',
      });
      expect(
        accumulator.finalMessage({ invalidToolInput: 'wrap', wrapKey: 'raw' }).content[0]?.input,
      ).toEqual({
        raw: '{"path": "a.txt", "x": [1, }',
      });
      expect(accumulator.finalMessage({ invalidToolInput: 'raw' }).content[0]?.input).toBe(
        '{"path": "a.txt", "x": [1, }',
      );
      expect(accumulator.message?.content[0]?.input).toEqual({ path: 'a.txt', x: [1] });
    });

    it('reports a tool input cut at max_tokens', () => {
      const accumulator = accumulate(readStreamFixture(TRUNCATED));
      expect(accumulator.stopReason).toBe('max_tokens');
      const [invalid] = accumulator.invalidToolInputs();
      expect(invalid?.incomplete).toEqual({ path: ['lines_of_text', 1], inside: 'string', closers: '"]}' });
      expect(invalid?.error).toMatch(/stopped inside a string at \$\.lines_of_text\[1\]/);
      expect(accumulator.finalMessage().content[1]?.input).toEqual({
        filename: 'poem.txt',
        lines_of_text: ['Roses are red,', 'Violets are "'],
      });
    });

    it('lists an unfinished input only once its block or message has stopped', () => {
      const accumulator = new MessageAccumulator();
      const [start] = readStreamFixture(RECORDED);
      accumulator.push(start as StreamEvent);
      accumulator.push({
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 't', name: 'f', input: {} },
      });
      for (const event of toolInputEvents(0, '{"a": "b', [4])) accumulator.push(event);
      expect(accumulator.invalidToolInputs()).toEqual([]);
      expect(accumulator.finalMessage().content[0]?.input).toEqual({ a: 'b' });
      accumulator.push({ type: 'content_block_stop', index: 0 });
      expect(accumulator.invalidToolInputs()).toHaveLength(1);
    });

    it('treats an empty input as {} and valid', () => {
      const accumulator = withToolInput('');
      expect(accumulator.invalidToolInputs()).toEqual([]);
      expect(accumulator.finalMessage().content[0]?.input).toEqual({});
    });
  });
});
