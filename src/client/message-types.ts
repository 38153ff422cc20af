import type {
  Usage,
  ContentBlock as WireContentBlock,
  Message as WireMessage,
} from '../wire/anthropic-events.js';

/*
 * The library's view of an answer: the content blocks Claude returns, as a
 * union discriminated by `type`, like the Anthropic SDK's `Message.content`
 * (written here: the SDK is not a dependency). Blocks of a type named here
 * have their fields typed; a block of a newer type arrives untouched as an
 * UnknownContentBlock. Every block and message may carry fields not named
 * here (read as `unknown`): the gateway never drops what it does not know.
 */

/** Where a text block's claim comes from (a document, a web search result, …). */
export interface TextCitation {
  type:
    | 'char_location'
    | 'page_location'
    | 'content_block_location'
    | 'web_search_result_location'
    | 'search_result_location';
  cited_text: string;
  [field: string]: unknown;
}

export interface TextBlock {
  type: 'text';
  text: string;
  /** Citations supporting the text; absent or null when there are none. */
  citations?: TextCitation[] | null;
  [field: string]: unknown;
}

export interface ThinkingBlock {
  type: 'thinking';
  thinking: string;
  /** Pass it back unchanged with the block when the conversation goes on. */
  signature: string;
  [field: string]: unknown;
}

export interface RedactedThinkingBlock {
  type: 'redacted_thinking';
  /** Encrypted: pass it back unchanged. */
  data: string;
  [field: string]: unknown;
}

export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: unknown;
  [field: string]: unknown;
}

/** A call of a tool the platform runs itself (web search, web fetch, code execution, tool search). */
export interface ServerToolUseBlock {
  type: 'server_tool_use';
  id: string;
  name: string;
  input: unknown;
  [field: string]: unknown;
}

export interface WebSearchResultBlock {
  type: 'web_search_result';
  url: string;
  title: string;
  encrypted_content: string;
  page_age?: string | null;
  [field: string]: unknown;
}

export interface WebSearchToolResultError {
  type: 'web_search_tool_result_error';
  error_code: string;
  [field: string]: unknown;
}

export interface WebSearchToolResultBlock {
  type: 'web_search_tool_result';
  tool_use_id: string;
  content: WebSearchResultBlock[] | WebSearchToolResultError;
  [field: string]: unknown;
}

/**
 * A block of a type this package does not name yet (a newer Claude feature),
 * passed through untouched; read its fields as `unknown`. Its `type` is typed
 * `never` so that checking for a known type (`block.type === 'text'`) leaves
 * it out and the known block's fields stay typed (a `type: string` member
 * would make `block.text` `unknown`). TypeScript's narrowing does not reach it
 * either (a `switch`'s `default` sees `never`): find it with
 * `unknownBlockType(block)`, then read it as `block as UnknownContentBlock`.
 */
export interface UnknownContentBlock {
  type: never;
  [field: string]: unknown;
}

const KNOWN_BLOCK_TYPES: ReadonlySet<string> = new Set([
  'text',
  'thinking',
  'redacted_thinking',
  'tool_use',
  'server_tool_use',
  'web_search_tool_result',
]);

/**
 * The type name of a block this package has no type for, or undefined for a
 * known block.
 *
 * @example
 * for (const block of message.content) {
 *   const other = unknownBlockType(block);
 *   if (other) console.log(other, (block as UnknownContentBlock)['file_id']);
 * }
 */
export function unknownBlockType(block: ContentBlock): string | undefined {
  const type = String((block as { type: unknown }).type);
  return KNOWN_BLOCK_TYPES.has(type) ? undefined : type;
}

/** A block of an answer's `content`. */
export type ContentBlock =
  | TextBlock
  | ThinkingBlock
  | RedactedThinkingBlock
  | ToolUseBlock
  | ServerToolUseBlock
  | WebSearchToolResultBlock
  | UnknownContentBlock;

/** Why Claude stopped; a newer reason arrives as its string. */
export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded'
  | (string & {});

/** A whole answer, as `messages.create` and `MessageStream.finalMessage()` return it. */
export interface Message {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ContentBlock[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  usage: Usage;
  [field: string]: unknown;
}

/** The library's typed view of a message the engine decoded: the same object. */
export function typedMessage(message: WireMessage): Message {
  return message as unknown as Message;
}

/** The library's typed view of a content block the engine decoded: the same object. */
export function typedBlock(block: WireContentBlock): ContentBlock {
  return block as unknown as ContentBlock;
}
