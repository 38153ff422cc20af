/**
 * The Anthropic Messages stream events, as every platform carries them.
 *
 * Typed for the fields this package reads; every event keeps unknown fields
 * (new block types, new delta types, new usage counters) because the gateway
 * forwards what it does not understand untouched.
 */

export interface Usage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  [key: string]: unknown;
}

export interface ContentBlock {
  type: string;
  [key: string]: unknown;
}

export interface Message {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ContentBlock[];
  stop_reason: string | null;
  stop_sequence: string | null;
  usage: Usage;
  [key: string]: unknown;
}

export interface MessageStartEvent {
  type: 'message_start';
  message: Message;
}
export interface ContentBlockStartEvent {
  type: 'content_block_start';
  index: number;
  content_block: ContentBlock;
}
export interface ContentBlockDelta {
  type: string; // text_delta | input_json_delta | thinking_delta | signature_delta | citations_delta | …
  text?: string;
  partial_json?: string;
  thinking?: string;
  signature?: string;
  [key: string]: unknown;
}
export interface ContentBlockDeltaEvent {
  type: 'content_block_delta';
  index: number;
  delta: ContentBlockDelta;
}
export interface ContentBlockStopEvent {
  type: 'content_block_stop';
  index: number;
}
export interface MessageDeltaEvent {
  type: 'message_delta';
  delta: { stop_reason?: string | null; stop_sequence?: string | null; [key: string]: unknown };
  usage?: Usage;
}
export interface MessageStopEvent {
  type: 'message_stop';
  [key: string]: unknown;
}
export interface PingEvent {
  type: 'ping';
}
export interface ErrorEvent {
  type: 'error';
  error: { type: string; message: string; [key: string]: unknown };
}

/** Every event type this package knows by name. */
export type KnownStreamEvent =
  | MessageStartEvent
  | ContentBlockStartEvent
  | ContentBlockDeltaEvent
  | ContentBlockStopEvent
  | MessageDeltaEvent
  | MessageStopEvent
  | PingEvent
  | ErrorEvent;

/** An event of a type this package does not know yet: passed through as is. */
export interface UnknownStreamEvent {
  type: string;
  [key: string]: unknown;
}

export type StreamEvent = KnownStreamEvent | UnknownStreamEvent;

/** Narrows an event to one known type by its `type` field. */
export function isEventOfType<T extends KnownStreamEvent['type']>(
  event: StreamEvent,
  type: T,
): event is Extract<KnownStreamEvent, { type: T }> {
  return event.type === type;
}
