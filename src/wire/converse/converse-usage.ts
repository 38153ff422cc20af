/**
 * Claude's usage and stop reason in Converse's terms. Converse's
 * `inputTokens` leaves out cached tokens, which it reports on their own, and
 * `totalTokens` adds them all up (as Bedrock reports Claude's prompt caching).
 */

import type { Usage } from '../anthropic-events.js';

export interface ConverseUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
  cacheDetails?: { ttl: '5m' | '1h'; inputTokens: number }[];
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** Converse's `usage` for Claude's. */
export function converseUsage(usage: Usage | undefined): ConverseUsage {
  const inputTokens = count(usage?.input_tokens);
  const outputTokens = count(usage?.output_tokens);
  const cacheReadInputTokens = count(usage?.cache_read_input_tokens);
  const cacheWriteInputTokens = count(usage?.cache_creation_input_tokens);
  const result: ConverseUsage = {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens + cacheReadInputTokens + cacheWriteInputTokens,
    cacheReadInputTokens,
    cacheWriteInputTokens,
  };
  // Claude splits cache writes by lifetime; Converse lists them 1h first, and only when some were written.
  const creation = usage?.['cache_creation'] as Record<string, unknown> | undefined;
  const details = [
    { ttl: '1h' as const, inputTokens: count(creation?.['ephemeral_1h_input_tokens']) },
    { ttl: '5m' as const, inputTokens: count(creation?.['ephemeral_5m_input_tokens']) },
  ].filter((detail) => detail.inputTokens > 0);
  if (details.length > 0) result.cacheDetails = details;
  return result;
}

/** Claude's stop reasons that Converse names otherwise. */
const STOP_REASONS: Record<string, string> = {
  end_turn: 'end_turn',
  tool_use: 'tool_use',
  max_tokens: 'max_tokens',
  stop_sequence: 'stop_sequence',
  model_context_window_exceeded: 'model_context_window_exceeded',
  refusal: 'content_filtered',
  // A paused server-tool turn ends the answer as far as Converse can say.
  pause_turn: 'end_turn',
};

/** Converse's `stopReason` for Claude's (`end_turn` when there is none yet). */
export function converseStopReason(stopReason: string | null | undefined): string {
  if (!stopReason) return 'end_turn';
  return STOP_REASONS[stopReason] ?? stopReason;
}
