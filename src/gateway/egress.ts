import type { TokenUsage } from '../catalog/pricing.js';
import type { Platform } from '../catalog/types.js';
import type { StreamChunk } from '../engine/upstream-stream.js';
import type { StreamFraming } from '../platforms/descriptor.js';
import { descriptorOf } from '../platforms/descriptors.js';
import type { MessageAccumulator } from '../streaming/message-accumulator.js';
import { encodeBedrockChunk } from '../wire/bedrock-chunk.js';
import { encodeEventStreamMessage } from '../wire/eventstream.js';
import { type Dialect, encodeDialectStreamError } from './dialect.js';

/** The stream framing each dialect's clients read. */
function framingOf(dialect: Dialect): StreamFraming {
  return dialect === 'bedrock' ? 'aws-eventstream' : 'sse';
}

/** How the platform frames its streams (its descriptor says). */
function upstreamFraming(platform: Platform): StreamFraming {
  return descriptorOf(platform).streamFraming;
}

/**
 * Whether the gateway must make up pings: an SSE client served from an
 * event-stream upstream (Bedrock sends no pings; Claude Code gives up on a
 * stream after 300 s of silence, e.g. while a model thinks without showing it).
 */
export function needsPings(dialect: Dialect, platform: Platform): boolean {
  return framingOf(dialect) === 'sse' && upstreamFraming(platform) === 'aws-eventstream';
}

/** Content headers of a streamed answer in a dialect. */
export function streamContentHeaders(dialect: Dialect): Record<string, string> {
  if (dialect === 'bedrock') {
    return {
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-bedrock-content-type': 'application/json',
    };
  }
  return {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    // No `connection: keep-alive`: set by hand it overrides a client's `Connection: close`, and an
    // HTTP/1.0 client (nginx's default proxy_http_version) never sees the stream end. Node keeps
    // an HTTP/1.1 connection alive by itself.
  };
}

/** Bedrock's usage headers on a whole (non-streamed) answer. */
export function bedrockWholeAnswerHeaders(
  usage: TokenUsage | undefined,
  latencyMs: number,
): Record<string, string> {
  return {
    'x-amzn-bedrock-invocation-latency': String(latencyMs),
    'x-amzn-bedrock-input-token-count': String(usage?.input_tokens ?? 0),
    'x-amzn-bedrock-output-token-count': String(usage?.output_tokens ?? 0),
    'x-amzn-bedrock-cache-read-input-token-count': String(usage?.cache_read_input_tokens ?? 0),
    'x-amzn-bedrock-cache-write-input-token-count': String(usage?.cache_creation_input_tokens ?? 0),
  };
}

/**
 * Turns upstream chunks into the client's framing. When the framing is the
 * same the bytes go out untouched (the decoded items only feed the tap);
 * otherwise each event is written again from its JSON, once: SSE lines, or a
 * Bedrock chunk frame (with invocation metrics on message_stop). Errors the
 * engine adds (a cut stream) become the dialect's stream error.
 */
export class StreamEncoder {
  private readonly passthrough: boolean;
  private firstEventAt: number | undefined;
  /** Passthrough bytes of an event not yet complete: sent with the rest of it, or dropped if the stream is cut. */
  private partial: Buffer | undefined;

  constructor(
    private readonly dialect: Dialect,
    platform: Platform,
    private readonly accumulator: MessageAccumulator,
    private readonly startedAt: number,
  ) {
    this.passthrough = framingOf(dialect) === upstreamFraming(platform);
  }

  encode(chunk: StreamChunk): Uint8Array | string {
    if (this.passthrough && chunk.bytes) return this.wholeEvents(chunk.bytes);
    const parts: (Uint8Array | string)[] = [];
    for (const item of chunk.items) {
      if (item.kind === 'error') {
        parts.push(encodeDialectStreamError(this.dialect, item.error));
        continue;
      }
      this.firstEventAt ??= Date.now();
      if (this.dialect !== 'bedrock') {
        parts.push(`event: ${item.event.type}\ndata: ${item.json}\n\n`);
        continue;
      }
      const usage = this.accumulator.usage;
      const metrics =
        item.event.type === 'message_stop'
          ? {
              invocationMetrics: {
                inputTokenCount: usage?.input_tokens ?? 0,
                outputTokenCount: usage?.output_tokens ?? 0,
                invocationLatency: Date.now() - this.startedAt,
                firstByteLatency: (this.firstEventAt ?? Date.now()) - this.startedAt,
                ...(usage?.cache_read_input_tokens
                  ? { cacheReadInputTokenCount: usage.cache_read_input_tokens }
                  : {}),
                ...(usage?.cache_creation_input_tokens
                  ? { cacheWriteInputTokenCount: usage.cache_creation_input_tokens }
                  : {}),
              },
            }
          : {};
      parts.push(encodeEventStreamMessage(encodeBedrockChunk(item.json, metrics)));
    }
    if (parts.length === 1) return parts[0] as Uint8Array | string;
    return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)));
  }

  /**
   * The passthrough bytes that end on an event boundary; a trailing partial
   * event waits for its end, so an error written after a cut never lands
   * in the middle of an event (which would make both unreadable).
   */
  private wholeEvents(bytes: Uint8Array): Uint8Array {
    const data = this.partial ? Buffer.concat([this.partial, bytes]) : bytes;
    const end = this.dialect === 'bedrock' ? endOfWholeFrames(data) : endOfWholeSseEvents(data);
    this.partial = end < data.byteLength ? Buffer.from(data.subarray(end)) : undefined;
    return end === data.byteLength ? data : data.subarray(0, end);
  }
}

/** Where the last complete SSE event ends (after its blank line), or 0. */
function endOfWholeSseEvents(data: Uint8Array): number {
  for (let index = data.byteLength - 1; index > 0; index--) {
    if (data[index] !== 0x0a && data[index] !== 0x0d) continue;
    const previous = data[index - 1];
    if (previous === 0x0a || (previous === 0x0d && data[index] === 0x0d)) return index + 1;
    if (data[index] === 0x0a && previous === 0x0d && index >= 2 && data[index - 2] === 0x0a) return index + 1;
  }
  return 0;
}

/** Where the last complete event-stream frame ends (frames start with their u32 total length), or 0. */
function endOfWholeFrames(data: Uint8Array): number {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = 0;
  while (data.byteLength - offset >= 4) {
    const length = view.getUint32(offset);
    // Not a frame: the upstream decoder reports it; holding it back would only grow.
    if (length < 16) return data.byteLength;
    if (offset + length > data.byteLength) break;
    offset += length;
  }
  return offset;
}
