import type { ContentBlock } from '../wire/anthropic-events.js';
import { formatJsonPath } from './partial-json/json-value.js';
import type { IncompleteJson, PartialJsonState } from './partial-json/partial-json-state.js';

/**
 * The key of the non-standard marker that the message accumulator puts on
 * every block whose input was streamed. A non-enumerable symbol: invisible to
 * `JSON.stringify`, spreads, `Object.keys` and deep-equality checks, so a
 * message forwarded to an API client never carries it.
 */
export const TOOL_INPUT_REPORT: unique symbol = Symbol.for('claude-gateway.toolInputReport');

/** How a streamed tool input ended. */
export interface ToolInputReport {
  /** The input exactly as streamed (`input_json_delta` fragments joined). */
  rawJson: string;
  /** Whether the JSON closed (an empty input counts as complete: the tool takes no arguments). */
  isComplete: boolean;
  /** Whether no syntax error was found. */
  isValid: boolean;
  /** Why the input is not usable JSON; `undefined` when it is. */
  error: string | undefined;
  /** What an unfinished input still lacks. */
  incomplete: IncompleteJson | undefined;
}

/** A tool-use block whose streamed input is not usable JSON. */
export interface InvalidToolInput {
  /** The block's index in the message content. */
  index: number;
  /** The tool_use id (empty when the block had none). */
  id: string;
  name: string | undefined;
  type: string;
  rawJson: string;
  error: string;
  incomplete: IncompleteJson | undefined;
}

/**
 * Describes a parser's final state.
 *
 * @example
 * const parser = new IncrementalJsonParser();
 * parser.push('{"lines": ["a", "b');
 * describeToolInput(parser).error;
 * // 'The tool input stopped inside a string at $.lines[1] (still open: "]}). …'
 */
export function describeToolInput(state: PartialJsonState): ToolInputReport {
  const isComplete = state.isComplete || (state.isValid && !state.hasValue);
  const incomplete = state.incomplete();
  let error: string | undefined;
  if (state.error !== undefined) {
    error = `The tool input is not valid JSON: ${state.error.message}`;
  } else if (!isComplete && incomplete !== undefined) {
    error =
      `The tool input stopped inside a ${incomplete.inside} at ${formatJsonPath(incomplete.path)} ` +
      `(still open: ${incomplete.closers}). A max_tokens stop can cut tool input short.`;
  }
  return {
    rawJson: state.rawText,
    isComplete,
    isValid: state.isValid,
    error,
    incomplete: isComplete ? undefined : incomplete,
  };
}

/**
 * Puts the marker on a block, non-enumerable.
 *
 * @example
 * attachToolInputReport(block, describeToolInput(parser));
 * toolInputReportOf(block)?.rawJson;
 */
export function attachToolInputReport(block: ContentBlock, report: ToolInputReport): void {
  Object.defineProperty(block, TOOL_INPUT_REPORT, {
    value: report,
    enumerable: false,
    configurable: true,
    writable: true,
  });
}

/**
 * The marker on a block from the accumulator, if any.
 *
 * @example
 * const report = toolInputReportOf(message.content[1]);
 * if (report?.error) console.warn(report.error, report.rawJson);
 */
export function toolInputReportOf(block: ContentBlock): ToolInputReport | undefined {
  return (block as { [TOOL_INPUT_REPORT]?: ToolInputReport })[TOOL_INPUT_REPORT];
}
