import type { Platform } from '../../catalog/types.js';
import type { StreamChunk } from '../../engine/upstream-stream.js';
import { descriptorOf } from '../../platforms/descriptors.js';
import type { MessageAccumulator } from '../../streaming/message-accumulator.js';
import type { InvocationMetrics } from '../../wire/bedrock-chunk.js';
import type { Dialect } from '../dialect.js';
import { type DialectEgress, egressOf } from './index.js';

/**
 * Turns upstream chunks into the client's framing. When the framing is the
 * same the bytes go out untouched (the decoded items only feed the tap);
 * otherwise each event is written again from its JSON, once: SSE lines, or a
 * Bedrock chunk frame (with invocation metrics on message_stop). Errors the
 * engine adds (a cut stream) become the dialect's stream error.
 */
export class StreamEncoder {
  private readonly passthrough: boolean;
  private readonly egress: DialectEgress;
  private firstEventAt: number | undefined;
  /** Passthrough bytes of an event not yet complete: sent with the rest of it, or dropped if the stream is cut. */
  private partial: Buffer | undefined;

  constructor(
    dialect: Dialect,
    platform: Platform,
    private readonly accumulator: MessageAccumulator,
    private readonly startedAt: number,
  ) {
    this.egress = egressOf(dialect);
    this.passthrough = this.egress.framing === descriptorOf(platform).streamFraming;
  }

  encode(chunk: StreamChunk): Uint8Array | string {
    if (this.passthrough && chunk.bytes) return this.wholeEvents(chunk.bytes);
    const parts: (Uint8Array | string)[] = [];
    for (const item of chunk.items) {
      if (item.kind === 'error') {
        parts.push(this.egress.streamError(item.error));
        continue;
      }
      this.firstEventAt ??= Date.now();
      parts.push(this.egress.encodeEvent(item.event.type, item.json, () => this.invocationMetrics()));
    }
    if (parts.length === 1) return parts[0] as Uint8Array | string;
    return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)));
  }

  /** Bedrock's summary on message_stop, from the usage the accumulator has seen. */
  private invocationMetrics(): InvocationMetrics {
    const usage = this.accumulator.usage;
    return {
      inputTokenCount: usage?.input_tokens ?? 0,
      outputTokenCount: usage?.output_tokens ?? 0,
      invocationLatency: Date.now() - this.startedAt,
      firstByteLatency: (this.firstEventAt ?? Date.now()) - this.startedAt,
      ...(usage?.cache_read_input_tokens ? { cacheReadInputTokenCount: usage.cache_read_input_tokens } : {}),
      ...(usage?.cache_creation_input_tokens
        ? { cacheWriteInputTokenCount: usage.cache_creation_input_tokens }
        : {}),
    };
  }

  /**
   * The passthrough bytes that end on an event boundary; a trailing partial
   * event waits for its end, so an error written after a cut never lands
   * in the middle of an event (which would make both unreadable).
   */
  private wholeEvents(bytes: Uint8Array): Uint8Array {
    const data = this.partial ? Buffer.concat([this.partial, bytes]) : bytes;
    const end =
      this.egress.framing === 'aws-eventstream' ? endOfWholeFrames(data) : endOfWholeSseEvents(data);
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
