import type { ModelEntry } from '../catalog/types.js';
import { countInputTokens } from './model/tokens.js';

const ROLES = new Set(['user', 'assistant', 'system']);

/** The Messages API's complaint about one content block that is not an object with a string `type`. */
function blockProblem(block: unknown, field: string): string | undefined {
  if (!block || typeof block !== 'object' || Array.isArray(block)) {
    return `${field}: Input should be a valid dictionary or object to extract fields from`;
  }
  const record = block as Record<string, unknown>;
  const type = record['type'];
  if (type === undefined) return `${field}: Unable to extract tag using discriminator 'type'`;
  if (typeof type !== 'string') {
    return `${field}: Input tag '${JSON.stringify(type)}' found using 'type' does not match any of the expected tags`;
  }
  // The fields the emulator's scripted model reads: the API checks them too.
  if (type === 'text' && typeof record['text'] !== 'string')
    return `${field}.text: Input should be a valid string`;
  return undefined;
}

/**
 * The shape of `messages[].content` and `system`, as the Messages API checks
 * it (count_tokens too): a string, or a list of objects each with a string
 * `type`. Answered as the platform's 400, never a crash further on.
 */
export function contentShapeProblem(body: Record<string, unknown>): string | undefined {
  const messages = body['messages'];
  if (Array.isArray(messages)) {
    for (const [index, message] of messages.entries()) {
      if (!message || typeof message !== 'object' || Array.isArray(message)) {
        return `messages.${index}: Input should be a valid dictionary`;
      }
      const content = (message as { content?: unknown }).content;
      if (typeof content === 'string') continue;
      if (!Array.isArray(content)) {
        return `messages.${index}.content: Input should be a valid string or list of content blocks`;
      }
      for (const [blockIndex, block] of content.entries()) {
        const problem = blockProblem(block, `messages.${index}.content.${blockIndex}`);
        if (problem) return problem;
      }
    }
  }
  const system = body['system'];
  if (system === undefined || typeof system === 'string') return undefined;
  if (!Array.isArray(system)) return 'system: Input should be a valid string or list of text blocks';
  for (const [index, block] of system.entries()) {
    const problem = blockProblem(block, `system.${index}`);
    if (problem) return problem;
  }
  return undefined;
}

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
  const shape = contentShapeProblem(body);
  if (shape) return shape;
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
