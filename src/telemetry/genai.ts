/**
 * The OpenTelemetry GenAI semantic conventions the gateway writes, and its
 * own attributes beside them. The names are spelled out here rather than
 * imported: `@opentelemetry/semantic-conventions` marks its GenAI constants
 * deprecated (they moved to the GenAI conventions' own repository), while the
 * names themselves are unchanged.
 */

import type { Platform } from '../catalog/types.js';
import { PLATFORM_DESCRIPTORS } from '../platforms/descriptors.js';

export const GEN_AI = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestTemperature: 'gen_ai.request.temperature',
  requestTopP: 'gen_ai.request.top_p',
  requestTopK: 'gen_ai.request.top_k',
  requestStopSequences: 'gen_ai.request.stop_sequences',
  requestStream: 'gen_ai.request.stream',
  responseModel: 'gen_ai.response.model',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  usageCacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  usageCacheCreationInputTokens: 'gen_ai.usage.cache_creation.input_tokens',
  conversationId: 'gen_ai.conversation.id',
  tokenType: 'gen_ai.token.type',
} as const;

/** The GenAI metrics (histograms). */
export const GEN_AI_METRICS = {
  tokenUsage: 'gen_ai.client.token.usage',
  requestDuration: 'gen_ai.server.request.duration',
  timeToFirstToken: 'gen_ai.server.time_to_first_token',
} as const;

/** Bucket boundaries the GenAI conventions advise for each histogram. */
export const GEN_AI_BUCKETS = {
  tokens: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864],
  durationSeconds: [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92],
  firstTokenSeconds: [
    0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
  ],
} as const;

/** General conventions used beside them. */
export const GENERAL = {
  errorType: 'error.type',
  httpStatus: 'http.response.status_code',
  serverAddress: 'server.address',
} as const;

/** The gateway's own attributes (`claude_gateway.*`). */
export const GATEWAY = {
  requestId: 'claude_gateway.request_id',
  dialect: 'claude_gateway.dialect',
  keyName: 'claude_gateway.key_name',
  session: 'claude_gateway.session',
  costUsd: 'claude_gateway.cost_usd',
  costEstimated: 'claude_gateway.cost_estimated',
  model: 'claude_gateway.model',
  platform: 'claude_gateway.platform',
  region: 'claude_gateway.region',
  target: 'claude_gateway.target',
  attempts: 'claude_gateway.attempts',
  attempt: 'claude_gateway.attempt',
  outcome: 'claude_gateway.outcome',
  changes: 'claude_gateway.changes',
  clientDisconnected: 'claude_gateway.client_disconnected',
} as const;

/**
 * `gen_ai.provider.name` for each platform (its descriptor's `genAiProviderName`), from the conventions' registry:
 * Bedrock (InvokeModel and its Messages API) is `aws.bedrock`, Vertex AI
 * `gcp.vertex_ai`, Microsoft Foundry `azure.ai.inference`, the Anthropic API
 * and Claude Platform on AWS (operated by Anthropic, billed through AWS)
 * `anthropic`. `claude_gateway.platform` keeps the gateway's own name.
 */
export const PROVIDER_NAMES: Readonly<Record<Platform, string>> = Object.fromEntries(
  PLATFORM_DESCRIPTORS.map((descriptor) => [descriptor.name, descriptor.genAiProviderName]),
) as Record<Platform, string>;

/** The provider name of a platform the log names (a string there); undefined when it is not one. */
export function providerName(platform: string | undefined): string | undefined {
  return platform ? (PROVIDER_NAMES as Record<string, string>)[platform] : undefined;
}

/** `gen_ai.operation.name` of a gateway operation: a Messages call is `chat`; the others keep their own name. */
export function operationName(operation: string): string {
  return operation === 'messages' ? 'chat' : operation;
}
