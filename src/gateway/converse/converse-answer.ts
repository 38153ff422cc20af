/**
 * How the gateway writes Converse answers: the whole answer and the stream
 * translated from the Messages answer and events (src/wire/converse), the
 * stream as event-stream frames, a failure after the first byte as one of
 * ConverseStream's exceptions.
 */

import type { StreamChunk } from '../../engine/upstream-stream.js';
import type { MessageAccumulator } from '../../streaming/message-accumulator.js';
import { encodeConverseEvents, encodeConverseException } from '../../wire/converse/converse-frames.js';
import { messageToConverse } from '../../wire/converse/converse-response.js';
import { type ConverseEvent, ConverseStreamTranslator } from '../../wire/converse/converse-stream.js';
import type { JsonPointer } from '../../wire/converse/json-pointer.js';
import type { AnswerTranslation } from '../dialect.js';

/** The answer side of one Converse request. */
export function converseAnswer(options: {
  responseFieldPaths: readonly JsonPointer[];
  requestMetadata?: Record<string, string>;
}): AnswerTranslation {
  return {
    operation: 'converse',
    ...(options.requestMetadata ? { requestMetadata: options.requestMetadata } : {}),
    whole: (message, latencyMs) =>
      JSON.stringify(
        messageToConverse(message, { latencyMs, responseFieldPaths: options.responseFieldPaths }),
      ),
    streamEncoder: (_accumulator: MessageAccumulator, startedAt: number) => {
      const translator = new ConverseStreamTranslator({
        startedAt,
        responseFieldPaths: options.responseFieldPaths,
      });
      return {
        encode(chunk: StreamChunk): Uint8Array {
          const parts: Uint8Array[] = [];
          let events: ConverseEvent[] = [];
          for (const item of chunk.items) {
            if (item.kind === 'error') {
              if (events.length > 0) parts.push(encodeConverseEvents(events));
              events = [];
              parts.push(encodeConverseException(item.error));
              continue;
            }
            events.push(...translator.push(item.event));
          }
          if (events.length > 0) parts.push(encodeConverseEvents(events));
          if (parts.length === 1) return parts[0] as Uint8Array;
          return Buffer.concat(parts);
        },
      };
    },
    streamError: encodeConverseException,
  };
}
