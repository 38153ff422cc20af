export { BedrockMessagesAdapter, type BedrockMessagesAdapterOptions } from './bedrock-messages-adapter.js';
