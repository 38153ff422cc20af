/**
 * Server-Sent Events, the stream format of the Anthropic API and Vertex AI:
 * bytes → SSE messages → Anthropic events, and back.
 */

import { createParser, type EventSourceParser } from 'eventsource-parser';
import type { StreamEvent } from './anthropic-events.js';
import {
  type EncodableStreamEvent,
  isJsonObject,
  previewText,
  safeParseJson,
  serializeStreamEvent,
} from './json.js';

/** One dispatched SSE message. `event` is `undefined` when the server sent no `event:` field. */
export interface SseMessage {
  event: string | undefined;
  data: string;
  id?: string;
}

export interface SseParseOptions {
  /** Errors the stream when one message grows beyond this many characters (default: unbounded). */
  maxBufferSize?: number;
  /** Called with the text of each comment line (`: keep-alive`). */
  onComment?: (comment: string) => void;
}

/**
 * Parses a Server-Sent Events body into messages, following the SSE spec:
 * comments are dropped (or handed to `onComment`), several `data:` lines are
 * joined with `\n`, unknown fields are ignored and an event that is not ended
 * by a blank line before the stream closes is discarded.
 *
 * Accepts bytes (decoded as UTF-8, also when a character is split across
 * chunks) or text.
 *
 * @example
 * const messages = response.body!.pipeThrough(new SseParseStream());
 * for await (const message of messages) console.log(message.event, message.data);
 */
export class SseParseStream extends TransformStream<Uint8Array | string, SseMessage> {
  constructor(options: SseParseOptions = {}) {
    const decoder = new TextDecoder();
    let parser: EventSourceParser | undefined;
    // A CR at the end of the input may be the first half of a CRLF, so the parser waits for the next
    // character; at the end of the stream it is a complete line end and is finished with a LF.
    let endsWithCarriageReturn = false;
    const feed = (text: string): void => {
      if (text === '') return;
      endsWithCarriageReturn = text.endsWith('\r');
      parser?.feed(text);
    };
    super({
      start(controller) {
        parser = createParser({
          onEvent(message) {
            controller.enqueue(
              message.id === undefined
                ? { event: message.event, data: message.data }
                : { event: message.event, data: message.data, id: message.id },
            );
          },
          onError(error) {
            // Unknown fields and bad `retry` values are ignored, as the spec says; a blown buffer is fatal.
            if (error.type === 'max-buffer-size-exceeded') controller.error(error);
          },
          ...(options.onComment ? { onComment: options.onComment } : {}),
          ...(options.maxBufferSize === undefined ? {} : { maxBufferSize: options.maxBufferSize }),
        });
      },
      transform(chunk) {
        if (typeof chunk === 'string') {
          feed(decoder.decode());
          feed(chunk);
        } else {
          feed(decoder.decode(chunk, { stream: true }));
        }
      },
      flush() {
        feed(decoder.decode());
        if (endsWithCarriageReturn) feed('\n');
      },
    });
  }
}

/**
 * Writes one SSE message. Data containing line breaks becomes several
 * `data:` lines, so a client joins it back to the same text.
 *
 * @example
 * encodeSseEvent('ping', '{"type":"ping"}'); // 'event: ping\ndata: {"type":"ping"}\n\n'
 * encodeSseEvent('note', 'a\nb');            // 'event: note\ndata: a\ndata: b\n\n'
 */
export function encodeSseEvent(eventName: string, data: string): string {
  if (/[\r\n]/.test(eventName)) {
    throw new Error(`SSE event name must be one line, got ${JSON.stringify(previewText(eventName))}`);
  }
  if (!data.includes('\n') && !data.includes('\r')) return `event: ${eventName}\ndata: ${data}\n\n`;
  return `event: ${eventName}\ndata: ${data.split(/\r\n|\r|\n/).join('\ndata: ')}\n\n`;
}

/**
 * Encodes Anthropic stream events as SSE bytes: `event: <type>` and
 * `data: <JSON>` per event.
 *
 * Each chunk written is either a `StreamEvent` (stringified here) or a
 * `{ event, json }` pair whose `json` is written as is, so events decoded from
 * upstream go out byte for byte without a second `JSON.stringify`.
 *
 * @example
 * const body = events.pipeThrough(new SseEncodeStream());
 * return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
 */
export class SseEncodeStream extends TransformStream<EncodableStreamEvent, Uint8Array> {
  constructor() {
    const encoder = new TextEncoder();
    super({
      transform(input, controller) {
        const { event, json } = serializeStreamEvent(input);
        controller.enqueue(encoder.encode(encodeSseEvent(event.type, json)));
      },
    });
  }
}

/**
 * Turns SSE messages into Anthropic stream events by parsing each message's
 * `data` as JSON. Messages with empty data are skipped; data that is not JSON,
 * or JSON without a string `type`, errors the stream with a message that
 * quotes the data (shortened to about 200 characters).
 *
 * @example
 * const events = response.body!
 *   .pipeThrough(new SseParseStream())
 *   .pipeThrough(new AnthropicEventParseStream());
 * for await (const event of events) if (event.type === 'message_stop') break;
 */
export class AnthropicEventParseStream extends TransformStream<SseMessage, StreamEvent> {
  constructor() {
    super({
      transform(message, controller) {
        if (message.data.trim() === '') return;
        const parsed = safeParseJson(message.data);
        const name = message.event === undefined ? 'an unnamed SSE event' : `SSE event "${message.event}"`;
        if (!parsed.ok) {
          controller.error(
            new Error(
              `The data of ${name} is not valid JSON (${parsed.error.message}): ${previewText(message.data)}`,
            ),
          );
          return;
        }
        if (!isJsonObject(parsed.value) || typeof parsed.value['type'] !== 'string') {
          controller.error(
            new Error(
              `The data of ${name} is not an Anthropic stream event (no string "type"): ${previewText(message.data)}`,
            ),
          );
          return;
        }
        controller.enqueue(parsed.value as StreamEvent);
      },
    });
  }
}
