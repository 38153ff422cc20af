export { BedrockAdapter, type BedrockAdapterOptions } from './bedrock-adapter.js';
export { serializeBedrockBody } from './bedrock-body-limit.js';
export { bedrockCountTokensBody, parseBedrockCountTokens } from './bedrock-count-tokens.js';
export { bedrockHttpError } from './bedrock-error.js';
export { metricsFromBedrockHeaders, metricsFromInvocationMetrics } from './bedrock-metrics.js';
export {
  type BedrockFoundationModel,
  type BedrockInferenceProfile,
  type BedrockModelList,
  type ListBedrockModelsOptions,
  listBedrockModels,
} from './bedrock-models.js';
export { type BedrockModelOperation, bedrockModelPath } from './bedrock-path.js';
export { type BedrockRequestBody, bedrockRequestBody } from './bedrock-request-body.js';
export { BedrockStreamDecoder } from './bedrock-stream-decoder.js';
export {
  type AwsCallerIdentity,
  type VerifyAwsCredentialsOptions,
  verifyAwsCredentials,
} from './verify-aws-credentials.js';
