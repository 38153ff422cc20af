import type { MessagesCall } from '../types.js';

/** Which first-party endpoint a body is for. */
export type FirstPartyOperation = 'messages' | 'count-tokens';

/**
 * The body for the Anthropic API or Microsoft Foundry, edited in place on a
 * shallow copy: `model` set to the upstream id (a Foundry deployment name),
 * `stream: true` for a streaming call, and the body fields another dialect
 * carries (`anthropic_version` and `anthropic_beta` from a Bedrock or Vertex
 * client) removed, since the first party takes them as headers. Every other
 * field, role and block is left as it came.
 *
 * @example
 * firstPartyRequestBody({ body: { model: 'sonnet', anthropic_version: 'bedrock-2023-05-31', messages }, stream: true, betas: [] }, 'messages', 'claude-sonnet-4-5-20250929');
 * // { model: 'claude-sonnet-4-5-20250929', messages, stream: true }
 */
export function firstPartyRequestBody(
  call: MessagesCall,
  operation: FirstPartyOperation,
  modelId: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = { ...call.body };
  body['model'] = modelId;
  delete body['anthropic_version'];
  delete body['anthropic_beta'];
  if (operation === 'count-tokens') delete body['stream'];
  else if (call.stream) body['stream'] = true;
  else if (body['stream'] !== undefined) body['stream'] = false;
  return body;
}
