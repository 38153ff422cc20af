export {
  eagerInputStreamingTools,
  FINE_GRAINED_TOOL_STREAMING_BETA,
  hasFineGrainedToolStreaming,
} from './fine-grained-tool-streaming.js';
export {
  buildInvalidToolResult,
  INVALID_JSON_KEY,
  type InvalidToolResultBlock,
  type InvalidToolResultOptions,
  wrapInvalidJson,
} from './invalid-tool-input.js';
export {
  continueWithLargerMaxTokens,
  DEFAULT_MAX_TOKENS_CEILING,
  type LargerMaxTokensOptions,
  type StoppedToolInput,
  stoppedMidToolInput,
} from './max-tokens-stop.js';
export {
  type FinalMessageOptions,
  type InvalidToolInputMode,
  MessageAccumulator,
} from './message-accumulator.js';
export {
  formatJsonPath,
  GrowingText,
  type IncompleteJson,
  IncrementalJsonParser,
  type JsonObject,
  type JsonSyntaxError,
  type JsonValue,
  type PartialJsonState,
} from './partial-json/index.js';
export {
  attachToolInputReport,
  describeToolInput,
  type InvalidToolInput,
  TOOL_INPUT_REPORT,
  type ToolInputReport,
  toolInputReportOf,
} from './tool-input-report.js';
