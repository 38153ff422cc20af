/**
 * Sending invalid tool input back to the model, as the fine-grained tool
 * streaming guide recommends: wrap the raw text in a JSON object under a
 * clear key, escaped as a JSON string, inside an error `tool_result`.
 */

/** The key the guide's example uses for the wrapped text. */
export const INVALID_JSON_KEY = 'INVALID_JSON';

/**
 * Wraps invalid JSON text in an object, so it can travel as valid JSON;
 * `JSON.stringify` of the result escapes every quote, backslash and control
 * character of the raw text.
 *
 * @example
 * wrapInvalidJson('{"a": tru');
 * // { INVALID_JSON: '{"a": tru' }  (JSON text: {"INVALID_JSON":"{\"a\": tru"})
 */
export function wrapInvalidJson(rawText: string, key: string = INVALID_JSON_KEY): Record<string, string> {
  return { [key]: rawText };
}

/** A `tool_result` content block that reports a tool call's input as unusable. */
export interface InvalidToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  is_error: true;
  content: string | { type: 'text'; text: string }[];
}

/** Options for `buildInvalidToolResult`. */
export interface InvalidToolResultOptions {
  /** The wrapping key; `INVALID_JSON` by default. */
  key?: string;
  /** A sentence for the model placed before the wrapped text, e.g. what went wrong. */
  explanation?: string;
}

/**
 * Builds the error `tool_result` to send back in the next user turn when a
 * tool call's streamed input is not valid JSON. Its content is the wrapped
 * raw text as JSON text.
 *
 * @example
 * const result = buildInvalidToolResult('toolu_01', '{"lines": ["a", "b');
 * // { type: 'tool_result', tool_use_id: 'toolu_01', is_error: true,
 * //   content: '{"INVALID_JSON":"{\\"lines\\": [\\"a\\", \\"b"}' }
 * messages.push({ role: 'user', content: [result] });
 */
export function buildInvalidToolResult(
  toolUseId: string,
  rawText: string,
  options: InvalidToolResultOptions = {},
): InvalidToolResultBlock {
  const wrapped = JSON.stringify(wrapInvalidJson(rawText, options.key));
  const content =
    options.explanation === undefined
      ? wrapped
      : [
          { type: 'text' as const, text: options.explanation },
          { type: 'text' as const, text: wrapped },
        ];
  return { type: 'tool_result', tool_use_id: toolUseId, is_error: true, content };
}
