import type { Message, StreamEvent } from '../../wire/anthropic-events.js';
import type { PlannedBlock, Reply } from './reply.js';

/** One stream event and its JSON, serialized once. */
export interface RenderedEvent {
  event: StreamEvent;
  json: string;
}

/** The parsed tool input for a whole message: the value, the raw text when fine-grained and invalid, or {}. */
function toolInputForMessage(block: Extract<PlannedBlock, { type: 'tool_use' }>): unknown {
  try {
    return JSON.parse(block.inputJson);
  } catch {
    // Fine-grained tool streaming does not validate JSON: the raw text comes back as a string.
    return block.fineGrained ? block.inputJson : {};
  }
}

function blockForMessage(block: PlannedBlock): Record<string, unknown> {
  switch (block.type) {
    case 'thinking':
      return { type: 'thinking', thinking: block.thinking, signature: block.signature };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: block.data };
    case 'text':
      return block.citations
        ? { type: 'text', text: block.text, citations: block.citations }
        : { type: 'text', text: block.text };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: toolInputForMessage(block) };
  }
}

/** The whole answer as a non-streaming Messages response body. */
export function replyToMessage(reply: Reply): Message {
  return {
    id: reply.id,
    type: 'message',
    role: 'assistant',
    model: reply.model,
    content: reply.blocks.map((block) => blockForMessage(block) as Message['content'][number]),
    stop_reason: reply.stopReason,
    stop_sequence: reply.stopSequence,
    usage: { ...reply.usage, service_tier: 'standard' },
  };
}

function rendered(event: StreamEvent): RenderedEvent {
  return { event, json: JSON.stringify(event) };
}

/** Splits text into pieces of about `size` characters, never inside a surrogate pair. */
export function splitText(text: string, size: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    const code = text.charCodeAt(end - 1);
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end += 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

const JSON_TOKEN = /"(?:[^"\\]|\\.)*"?|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|[{}[\],:]|\s+|./gs;

/** Splits JSON text into chunks that end on JSON token boundaries (how the API streams tool input by default). */
export function splitJsonAtTokens(json: string, size: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const match of json.matchAll(JSON_TOKEN)) {
    current += match[0];
    if (current.length >= size) {
      chunks.push(current);
      current = '';
    }
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Raw fragments of varying sizes that cut anywhere, as fine-grained tool streaming sends them. */
export function splitRawFragments(json: string, size: number): string[] {
  const sizes = [size, Math.max(1, Math.floor(size / 3)), size + 7, Math.max(1, size - 5), 2 * size];
  const fragments: string[] = [];
  let start = 0;
  let turn = 0;
  while (start < json.length) {
    const length = sizes[turn++ % sizes.length] ?? size;
    const end = Math.min(json.length, start + length);
    fragments.push(json.slice(start, end));
    start = end;
  }
  return fragments;
}

/**
 * The whole answer as Anthropic stream events in the real order: message_start
 * (with usage), the first block's start, ping, deltas, block stops,
 * message_delta (stop reason, usage), message_stop.
 */
export function replyToEvents(reply: Reply): RenderedEvent[] {
  const events: RenderedEvent[] = [];
  const usage = reply.usage;
  events.push(
    rendered({
      type: 'message_start',
      message: {
        id: reply.id,
        type: 'message',
        role: 'assistant',
        model: reply.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage.input_tokens,
          cache_creation_input_tokens: usage.cache_creation_input_tokens,
          cache_read_input_tokens: usage.cache_read_input_tokens,
          output_tokens: 1,
          service_tier: 'standard',
        },
      },
    }),
  );
  for (const [index, block] of reply.blocks.entries()) {
    const [start, ...rest] = blockEvents(block, index, reply.chunkChars);
    if (start) events.push(start);
    // The API sends one ping after the first block starts.
    if (index === 0) events.push(rendered({ type: 'ping' }));
    // A loop, not push(...rest): a spread of a very long answer's deltas overflows the stack.
    for (const event of rest) events.push(event);
  }
  if (reply.blocks.length === 0) events.push(rendered({ type: 'ping' }));
  events.push(
    rendered({
      type: 'message_delta',
      delta: { stop_reason: reply.stopReason, stop_sequence: reply.stopSequence },
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        output_tokens: usage.output_tokens,
      },
    }),
  );
  events.push(rendered({ type: 'message_stop' }));
  return events;
}

function deltasOf(block: PlannedBlock, chunkChars: number): Record<string, unknown>[] {
  switch (block.type) {
    case 'thinking':
      return [
        ...splitText(block.thinking, chunkChars).map((thinking) => ({ type: 'thinking_delta', thinking })),
        { type: 'signature_delta', signature: block.signature },
      ];
    case 'redacted_thinking':
      // Its data comes whole in the block's start; it has no deltas.
      return [];
    case 'text':
      return [
        // A cited block's citations come first, each in its own delta, then its text.
        ...(block.citations ?? []).map((citation) => ({ type: 'citations_delta', citation })),
        ...splitText(block.text, chunkChars).map((text) => ({ type: 'text_delta', text })),
      ];
    case 'tool_use': {
      const pieces = block.fineGrained
        ? splitRawFragments(block.inputJson, chunkChars)
        : ['', ...splitJsonAtTokens(block.inputJson, chunkChars)];
      return pieces.map((partial_json) => ({ type: 'input_json_delta', partial_json }));
    }
  }
}

function startBlockOf(block: PlannedBlock): Record<string, unknown> {
  switch (block.type) {
    case 'thinking':
      return { type: 'thinking', thinking: '', signature: '' };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: block.data };
    case 'text':
      return block.citations ? { type: 'text', text: '', citations: [] } : { type: 'text', text: '' };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: {} };
  }
}

function blockEvents(block: PlannedBlock, index: number, chunkChars: number): RenderedEvent[] {
  const events = [
    rendered({ type: 'content_block_start', index, content_block: startBlockOf(block) as { type: string } }),
  ];
  for (const delta of deltasOf(block, chunkChars)) {
    events.push(rendered({ type: 'content_block_delta', index, delta: delta as { type: string } }));
  }
  events.push(rendered({ type: 'content_block_stop', index }));
  return events;
}
