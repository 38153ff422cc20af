/**
 * The payloads of Bedrock `InvokeModelWithResponseStream`: each Anthropic
 * stream event travels base64-encoded in a `chunk` event frame; failures
 * mid-stream travel as `exception` (or `error`) frames.
 */

import type { Message, MessageHeaders } from '@smithy/eventstream-codec';
import type { StreamEvent } from './anthropic-events.js';
import { chunkPayloadBase64 } from './bedrock-chunk-payload.js';
import { isJsonObject, previewText, safeParseJson } from './json.js';

/** The in-stream exception types of `InvokeModelWithResponseStream` (botocore's ResponseStream). */
export const BEDROCK_STREAM_EXCEPTION_TYPES = [
  'internalServerException',
  'modelStreamErrorException',
  'validationException',
  'throttlingException',
  'modelTimeoutException',
  'serviceUnavailableException',
] as const;
export type BedrockStreamExceptionType = (typeof BEDROCK_STREAM_EXCEPTION_TYPES)[number];

/** The key Bedrock adds to the last event (message_stop) of a stream. */
export const INVOCATION_METRICS_KEY = 'amazon-bedrock-invocationMetrics';

/** Bedrock's usage and latency summary, carried inside the message_stop event JSON. */
export interface InvocationMetrics {
  inputTokenCount: number;
  outputTokenCount: number;
  /** Milliseconds from request to last byte. */
  invocationLatency: number;
  /** Milliseconds from request to first byte. */
  firstByteLatency: number;
  cacheReadInputTokenCount?: number;
  cacheWriteInputTokenCount?: number;
}

/** Real Bedrock pads every chunk with a prefix of this text, of varying length, to hide payload sizes. */
export const BEDROCK_PADDING_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export interface BedrockChunkOptions {
  /** Length of the `p` padding, 0 to 62; random from 1 to 62 when not given. Fix it in tests. */
  paddingLength?: number;
  /** Added to the event JSON under `amazon-bedrock-invocationMetrics` (for the message_stop chunk). */
  invocationMetrics?: InvocationMetrics;
}

/** One decoded Bedrock stream frame. */
export type BedrockFrame =
  /**
   * A chunk carrying one Anthropic event. `json` is the event text exactly as
   * sent; `event` keeps every field, including `amazon-bedrock-invocationMetrics`
   * on message_stop, which is also lifted into `invocationMetrics`.
   */
  | { kind: 'event'; event: StreamEvent; json: string; invocationMetrics?: InvocationMetrics; parsed?: false }
  /** A chunk whose JSON has no string `type` (a keep-alive): nothing to forward as an event. */
  | { kind: 'keep-alive'; json: string }
  /** An in-stream exception (`:message-type` exception), e.g. throttlingException. */
  | {
      kind: 'exception';
      exceptionType: string;
      message: string;
      /** modelStreamErrorException only: the model's own status and message. */
      originalStatusCode?: number;
      originalMessage?: string;
    }
  /** An unmodeled error (`:message-type` error). */
  | { kind: 'error'; code: string; message: string }
  /** A frame of another message or event type: reported, not fatal, as the AWS SDK skips them. */
  | { kind: 'unknown'; messageType: string | undefined; eventType: string | undefined };

export type BedrockChunkErrorCode = 'INVALID_CHUNK_PAYLOAD' | 'INVALID_CHUNK_EVENT';

/** A chunk frame whose payload cannot be read. `code` is stable; match on it, not on the text. */
export class BedrockChunkError extends Error {
  override readonly name = 'BedrockChunkError';
  readonly code: BedrockChunkErrorCode;

  constructor(code: BedrockChunkErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

function stringHeader(value: string): { type: 'string'; value: string } {
  return { type: 'string', value };
}

/**
 * Builds the `chunk` frame for one Anthropic stream event, as Bedrock sends it:
 * `{"bytes":"<base64 of the event JSON>","p":"<padding>"}`.
 *
 * `eventJson` must be the JSON text of one event object; it is not re-parsed.
 *
 * @example
 * const frame = encodeBedrockChunk('{"type":"message_stop"}', {
 *   invocationMetrics: { inputTokenCount: 12, outputTokenCount: 40, invocationLatency: 900, firstByteLatency: 300 },
 * });
 * const bytes = encodeEventStreamMessage(frame);
 */
export function encodeBedrockChunk(eventJson: string, options: BedrockChunkOptions = {}): Message {
  const json =
    options.invocationMetrics === undefined
      ? eventJson
      : addInvocationMetrics(eventJson, options.invocationMetrics);
  const bytes = Buffer.from(json, 'utf8').toString('base64');
  const padding = BEDROCK_PADDING_ALPHABET.slice(0, paddingLength(options.paddingLength));
  return {
    headers: {
      ':event-type': stringHeader('chunk'),
      ':content-type': stringHeader('application/json'),
      ':message-type': stringHeader('event'),
    },
    body: textEncoder.encode(`{"bytes":"${bytes}","p":"${padding}"}`),
  };
}

function paddingLength(requested: number | undefined): number {
  if (requested === undefined) return 1 + Math.floor(Math.random() * BEDROCK_PADDING_ALPHABET.length);
  if (!Number.isInteger(requested) || requested < 0 || requested > BEDROCK_PADDING_ALPHABET.length) {
    throw new RangeError(
      `paddingLength must be an integer from 0 to ${BEDROCK_PADDING_ALPHABET.length}, got ${requested}`,
    );
  }
  return requested;
}

/** Inserts the metrics as the last key of the event object, without re-stringifying the event. */
function addInvocationMetrics(eventJson: string, metrics: InvocationMetrics): string {
  const end = eventJson.lastIndexOf('}');
  if (end === -1 || eventJson.slice(end + 1).trim() !== '') {
    throw new Error(`Cannot add invocation metrics: not a JSON object: ${previewText(eventJson)}`);
  }
  const head = eventJson.slice(0, end).trimEnd();
  const separator = head.endsWith('{') ? '' : ',';
  return `${head}${separator}"${INVOCATION_METRICS_KEY}":${JSON.stringify(metrics)}}`;
}

/**
 * Builds an in-stream exception frame, as Bedrock sends when a stream fails
 * after it started: `:message-type` exception, payload `{"message":"…"}`.
 *
 * @example
 * const bytes = encodeEventStreamMessage(encodeBedrockException('throttlingException', 'Too many requests'));
 */
export function encodeBedrockException(exceptionType: BedrockStreamExceptionType, message: string): Message {
  return {
    headers: {
      ':exception-type': stringHeader(exceptionType),
      ':content-type': stringHeader('application/json'),
      ':message-type': stringHeader('exception'),
    },
    body: textEncoder.encode(JSON.stringify({ message })),
  };
}

/**
 * Builds an unmodeled error frame (`:message-type` error): code and message
 * travel in headers, the payload is empty.
 *
 * @example
 * const frame = encodeBedrockError('InternalFailure', 'The stream broke');
 */
export function encodeBedrockError(code: string, message: string): Message {
  return {
    headers: {
      ':error-code': stringHeader(code),
      ':error-message': stringHeader(message),
      ':message-type': stringHeader('error'),
    },
    body: new Uint8Array(0),
  };
}

function readStringHeader(headers: MessageHeaders, name: string): string | undefined {
  const header = headers[name];
  return header?.type === 'string' ? header.value : undefined;
}

/**
 * Reads one Bedrock stream frame. Chunks become `event` (or `keep-alive` when
 * their JSON has no `type`); exception and error frames are returned, not
 * thrown, so the caller can answer in its client's dialect.
 *
 * Throws `BedrockChunkError` for a chunk without `bytes` or whose bytes are not
 * a JSON object.
 *
 * @example
 * const frame = decodeBedrockFrame(message);
 * if (frame.kind === 'event') forward(frame.event);
 * else if (frame.kind === 'exception') fail(frame.exceptionType, frame.message);
 */
export function decodeBedrockFrame(message: Message, options: BedrockFrameOptions = {}): BedrockFrame {
  const messageType = readStringHeader(message.headers, ':message-type');
  if (messageType === 'exception') {
    return decodeException(
      readStringHeader(message.headers, ':exception-type') ?? 'unknownException',
      message.body,
    );
  }
  if (messageType === 'error') {
    return {
      kind: 'error',
      code: readStringHeader(message.headers, ':error-code') ?? 'UnknownError',
      message: readStringHeader(message.headers, ':error-message') ?? '',
    };
  }
  const eventType = readStringHeader(message.headers, ':event-type');
  if (messageType !== 'event' || eventType !== 'chunk') return { kind: 'unknown', messageType, eventType };
  return decodeChunk(message.body, options);
}

/** How much of a chunk to decode. */
export interface BedrockFrameOptions {
  /**
   * Which event types to parse. An event of another type comes back with only
   * its `type` (read from the start of its JSON) and its JSON text, marked
   * `parsed: false`: for a caller that re-frames events without reading them.
   */
  parse?: (type: string) => boolean;
}

// Bedrock (and the Anthropic API) write the event's type first: {"type":"content_block_delta",…
const LEADING_TYPE = /^\{\s*"type"\s*:\s*"([A-Za-z_]+)"/;

function decodeChunk(body: Uint8Array, options: BedrockFrameOptions): BedrockFrame {
  const json = Buffer.from(chunkPayloadBase64(body) ?? parsedChunkBase64(body), 'base64').toString('utf8');
  if (options.parse) {
    const type = LEADING_TYPE.exec(json)?.[1];
    if (type && !options.parse(type)) return { kind: 'event', event: { type }, json, parsed: false };
  }
  const parsedEvent = safeParseJson(json);
  if (!parsedEvent.ok || !isJsonObject(parsedEvent.value)) {
    const reason = parsedEvent.ok ? 'not a JSON object' : `not JSON (${parsedEvent.error.message})`;
    throw new BedrockChunkError(
      'INVALID_CHUNK_EVENT',
      `Bedrock chunk bytes are ${reason}: ${previewText(json)}`,
    );
  }
  const event = parsedEvent.value;
  if (typeof event['type'] !== 'string') return { kind: 'keep-alive', json };
  const invocationMetrics = readInvocationMetrics(event[INVOCATION_METRICS_KEY]);
  return invocationMetrics === undefined
    ? { kind: 'event', event: event as StreamEvent, json }
    : { kind: 'event', event: event as StreamEvent, json, invocationMetrics };
}

/** The `bytes` of a chunk payload written some other way than Bedrock's own, read as JSON. */
function parsedChunkBase64(body: Uint8Array): string {
  const payload = textDecoder.decode(body);
  const parsedPayload = safeParseJson(payload);
  if (
    !parsedPayload.ok ||
    !isJsonObject(parsedPayload.value) ||
    typeof parsedPayload.value['bytes'] !== 'string'
  ) {
    throw new BedrockChunkError(
      'INVALID_CHUNK_PAYLOAD',
      `Bedrock chunk payload is not {"bytes":"<base64>"}: ${previewText(payload)}`,
    );
  }
  return parsedPayload.value['bytes'];
}

function readInvocationMetrics(value: unknown): InvocationMetrics | undefined {
  if (!isJsonObject(value)) return undefined;
  const { inputTokenCount, outputTokenCount, invocationLatency, firstByteLatency } = value;
  if (
    typeof inputTokenCount !== 'number' ||
    typeof outputTokenCount !== 'number' ||
    typeof invocationLatency !== 'number' ||
    typeof firstByteLatency !== 'number'
  ) {
    return undefined;
  }
  const metrics: InvocationMetrics = {
    inputTokenCount,
    outputTokenCount,
    invocationLatency,
    firstByteLatency,
  };
  const { cacheReadInputTokenCount, cacheWriteInputTokenCount } = value;
  if (typeof cacheReadInputTokenCount === 'number')
    metrics.cacheReadInputTokenCount = cacheReadInputTokenCount;
  if (typeof cacheWriteInputTokenCount === 'number')
    metrics.cacheWriteInputTokenCount = cacheWriteInputTokenCount;
  return metrics;
}

function decodeException(exceptionType: string, body: Uint8Array): BedrockFrame {
  const text = textDecoder.decode(body);
  const parsed = safeParseJson(text);
  const fields = parsed.ok && isJsonObject(parsed.value) ? parsed.value : {};
  const message = fields['message'] ?? fields['Message'];
  const frame: BedrockFrame & { kind: 'exception' } = {
    kind: 'exception',
    exceptionType,
    message: typeof message === 'string' ? message : text,
  };
  if (typeof fields['originalStatusCode'] === 'number')
    frame.originalStatusCode = fields['originalStatusCode'];
  if (typeof fields['originalMessage'] === 'string') frame.originalMessage = fields['originalMessage'];
  return frame;
}
