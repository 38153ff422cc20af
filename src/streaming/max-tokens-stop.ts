import type { Message } from '../wire/anthropic-events.js';
import { MessageAccumulator } from './message-accumulator.js';
import type { IncompleteJson } from './partial-json/partial-json-state.js';
import { toolInputReportOf } from './tool-input-report.js';

/** A tool call that a `max_tokens` stop cut short. */
export interface StoppedToolInput {
  /** The block's index in the message content. */
  index: number;
  id: string | undefined;
  name: string | undefined;
  /** The input as streamed; `undefined` for a message that did not come from a `MessageAccumulator`. */
  rawJson: string | undefined;
  /** What the input still lacks (path, open token, open brackets); `undefined` when unknown. */
  missing: IncompleteJson | undefined;
}

/**
 * Detects a response that stopped at `max_tokens` in the middle of a tool
 * call's input: the last content block is a tool call and its input did not
 * close. For a message from `MessageAccumulator` the answer is exact (it
 * reads the block's `TOOL_INPUT_REPORT` marker); for any other message a
 * trailing tool call under a `max_tokens` stop counts as cut short, since a
 * finished tool call ends the turn with `stop_reason: "tool_use"`.
 *
 * @example
 * const stopped = stoppedMidToolInput(accumulator);
 * if (stopped) console.warn(`${stopped.name} input cut at`, stopped.missing?.path);
 */
export function stoppedMidToolInput(source: Message | MessageAccumulator): StoppedToolInput | undefined {
  let message: Message;
  if (source instanceof MessageAccumulator) {
    if (source.message === undefined) return undefined;
    message = source.finalMessage();
  } else {
    message = source;
  }
  if (message.stop_reason !== 'max_tokens') return undefined;
  const index = message.content.length - 1;
  const block = message.content[index];
  if (block === undefined || !('input' in block) || !block.type.endsWith('tool_use')) return undefined;
  const report = toolInputReportOf(block);
  if (report?.isComplete && report.isValid) return undefined;
  return {
    index,
    id: typeof block.id === 'string' ? block.id : undefined,
    name: typeof block.name === 'string' ? block.name : undefined,
    rawJson: report?.rawJson,
    missing: report?.incomplete,
  };
}

/** Options for `continueWithLargerMaxTokens`. */
export interface LargerMaxTokensOptions {
  /** How much to multiply `max_tokens` by; 2 by default. */
  factor?: number;
  /** The ceiling, e.g. the model's output limit from the catalog; 64,000 by default. */
  max?: number;
}

/** The ceiling `continueWithLargerMaxTokens` uses when none is given. */
export const DEFAULT_MAX_TOKENS_CEILING = 64_000;

/**
 * A copy of a Messages request body with a larger `max_tokens`, to retry a
 * response that stopped mid tool input; `undefined` when the budget is
 * already at the ceiling (retrying would stop in the same place). A thinking
 * budget stays below the new `max_tokens`, as the API requires.
 *
 * @example
 * let body = { model: 'claude-sonnet-4-5', max_tokens: 4096, tools, messages };
 * for (;;) {
 *   const accumulator = new MessageAccumulator();
 *   for await (const event of claude.messages.stream(body)) accumulator.push(event);
 *   if (!stoppedMidToolInput(accumulator)) break;
 *   const larger = continueWithLargerMaxTokens(body, { max: 64_000 });
 *   if (!larger) break; // at the ceiling: report the invalid input instead
 *   body = larger;
 * }
 */
export function continueWithLargerMaxTokens<T extends { max_tokens: number }>(
  request: T,
  options: LargerMaxTokensOptions = {},
): T | undefined {
  const factor = options.factor ?? 2;
  const max = options.max ?? DEFAULT_MAX_TOKENS_CEILING;
  const current = request.max_tokens;
  if (!(factor > 1) || current >= max) return undefined;
  return { ...request, max_tokens: Math.min(max, Math.ceil(current * factor)) };
}
