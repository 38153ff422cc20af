import type { TokenUsage } from '../../catalog/pricing.js';
import type { StreamFraming } from '../../platforms/descriptor.js';
import type { InvocationMetrics } from '../../wire/bedrock-chunk.js';
import type { GatewayError } from '../../wire/errors/gateway-error.js';
import type { RenderedError } from '../../wire/errors/types.js';
import type { Dialect } from '../dialect.js';

/**
 * Everything the gateway writes in one client dialect: its errors before and
 * after the first byte, its headers, its stream framing and the shape of its
 * count-tokens answer. One object per dialect, so the request path asks it
 * instead of branching on the dialect's name.
 */
export interface DialectEgress {
  readonly dialect: Dialect;
  /** How its clients read a stream. */
  readonly framing: StreamFraming;
  /** Content headers of a streamed answer. */
  readonly streamHeaders: Readonly<Record<string, string>>;
  /** The gateway's request id in the dialect's own header. */
  idHeaders(requestId: string): Record<string, string>;
  /**
   * An error answered before the first byte. `keyRefusal`: the gateway refused
   * the caller's credential, which each dialect says so that its clients do
   * not take it for an expired cloud credential.
   */
  renderError(error: GatewayError, requestId: string, keyRefusal: boolean): RenderedError;
  /** A final refusal of the gateway's own (no retry will help), as the dialect's clients stop on it. */
  finalRefusal(rendered: RenderedError): RenderedError;
  /** An error after the first byte: an SSE `error` event, or an event-stream exception frame. */
  streamError(error: GatewayError): Uint8Array | string;
  /** One event written again in the dialect's framing; `metrics` is read only for Bedrock's message_stop. */
  encodeEvent(type: string, json: string, metrics: () => InvocationMetrics): Uint8Array | string;
  /** Headers of a whole (non-streamed) answer beyond its content type. */
  wholeAnswerHeaders(usage: TokenUsage | undefined, latencyMs: number): Record<string, string>;
  /** A count-tokens answer's body. */
  countTokensBody(inputTokens: number): string;
}
