/*
 * The package's public entry: the Claude client, its error class, the
 * streaming helpers, catalog lookups, and the emulator and gateway to start
 * in-process.
 */

export {
  bedrockModelId,
  CatalogError,
  costOfUsage,
  deprecationNotice,
  findModel,
  listModels,
  modelIdForTarget,
  type ResolvedModel,
  resolveModel,
  type TokenUsage,
} from './catalog/index.js';
export type { BedrockScope, Geo, ModelEntry, Platform, Target, TokenPrices } from './catalog/types.js';
export {
  Claude,
  ClaudeError,
  type ClaudeLogger,
  type ClaudeOptions,
  type ClaudeTimeouts,
  fixHint,
  type MessageCountTokensParams,
  type MessageCreateParams,
  MessageStream,
  type MessageStreamEvents,
  type ModelListItem,
  type PlatformCheck,
  type RequestOptions,
} from './client/index.js';
export {
  type ContentBlock,
  type Message,
  type RedactedThinkingBlock,
  type ServerToolUseBlock,
  type StopReason,
  type TextBlock,
  type TextCitation,
  type ThinkingBlock,
  type ToolUseBlock,
  type UnknownContentBlock,
  unknownBlockType,
  type WebSearchResultBlock,
  type WebSearchToolResultBlock,
  type WebSearchToolResultError,
} from './client/message-types.js';
export { emulatedPlatforms } from './config/emulated-platforms.js';
export { ConfigError, loadConfigFile, parseConfig } from './config/load.js';
export type { GatewayConfig, PlatformsConfig, RouteConfig } from './config/schema.js';
export {
  createEmulator,
  type Emulator,
  type EmulatorConfig,
  type RunningEmulator,
  startEmulator,
} from './emulator/server.js';
export type { AttemptReport } from './engine/engine.js';
export type { RetryOptions } from './engine/retry.js';
export { parseTarget, targetKey } from './engine/targets.js';
export {
  type RunningGateway,
  type StartGatewayOptions,
  StartupError,
  startGateway,
} from './gateway/server.js';
export type { ResolvedTarget } from './platforms/types.js';
export { openStore } from './store/open-store.js';
export type { ApiKeyRecord, RequestRecord, RequestSummary, Store } from './store/types.js';
export {
  buildInvalidToolResult,
  continueWithLargerMaxTokens,
  eagerInputStreamingTools,
  FINE_GRAINED_TOOL_STREAMING_BETA,
  type FinalMessageOptions,
  hasFineGrainedToolStreaming,
  INVALID_JSON_KEY,
  IncrementalJsonParser,
  type InvalidToolInput,
  type InvalidToolInputMode,
  type InvalidToolResultBlock,
  MessageAccumulator,
  stoppedMidToolInput,
  TOOL_INPUT_REPORT,
  type ToolInputReport,
  toolInputReportOf,
  wrapInvalidJson,
} from './streaming/index.js';
export type { StreamEvent, Usage } from './wire/anthropic-events.js';
export { GatewayError } from './wire/errors/gateway-error.js';
export type { AnthropicErrorType } from './wire/errors/types.js';
