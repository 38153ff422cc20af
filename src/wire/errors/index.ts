export {
  anthropicStatusFor,
  type ParseAnthropicErrorOptions,
  parseAnthropicError,
  type RenderErrorOptions,
  renderAnthropicError,
} from './anthropic.js';
export {
  bedrockExceptionNameFor,
  bedrockExceptionTypeFor,
  errorFromBedrockException,
  parseBedrockError,
  renderBedrockError,
  renderBedrockStreamException,
} from './bedrock.js';
export {
  BEDROCK_EXCEPTIONS,
  type BedrockExceptionName,
  type BedrockStreamExceptionType,
} from './bedrock-exceptions.js';
export {
  formatErrorMessage,
  GATEWAY_ERROR_CODES,
  type GatewayErrorCode,
  type GatewayErrorCodeParameters,
  isGatewayErrorCode,
} from './codes.js';
export {
  type AnthropicErrorFields,
  type BedrockErrorFields,
  GatewayError,
  type GatewayErrorCodeOptions,
  type GatewayErrorOptions,
  type GoogleErrorFields,
  isRetryableStatus,
} from './gateway-error.js';
export {
  googleStatusNameFor,
  parseVertexError,
  type RenderVertexErrorOptions,
  renderVertexError,
} from './google.js';
export { GOOGLE_STATUS_CODES, type GoogleStatusName } from './google-status.js';
export type { HeaderSource } from './headers.js';
export {
  anthropicErrorTypeForBedrock,
  anthropicErrorTypeForGoogle,
  ERROR_MAPPINGS,
  type ErrorMapping,
  errorMappingFor,
  type VertexErrorShape,
} from './mapping.js';
export { PLATFORM_NAMES, seconds, sentence } from './platform-names.js';
export { parseRetryAfterSeconds } from './retry-after.js';
export { errorFromStreamErrorEvent, renderStreamError, streamErrorEvent } from './stream-error.js';
export {
  ANTHROPIC_ERROR_STATUS,
  type AnthropicErrorType,
  anthropicErrorTypeForStatus,
  type ErrorPlatform,
  isKnownAnthropicErrorType,
  type KnownAnthropicErrorType,
  type RenderedError,
  statusForAnthropicErrorType,
} from './types.js';
