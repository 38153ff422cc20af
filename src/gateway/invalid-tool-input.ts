import { wrapInvalidJson } from '../streaming/invalid-tool-input.js';
import type { Message } from '../wire/anthropic-events.js';

/**
 * Fine-grained tool streaming does not validate tool input, so a whole
 * (non-streamed) answer can carry a tool_use whose `input` is the raw text
 * rather than an object. Always reported in the log; with `wrap` (a route's
 * `invalidToolInput: wrap`, for clients that cannot cope) the input becomes
 * `{"INVALID_JSON": "<raw text>"}`, as the fine-grained streaming guide
 * recommends.
 */
export function wrapInvalidToolInputs(
  message: Message,
  wrap: boolean,
): { message?: Message; changes: string[] } {
  const changes: string[] = [];
  const content = Array.isArray(message.content) ? message.content : [];
  const invalid = content.filter((block) => block.type === 'tool_use' && typeof block['input'] === 'string');
  if (invalid.length === 0) return { changes };
  for (const block of invalid)
    changes.push(`${wrap ? 'wrapped' : 'passed'}-invalid-tool-input:${String(block['id'])}`);
  if (!wrap) return { changes };
  return {
    changes,
    message: {
      ...message,
      content: content.map((block) =>
        block.type === 'tool_use' && typeof block['input'] === 'string'
          ? { ...block, input: wrapInvalidJson(block['input']) }
          : block,
      ),
    },
  };
}
