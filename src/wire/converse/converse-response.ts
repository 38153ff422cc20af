/**
 * Claude's answer (a Messages response) as Converse's: `output.message`,
 * `stopReason`, `usage` with the cache counts, `metrics.latencyMs`, and the
 * `additionalModelResponseFields` the request asked for.
 */

import type { ContentBlock, Message } from '../anthropic-events.js';
import { converseCitation } from './converse-citations.js';
import { converseStopReason, converseUsage } from './converse-usage.js';
import { type JsonPointer, pickFields } from './json-pointer.js';

/** A redacted thinking block's opaque `data`, as the bytes of Converse's `redactedContent` blob. */
export function redactedContentOf(data: unknown): string {
  return Buffer.from(typeof data === 'string' ? data : '', 'utf8').toString('base64');
}

/** One Claude content block as a Converse one; undefined for blocks Converse cannot carry (server tools). */
export function converseContentBlock(block: ContentBlock): Record<string, unknown> | undefined {
  switch (block.type) {
    case 'text': {
      const citations = Array.isArray(block['citations'])
        ? (block['citations'] as Record<string, unknown>[])
        : [];
      const text = String(block['text'] ?? '');
      if (citations.length === 0) return { text };
      return { citationsContent: { content: [{ text }], citations: citations.map(converseCitation) } };
    }
    case 'tool_use':
      return { toolUse: { toolUseId: block['id'], name: block['name'], input: block['input'] ?? {} } };
    case 'thinking':
      return {
        reasoningContent: {
          reasoningText: {
            text: String(block['thinking'] ?? ''),
            ...(typeof block['signature'] === 'string' && block['signature']
              ? { signature: block['signature'] }
              : {}),
          },
        },
      };
    case 'redacted_thinking':
      return { reasoningContent: { redactedContent: redactedContentOf(block['data']) } };
    default:
      return undefined;
  }
}

/**
 * The document `additionalModelResponseFieldPaths` point into: the answer,
 * with its final `delta` ({stop_reason, stop_sequence}) as Bedrock's Claude
 * answers carry it (clients ask for `/delta/stop_sequence`).
 */
export function responseFieldDocument(message: Partial<Message>): Record<string, unknown> {
  return {
    ...message,
    delta: { stop_reason: message.stop_reason ?? null, stop_sequence: message.stop_sequence ?? null },
  };
}

/** The Converse response for a whole Messages answer. */
export function messageToConverse(
  message: Message,
  options: { latencyMs: number; responseFieldPaths: readonly JsonPointer[] },
): Record<string, unknown> {
  const content = (message.content ?? []).flatMap((block) => {
    const converted = converseContentBlock(block);
    return converted ? [converted] : [];
  });
  const response: Record<string, unknown> = {
    output: { message: { role: 'assistant', content } },
    stopReason: converseStopReason(message.stop_reason),
    usage: converseUsage(message.usage),
    metrics: { latencyMs: options.latencyMs },
  };
  const fields = pickFields(responseFieldDocument(message), options.responseFieldPaths);
  if (fields) response['additionalModelResponseFields'] = fields;
  return response;
}
