/**
 * The emulator's Converse answers: the scripted model's Messages answer and
 * events written in Converse's shapes by the same translation the gateway
 * uses (src/wire/converse), one event-stream frame per Converse event.
 */

import { encodeConverseEvents, encodeConverseException } from '../../wire/converse/converse-frames.js';
import { messageToConverse } from '../../wire/converse/converse-response.js';
import { ConverseStreamTranslator } from '../../wire/converse/converse-stream.js';
import type { JsonPointer } from '../../wire/converse/json-pointer.js';
import type { AnswerShape } from './answer-messages.js';

/** Converse's answer shape for one request. */
export function converseShape(responseFieldPaths: readonly JsonPointer[]): AnswerShape {
  return {
    whole: (message, latencyMs) =>
      JSON.stringify(messageToConverse(message, { latencyMs, responseFieldPaths })),
    frames(events, started) {
      const translator = new ConverseStreamTranslator({ startedAt: started, responseFieldPaths });
      return events.flatMap(({ event }) => translator.push(event).map((out) => encodeConverseEvents([out])));
    },
    streamError: encodeConverseException,
  };
}
