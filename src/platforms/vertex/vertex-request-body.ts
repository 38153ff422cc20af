import { apiVersionFor } from '../api-version.js';
import type { MessagesCall } from '../types.js';

/** Which Vertex method a body is for. */
export type VertexOperation = 'messages' | 'count-tokens';

/**
 * The body for Vertex AI, edited in place on a shallow copy: `model` dropped
 * (the model is in the URL) except for count tokens, where it stays as the
 * Vertex id; `stream: true` for a streaming call; `anthropic_version` set to
 * one Vertex takes; a Bedrock client's `anthropic_beta` body field removed
 * (Vertex takes betas in the `anthropic-beta` header). Every other field,
 * role and block is left as it came.
 *
 * @example
 * vertexRequestBody({ body: { model: 'sonnet', messages, stream: true }, stream: true, betas: [] }, 'messages', 'claude-sonnet-4-5@20250929');
 * // { messages, stream: true, anthropic_version: 'vertex-2023-10-16' }
 */
export function vertexRequestBody(
  call: MessagesCall,
  operation: VertexOperation,
  modelId: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = { ...call.body };
  delete body['anthropic_beta'];
  if (operation === 'count-tokens') {
    body['model'] = modelId;
    delete body['stream'];
  } else {
    delete body['model'];
    if (call.stream) body['stream'] = true;
    else if (body['stream'] !== undefined) body['stream'] = false;
  }
  body['anthropic_version'] = apiVersionFor('vertex', call.anthropicVersion);
  return body;
}
