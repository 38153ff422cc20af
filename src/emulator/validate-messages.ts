import type { ModelEntry } from '../catalog/types.js';
import { countInputTokens } from './model/tokens.js';

const ROLES = new Set(['user', 'assistant', 'system']);

/**
 * Checks a Messages body the way the Messages API does, and returns its
 * error message (`field: problem`) or undefined. Unknown fields, blocks and
 * roles the API takes pass.
 */
export function validateMessagesBody(
  body: Record<string, unknown>,
  model: ModelEntry | undefined,
  betas: ReadonlySet<string>,
): string | undefined {
  const maxTokens = body['max_tokens'];
  if (maxTokens === undefined) return 'max_tokens: Field required';
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    return 'max_tokens: Input should be a positive integer';
  }
  if (model && maxTokens > model.maxOutputTokens) {
    return `max_tokens: ${maxTokens} > ${model.maxOutputTokens}, which is the maximum allowed number of output tokens for ${model.anthropicId}`;
  }
  const messages = body['messages'];
  if (messages === undefined) return 'messages: Field required';
  if (!Array.isArray(messages)) return 'messages: Input should be a valid list';
  if (messages.length === 0) return 'messages: at least one message is required';
  for (const [index, message] of messages.entries()) {
    if (!message || typeof message !== 'object') return `messages.${index}: Input should be an object`;
    const { role, content } = message as { role?: unknown; content?: unknown };
    if (typeof role !== 'string' || !ROLES.has(role)) {
      return `messages.${index}.role: Input should be 'user', 'assistant' or 'system'`;
    }
    if (typeof content !== 'string' && !Array.isArray(content)) {
      return `messages.${index}.content: Input should be a valid string or list of content blocks`;
    }
  }
  if (body['system'] !== undefined && typeof body['system'] !== 'string' && !Array.isArray(body['system'])) {
    return 'system: Input should be a valid string or list of text blocks';
  }
  if (body['tools'] !== undefined && !Array.isArray(body['tools']))
    return 'tools: Input should be a valid list';
  if (model) {
    const window =
      model.extendedContext && betas.has(model.extendedContext.beta)
        ? model.extendedContext.tokens
        : model.contextWindow;
    const tokens = countInputTokens(body).total;
    if (tokens + maxTokens > window + model.maxOutputTokens && tokens > window) {
      return `prompt is too long: ${tokens} tokens > ${window} maximum`;
    }
  }
  return undefined;
}
