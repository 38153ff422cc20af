/**
 * The push-based decoder for SSE answers (the Anthropic API, Vertex AI's
 * `streamRawPredict`, Microsoft Foundry): network chunks → SSE messages →
 * Anthropic stream events, each kept with the JSON text it arrived as, so a
 * passthrough writes the bytes it got and never stringifies again.
 */

import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import { z } from 'zod';
import type { StreamEvent } from '../wire/anthropic-events.js';
import {
  type ErrorPlatform,
  GatewayError,
  parseAnthropicError,
  parseVertexError,
  statusForAnthropicErrorType,
} from '../wire/errors/index.js';
import { PLATFORM_NAMES, sentence } from '../wire/errors/platform-names.js';
import { isJsonObject, previewText, safeParseJson } from '../wire/json.js';
import type { StreamDecoder, StreamDecoderOptions, UpstreamStreamItem } from './types.js';

/** Who sends the stream: decides the error dialect of `event: error` data and names the platform in messages. */
export type SseStreamPlatform = Extract<
  ErrorPlatform,
  'anthropic' | 'vertex' | 'foundry' | 'bedrock-messages' | 'claude-platform-aws'
>;

/** An event the stream started but did not finish (no blank line after it) before it ended. */
export interface PartialSseEvent {
  event: string | undefined;
  data: string;
}

/** The fields of an error payload that give its status: an Anthropic `error.type` or a Google `error.code`. */
const errorStatusSchema = z.object({
  error: z.object({ type: z.string().nullish(), code: z.number().nullish() }).nullish(),
});

/**
 * Decodes one SSE answer fed chunk by chunk.
 *
 * - Bytes are decoded as UTF-8 across chunks (a character split between two
 *   chunks comes out whole), lines as the SSE spec says (LF, CR or CRLF,
 *   comments dropped, several `data:` lines joined).
 * - Each message becomes `{ kind: 'event', event, json }` with `json` the data
 *   text exactly as received.
 * - `event: error` (or any data whose `type` is `"error"`) becomes
 *   `{ kind: 'error', error }`: a GatewayError read with the platform's error
 *   parser (Anthropic shape; on Vertex also `google.rpc.Status`), its message kept.
 * - Data that is not JSON, or JSON without a string `type`, becomes an error
 *   item that names the SSE event and quotes the data.
 *
 * `end()` never reports an error by itself: a stream that stops without
 * `message_stop`, or in the middle of an event, is for the engine to judge
 * (it knows whether the message was complete). An event left unfinished
 * (not followed by a blank line) is not emitted, as the SSE spec says; it is
 * kept in `partialEvent` so the engine can say what was cut.
 *
 * @example
 * const decoder = new SseStreamDecoder('vertex');
 * for await (const chunk of response.body) {
 *   for (const item of decoder.push(chunk)) {
 *     if (item.kind === 'error') throw item.error;
 *     client.write(`event: ${item.event.type}\ndata: ${item.json}\n\n`);
 *   }
 * }
 * decoder.end();
 * if (decoder.partialEvent) log.warn('stream cut inside an event');
 */
export class SseStreamDecoder implements StreamDecoder {
  private readonly textDecoder = new TextDecoder();
  private readonly parser: EventSourceParser;
  private items: UpstreamStreamItem[] = [];
  private endsWithCarriageReturn = false;
  private flushing = false;
  private ended = false;
  private partial: PartialSseEvent | undefined;

  constructor(
    private readonly platform: SseStreamPlatform = 'anthropic',
    private readonly options: StreamDecoderOptions = {},
  ) {
    this.parser = createParser({
      onEvent: (message) => {
        if (this.flushing) this.partial = { event: message.event, data: message.data };
        else this.decodeMessage(message);
      },
    });
  }

  /** The event the stream was cut inside of, once `end()` was called; undefined when it ended cleanly. */
  get partialEvent(): PartialSseEvent | undefined {
    return this.partial;
  }

  push(chunk: Uint8Array): UpstreamStreamItem[] {
    if (this.ended) throw new Error('SseStreamDecoder: push() after end()');
    this.feed(this.textDecoder.decode(chunk, { stream: true }));
    return this.take();
  }

  end(): UpstreamStreamItem[] {
    if (this.ended) return [];
    this.ended = true;
    this.feed(this.textDecoder.decode());
    // A CR at the very end may be the first half of a CRLF, so the parser waits; the stream is over, so it ends a line.
    if (this.endsWithCarriageReturn) this.feed('\n');
    // Whatever the parser still holds is an event without its closing blank line: dispatch it only to record it.
    this.flushing = true;
    this.parser.feed('\n\n');
    return this.take();
  }

  private feed(text: string): void {
    if (text === '') return;
    this.endsWithCarriageReturn = text.endsWith('\r');
    this.parser.feed(text);
  }

  private take(): UpstreamStreamItem[] {
    const items = this.items;
    this.items = [];
    return items;
  }

  private decodeMessage(message: EventSourceMessage): void {
    if (message.data.trim() === '') return;
    const type = message.event;
    // Events the caller only forwards are not parsed: their name already says their type.
    if (type && type !== 'error' && this.options.parse && !this.options.parse(type)) {
      this.items.push({ kind: 'event', event: { type }, json: message.data, parsed: false });
      return;
    }
    const name = message.event === undefined ? 'an unnamed SSE event' : `SSE event "${message.event}"`;
    const parsed = safeParseJson(message.data);
    if (!parsed.ok) {
      if (message.event === 'error') {
        // An error event whose data is plain text: the text is the message.
        this.items.push({ kind: 'error', error: this.parseErrorData(500, message.data) });
        return;
      }
      this.items.push({
        kind: 'error',
        error: this.malformed(`sent ${name} whose data is not JSON (${parsed.error.message})`, message.data),
      });
      return;
    }
    const value = parsed.value;
    if (message.event === 'error' || (isJsonObject(value) && value['type'] === 'error')) {
      this.items.push({ kind: 'error', error: this.parseErrorData(errorStatus(value), message.data) });
      return;
    }
    if (!isJsonObject(value) || typeof value['type'] !== 'string') {
      this.items.push({
        kind: 'error',
        error: this.malformed(
          `sent ${name} that is not an Anthropic stream event (no string "type")`,
          message.data,
        ),
      });
      return;
    }
    this.items.push({ kind: 'event', event: value as StreamEvent, json: message.data });
  }

  private parseErrorData(status: number, data: string): GatewayError {
    return this.platform === 'vertex'
      ? parseVertexError(status, undefined, data)
      : parseAnthropicError(status, undefined, data, { platform: this.platform });
  }

  private malformed(what: string, data: string): GatewayError {
    return new GatewayError({
      status: 502,
      type: 'api_error',
      message: sentence(`${PLATFORM_NAMES[this.platform]} ${what}: ${previewText(data)}`),
      platform: this.platform,
    });
  }
}

/** The status an error event stands for (a stream's HTTP status was 200): from its Anthropic type or Google code. */
function errorStatus(value: unknown): number {
  const body = Array.isArray(value) ? value[0] : value;
  const parsed = errorStatusSchema.safeParse(body);
  const error = parsed.success ? parsed.data.error : undefined;
  if (typeof error?.type === 'string') return statusForAnthropicErrorType(error.type);
  if (typeof error?.code === 'number' && error.code >= 400) return error.code;
  return 500;
}
