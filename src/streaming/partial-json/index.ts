export { GrowingText } from './growing-text.js';
export { IncrementalJsonParser } from './incremental-json-parser.js';
export { formatJsonPath, type JsonObject, type JsonValue } from './json-value.js';
export type { IncompleteJson, JsonSyntaxError, PartialJsonState } from './partial-json-state.js';
