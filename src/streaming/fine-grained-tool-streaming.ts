/** The beta that streams tool input without buffering or JSON validation. */
export const FINE_GRAINED_TOOL_STREAMING_BETA = 'fine-grained-tool-streaming-2025-05-14';

/**
 * The tools that ask for fine-grained streaming one by one, with
 * `eager_input_streaming: true` (Bedrock rejects that field: an adapter
 * removes it there and sends the beta instead).
 *
 * @example
 * eagerInputStreamingTools([{ name: 'a', eager_input_streaming: true }, { name: 'b' }]);
 * // [{ name: 'a', eager_input_streaming: true }]
 */
export function eagerInputStreamingTools<T>(tools: readonly T[] | undefined): T[] {
  if (!Array.isArray(tools)) return [];
  return tools.filter(
    (tool) =>
      typeof tool === 'object' &&
      tool !== null &&
      (tool as { eager_input_streaming?: unknown }).eager_input_streaming === true,
  );
}

/**
 * Whether a request streams tool input fine-grained (so its tool input may
 * arrive as invalid or unfinished JSON): the beta is on, or a tool sets
 * `eager_input_streaming: true`. `betas` is a list, or an `anthropic-beta`
 * header value with commas.
 *
 * @example
 * hasFineGrainedToolStreaming('fine-grained-tool-streaming-2025-05-14,context-1m-2025-08-07', []); // true
 * hasFineGrainedToolStreaming([], [{ name: 'make_file', eager_input_streaming: true }]); // true
 */
export function hasFineGrainedToolStreaming(
  betas: string | readonly string[] | undefined,
  tools?: readonly unknown[],
): boolean {
  const list = typeof betas === 'string' ? betas.split(',') : (betas ?? []);
  if (list.some((beta) => beta.trim() === FINE_GRAINED_TOOL_STREAMING_BETA)) return true;
  return eagerInputStreamingTools(tools).length > 0;
}
