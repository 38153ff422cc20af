/**
 * Claude's stream events as ConverseStream's, one event at a time:
 * message_start → `messageStart`; a tool_use block's start →
 * `contentBlockStart` (text and reasoning blocks start with their first
 * delta, as Bedrock sends them); deltas → `contentBlockDelta` (text,
 * toolUse input, reasoningContent text/signature/redactedContent, citation);
 * content_block_stop → `contentBlockStop`; message_stop → `messageStop` and
 * `metadata` (usage, latency).
 */

import { MessageAccumulator } from '../../streaming/message-accumulator.js';
import type { ContentBlock, StreamEvent, Usage } from '../anthropic-events.js';
import { converseCitation } from './converse-citations.js';
import { redactedContentOf, responseFieldDocument } from './converse-response.js';
import { converseStopReason, converseUsage } from './converse-usage.js';
import { type JsonPointer, pickFields } from './json-pointer.js';

/** The event members of ConverseStream's output union. */
export type ConverseEventName =
  | 'messageStart'
  | 'contentBlockStart'
  | 'contentBlockDelta'
  | 'contentBlockStop'
  | 'messageStop'
  | 'metadata';

export interface ConverseEvent {
  name: ConverseEventName;
  payload: Record<string, unknown>;
}

export interface ConverseStreamOptions {
  responseFieldPaths?: readonly JsonPointer[];
  /** When the request arrived (ms since the epoch), for `metadata.metrics.latencyMs`. */
  startedAt: number;
  now?: () => number;
}

type Record_ = Record<string, unknown>;

/**
 * Translates one answer's events; create one per stream.
 *
 * @example
 * const translator = new ConverseStreamTranslator({ startedAt: Date.now() });
 * for (const event of events) for (const out of translator.push(event)) send(out.name, out.payload);
 */
export class ConverseStreamTranslator {
  private readonly carried = new Set<number>();
  private usage: Usage = {};
  private stopReason: string | null = null;
  private stopSequence: string | null = null;
  private readonly now: () => number;
  /** Kept only when the request asked for response fields: they may point anywhere in the answer. */
  private readonly accumulator: MessageAccumulator | undefined;

  constructor(private readonly options: ConverseStreamOptions) {
    this.now = options.now ?? Date.now;
    if (options.responseFieldPaths && options.responseFieldPaths.length > 0) {
      this.accumulator = new MessageAccumulator();
    }
  }

  push(event: StreamEvent): ConverseEvent[] {
    this.accumulator?.push(event);
    const record = event as Record_;
    const index = typeof record['index'] === 'number' ? record['index'] : 0;
    switch (event.type) {
      case 'message_start': {
        const message = record['message'] as { usage?: Usage } | undefined;
        this.addUsage(message?.usage);
        return [{ name: 'messageStart', payload: { role: 'assistant' } }];
      }
      case 'content_block_start':
        return this.blockStart(index, record['content_block'] as ContentBlock);
      case 'content_block_delta': {
        if (!this.carried.has(index)) return [];
        const delta = this.delta(record['delta'] as Record_);
        return delta ? [{ name: 'contentBlockDelta', payload: { delta, contentBlockIndex: index } }] : [];
      }
      case 'content_block_stop':
        return this.carried.has(index)
          ? [{ name: 'contentBlockStop', payload: { contentBlockIndex: index } }]
          : [];
      case 'message_delta': {
        const delta = record['delta'] as Record_ | undefined;
        if (typeof delta?.['stop_reason'] === 'string') this.stopReason = delta['stop_reason'];
        if (typeof delta?.['stop_sequence'] === 'string') this.stopSequence = delta['stop_sequence'];
        this.addUsage(record['usage'] as Usage | undefined);
        return [];
      }
      case 'message_stop':
        return this.end();
      default:
        return [];
    }
  }

  private addUsage(usage: Usage | undefined): void {
    if (!usage) return;
    for (const [key, value] of Object.entries(usage))
      if (value !== null && value !== undefined) this.usage[key] = value;
  }

  private blockStart(index: number, block: ContentBlock | undefined): ConverseEvent[] {
    const delta = (payload: Record_): ConverseEvent => ({
      name: 'contentBlockDelta',
      payload: { delta: payload, contentBlockIndex: index },
    });
    switch (block?.type) {
      case 'text': {
        this.carried.add(index);
        const text = String(block['text'] ?? '');
        return text ? [delta({ text })] : [];
      }
      case 'thinking': {
        this.carried.add(index);
        const text = String(block['thinking'] ?? '');
        return text ? [delta({ reasoningContent: { text } })] : [];
      }
      case 'redacted_thinking':
        this.carried.add(index);
        return [delta({ reasoningContent: { redactedContent: redactedContentOf(block['data']) } })];
      case 'tool_use':
        this.carried.add(index);
        return [
          {
            name: 'contentBlockStart',
            payload: {
              start: { toolUse: { toolUseId: block['id'], name: block['name'] } },
              contentBlockIndex: index,
            },
          },
        ];
      default:
        // Server tool blocks and new block types have no Converse shape: the client sees none of their events.
        return [];
    }
  }

  private delta(delta: Record_ | undefined): Record_ | undefined {
    switch (delta?.['type']) {
      case 'text_delta':
        return { text: String(delta['text'] ?? '') };
      case 'input_json_delta':
        return { toolUse: { input: String(delta['partial_json'] ?? '') } };
      case 'thinking_delta':
        return { reasoningContent: { text: String(delta['thinking'] ?? '') } };
      case 'signature_delta':
        return { reasoningContent: { signature: String(delta['signature'] ?? '') } };
      case 'citations_delta':
        return { citation: converseCitation((delta['citation'] ?? {}) as Record_) };
      default:
        return undefined;
    }
  }

  private end(): ConverseEvent[] {
    const stop: Record_ = { stopReason: converseStopReason(this.stopReason) };
    const paths = this.options.responseFieldPaths ?? [];
    if (paths.length > 0) {
      const message = this.accumulator?.message ?? {};
      const fields = pickFields(
        responseFieldDocument({ ...message, stop_reason: this.stopReason, stop_sequence: this.stopSequence }),
        paths,
      );
      if (fields) stop['additionalModelResponseFields'] = fields;
    }
    return [
      { name: 'messageStop', payload: stop },
      {
        name: 'metadata',
        payload: {
          usage: converseUsage(this.usage),
          metrics: { latencyMs: Math.max(0, this.now() - this.options.startedAt) },
        },
      },
    ];
  }
}
