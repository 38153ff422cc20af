export * from './bedrock-chunk.js';
export * from './eventstream.js';
export * from './json.js';
export * from './json-depth.js';
