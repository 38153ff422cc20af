import type { StreamEvent } from '../../wire/anthropic-events.js';
import {
  type BedrockFrame,
  decodeBedrockFrame,
  INVOCATION_METRICS_KEY,
  type InvocationMetrics,
} from '../../wire/bedrock-chunk.js';
import { errorFromBedrockException } from '../../wire/errors/bedrock.js';
import { GatewayError } from '../../wire/errors/gateway-error.js';
import { EventStreamDecoder } from '../../wire/eventstream.js';
import type { StreamDecoder, StreamDecoderOptions, UpstreamMetrics, UpstreamStreamItem } from '../types.js';
import { metricsOfInvocation } from './bedrock-metrics.js';

/**
 * Decodes a Bedrock `invoke-with-response-stream` answer (AWS event-stream
 * frames), fed one network chunk at a time:
 * - `chunk` events become `{ kind: 'event' }` items. The
 *   `amazon-bedrock-invocationMetrics` key Bedrock adds to the last event is
 *   taken out of the event and its JSON (an Anthropic-dialect client must not
 *   see it) and exposed by the {@link BedrockStreamDecoder.metrics} getter;
 *   a Bedrock-dialect encoder adds it back.
 * - exception frames (all six of the service model, serviceUnavailableException
 *   included) and error frames become `{ kind: 'error' }` items that keep
 *   AWS's message.
 * - keep-alive chunks and frames of unknown types are skipped.
 * - corrupted bytes or a frame cut off at the end become an
 *   UPSTREAM_STREAM_INTERRUPTED error item; after corrupted bytes the rest of
 *   the input is ignored. A stream that ends between frames before
 *   `message_stop` is judged where every platform's is, in UpstreamStream.
 *
 * @example
 * const decoder = new BedrockStreamDecoder();
 * for await (const chunk of response.body) for (const item of decoder.push(chunk)) handle(item);
 * for (const item of decoder.end()) handle(item);
 * decoder.metrics; // { inputTokens: 12, outputTokens: 40, invocationLatencyMs: 900, firstByteLatencyMs: 300 }
 */
export class BedrockStreamDecoder implements StreamDecoder {
  /** Views, not copies: each frame's payload is turned into text inside `push`. */
  readonly #frames = new EventStreamDecoder({ views: true });
  readonly #options: StreamDecoderOptions;

  /** `options.parse` limits which events are parsed (the others keep only their type and JSON). */
  constructor(options: StreamDecoderOptions = {}) {
    this.#options = options;
  }
  #metrics: UpstreamMetrics | undefined;
  #broken = false;

  /** The invocation metrics of the stream's last chunk, once it has passed; undefined before. */
  get metrics(): UpstreamMetrics | undefined {
    return this.#metrics;
  }

  push(chunk: Uint8Array): UpstreamStreamItem[] {
    if (this.#broken) return [];
    const items: UpstreamStreamItem[] = [];
    try {
      this.#frames.push(chunk, (message) => {
        const item = this.#itemOf(decodeBedrockFrame(message, this.#options));
        if (item) items.push(item);
      });
    } catch (error) {
      this.#broken = true;
      items.push({ kind: 'error', error: interrupted(error) });
    }
    return items;
  }

  end(): UpstreamStreamItem[] {
    if (this.#broken) return [];
    try {
      this.#frames.end();
    } catch (error) {
      this.#broken = true;
      return [{ kind: 'error', error: interrupted(error) }];
    }
    return [];
  }

  #itemOf(frame: BedrockFrame): UpstreamStreamItem | undefined {
    switch (frame.kind) {
      case 'event':
        if (frame.parsed === false)
          return { kind: 'event', event: frame.event, json: frame.json, parsed: false };
        return this.#withoutMetrics(frame.event, frame.json, frame.invocationMetrics);
      case 'exception': {
        const original =
          frame.originalMessage && frame.originalMessage !== frame.message
            ? ` (the model answered${frame.originalStatusCode ? ` ${frame.originalStatusCode}` : ''}: ${frame.originalMessage})`
            : '';
        return {
          kind: 'error',
          error: errorFromBedrockException(frame.exceptionType, `${frame.message}${original}`),
        };
      }
      case 'error':
        return {
          kind: 'error',
          error: GatewayError.fromBedrock({ name: frame.code, message: frame.message || undefined }),
        };
      case 'keep-alive':
      case 'unknown':
        return undefined;
    }
  }

  /** The event without Bedrock's metrics key; the metrics as the frame decoder already read them (once). */
  #withoutMetrics(
    event: StreamEvent,
    json: string,
    metrics: InvocationMetrics | undefined,
  ): UpstreamStreamItem {
    if (!Object.hasOwn(event, INVOCATION_METRICS_KEY)) return { kind: 'event', event, json };
    const { [INVOCATION_METRICS_KEY]: _metrics, ...rest } = event as Record<string, unknown>;
    if (metrics) this.#metrics = metricsOfInvocation(metrics);
    const stripped = rest as StreamEvent;
    return { kind: 'event', event: stripped, json: JSON.stringify(stripped) };
  }
}

function interrupted(error: unknown): GatewayError {
  return GatewayError.fromCode(
    'UPSTREAM_STREAM_INTERRUPTED',
    { platform: 'Amazon Bedrock', reason: error instanceof Error ? error.message : String(error) },
    { platform: 'bedrock', cause: error },
  );
}
