export { Claude } from './claude.js';
export { ClaudeError } from './claude-error.js';
export type { ClaudeLogger, ClaudeOptions, ClaudeTimeouts } from './claude-options.js';
export { fixHint, type HintContext } from './fix-hint.js';
export { MessageStream, type MessageStreamEvents } from './message-stream.js';
export type { ContentBlock, Message } from './message-types.js';
export {
  type MessageCountTokensParams,
  type MessageCreateParams,
  Messages,
  type RequestOptions,
} from './messages.js';
export { type ModelListItem, Models } from './models.js';
export { bedrockTargetFor } from './target-selection.js';
export type { PlatformCheck } from './verify.js';
