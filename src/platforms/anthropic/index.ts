export { type AnthropicAdapterOptions, createAnthropicAdapter } from './anthropic-adapter.js';
export { type AnthropicCredentialOptions, anthropicCredentials } from './anthropic-credentials.js';
export {
  FirstPartyAdapter,
  type FirstPartyAdapterOptions,
  type FirstPartyPlatform,
} from './first-party-adapter.js';
export {
  type BearerToken,
  type FirstPartyCredentials,
  firstPartyAuthHeaders,
} from './first-party-credentials.js';
export {
  type AnthropicModelInfo,
  type ListAnthropicModelsOptions,
  listAnthropicModels,
} from './list-anthropic-models.js';
export { type AnthropicKeyReport, verifyAnthropicKey } from './verify-anthropic-key.js';
