import { apiVersionFor } from '../api-version.js';
import {
  type BetaMemory,
  FINE_GRAINED_TOOL_STREAMING_BETA,
  selectBetas,
  withoutEagerInputStreaming,
} from '../betas.js';
import type { MessagesCall } from '../types.js';

/** A Bedrock InvokeModel body and what was changed to make it. */
export interface BedrockRequestBody {
  body: Record<string, unknown>;
  /** `dropped-beta:<name>`, `rewrote:eager_input_streaming→beta`. */
  changes: string[];
}

/**
 * The InvokeModel body for a Messages call, edited in place on a shallow copy:
 * `model` and `stream` dropped, `anthropic_version` set for Bedrock, the betas
 * moved into the body as `anthropic_beta` (those Bedrock is known or learned to
 * reject dropped and reported), per-tool `eager_input_streaming` (which Bedrock
 * rejects) removed and replaced by the fine-grained tool streaming beta. An
 * `anthropic_version`/`anthropic_beta` the client sent in another dialect is
 * replaced. Every other field, role and block is left as it came.
 *
 * @example
 * bedrockRequestBody({ body: { model: 'sonnet', stream: true, max_tokens: 5, messages }, stream: true, betas: [] }).body;
 * // { max_tokens: 5, messages, anthropic_version: 'bedrock-2023-05-31' }
 */
export function bedrockRequestBody(call: MessagesCall, memory?: BetaMemory): BedrockRequestBody {
  const body: Record<string, unknown> = { ...call.body };
  const changes: string[] = [];
  delete body['model'];
  delete body['stream'];
  delete body['anthropic_version'];
  delete body['anthropic_beta'];
  const betas = [...call.betas];
  if ('tools' in body) {
    const { tools, requested } = withoutEagerInputStreaming(body['tools']);
    body['tools'] = tools;
    if (requested) {
      changes.push('rewrote:eager_input_streaming→beta');
      if (!betas.includes(FINE_GRAINED_TOOL_STREAMING_BETA)) betas.push(FINE_GRAINED_TOOL_STREAMING_BETA);
    }
  }
  const { kept, dropped } = selectBetas('bedrock', betas, memory);
  for (const beta of dropped) changes.push(`dropped-beta:${beta}`);
  body['anthropic_version'] = apiVersionFor('bedrock', call.anthropicVersion);
  if (kept.length > 0) body['anthropic_beta'] = kept;
  return { body, changes };
}
