export { createFoundryAdapter, type FoundryAdapterOptions } from './foundry-adapter.js';
export { type FoundryLocationOptions, foundryBaseUrl } from './foundry-base-url.js';
