import type { StreamChunk } from '../engine/upstream-stream.js';
import type { MessagesCall } from '../platforms/types.js';
import type { MessageAccumulator } from '../streaming/message-accumulator.js';
import type { Message } from '../wire/anthropic-events.js';
import { encodeBedrockException } from '../wire/bedrock-chunk.js';
import { renderAnthropicError } from '../wire/errors/anthropic.js';
import { renderBedrockError, renderBedrockStreamException } from '../wire/errors/bedrock.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { renderVertexError } from '../wire/errors/google.js';
import { renderStreamError } from '../wire/errors/stream-error.js';
import type { RenderedError } from '../wire/errors/types.js';
import { gatewayAddition, upstreamAnswerOf } from '../wire/errors/upstream-answer.js';
import { encodeEventStreamMessage } from '../wire/eventstream.js';

/** The three client dialects the gateway speaks. */
export type Dialect = 'anthropic' | 'bedrock' | 'vertex';

/** A client request read by an ingress: what to call, and how the client asked. */
export interface IngressCall {
  dialect: Dialect;
  operation: 'messages' | 'count_tokens';
  /** The model as the client named it (body, Bedrock path, or Vertex path). */
  requestedModel: string;
  call: MessagesCall;
  /** The request body as received, for the activity log. */
  rawBody: Buffer;
  /** Session key for stickiness: `x-claude-code-session-id`, else `metadata.user_id`. */
  session?: string;
  /** Where the client itself pointed (a Bedrock scope, a Vertex location), used when no route matches. */
  hint?: string;
  /** For a client API whose answers are not Messages-shaped (Bedrock Converse): how to write them. */
  answer?: AnswerTranslation;
}

/**
 * How the answers of a client API built on top of a dialect are written (its
 * errors before the first byte are the dialect's): the whole answer and the
 * stream re-encoded from the Messages answer and events, never forwarded.
 */
export interface AnswerTranslation {
  /** The operation the activity log names (`converse`). */
  operation: string;
  /** Key-value pairs the client asked to be kept in the activity log. */
  requestMetadata?: Record<string, string>;
  /** The whole answer's body, from the Messages answer. */
  whole(message: Message, latencyMs: number): string;
  /** An encoder for one streamed answer; the accumulator has taken each chunk's events before it is encoded. */
  streamEncoder(
    accumulator: MessageAccumulator,
    startedAt: number,
  ): { encode(chunk: StreamChunk): Uint8Array };
  /** The in-stream error that ends a stream after its first byte. */
  streamError(error: GatewayError): Uint8Array;
}

/** The gateway's own refusals of the caller's credential: no key, a wrong, expired or replaced key or token, an ended sign-in, or no keys beyond loopback. */
const KEY_REFUSALS: ReadonlySet<string> = new Set([
  'MISSING_API_KEY',
  'INVALID_API_KEY',
  'EXPIRED_API_KEY',
  'ROTATED_API_KEY',
  'OPEN_BEYOND_LOOPBACK',
  'SIGN_IN_EXPIRED',
  'SIGN_IN_INVALID',
  'SIGN_IN_FOREIGN_ISSUER',
  'SIGN_IN_ENDED',
  'SERVICE_TOKEN_EXPIRED',
  'SERVICE_TOKEN_REVOKED',
  'USER_DISABLED',
]);

/**
 * An error answered before the first byte, in the client's dialect.
 *
 * The gateway's key refusals are made final for the clients of each dialect:
 * in Bedrock and Vertex modes Claude Code takes a 401 or 403 for expired cloud
 * credentials and retries for minutes, except a 401 with `x-should-retry:
 * false` (Bedrock mode, whose SDK reads that header) and a 403 (Vertex mode).
 * The Anthropic dialect's 401 already says `x-should-retry: false`.
 */
export function renderDialectError(dialect: Dialect, error: GatewayError, requestId: string): RenderedError {
  const rendered = renderWithoutRetryAdvice(dialect, error, requestId);
  // The gateway's own final refusals (a model the key may not use, a spent budget, a geography
  // conflict…) say so, so clients do not retry them as if a cloud credential had expired.
  const final =
    error.code !== undefined && !error.retryable && rendered.status >= 400 && rendered.status < 500;
  if (!final) return rendered;
  const headers = { ...rendered.headers, 'x-should-retry': 'false' };
  // Claude Code's Bedrock mode retries any 403 for minutes (it refreshes AWS credentials), header or not:
  // the same exception (x-amzn-errortype) with status 400, which no client retries, ends its run at once.
  if (dialect === 'bedrock' && rendered.status === 403) return { ...rendered, status: 400, headers };
  return { ...rendered, headers };
}

function renderWithoutRetryAdvice(dialect: Dialect, error: GatewayError, requestId: string): RenderedError {
  const keyRefusal = error.code !== undefined && KEY_REFUSALS.has(error.code);
  if (dialect === 'bedrock') {
    const rendered = renderBedrockError(error, { requestId });
    return {
      ...rendered,
      ...(keyRefusal ? { status: 401 } : {}),
      headers: {
        ...rendered.headers,
        'x-amzn-requestid': requestId,
        ...(keyRefusal ? { 'x-should-retry': 'false' } : {}),
      },
    };
  }
  if (dialect === 'vertex') {
    if (!keyRefusal) return renderVertexError(error, { requestId });
    const refused = renderVertexError(
      new GatewayError({
        status: 403,
        type: 'permission_error',
        message: error.message,
        platform: 'gateway',
        ...(error.code ? { code: error.code } : {}),
        retryable: false,
      }),
      { requestId },
    );
    return { ...refused, headers: { ...refused.headers, 'x-should-retry': 'false' } };
  }
  return renderAnthropicError(error, { requestId });
}

/**
 * The platform's own error answer, unmodified, when the client speaks that
 * platform's dialect (Anthropic client and the Anthropic API, Bedrock client
 * and Bedrock, Vertex client and Vertex): clients match on its wording, so it
 * is not rendered again. What the gateway added to the message (a hint, a
 * note on an unknown model) comes back separately, for a header.
 */
export function sameDialectUpstreamError(
  dialect: Dialect,
  error: GatewayError,
): { rendered: RenderedError; note?: string } | undefined {
  const answer = upstreamAnswerOf(error);
  if (!answer || answer.dialect !== dialect || error.platform !== dialect) return undefined;
  const note = gatewayAddition(error.message, answer.message);
  return {
    rendered: { status: answer.status, headers: { ...answer.headers }, body: answer.body },
    ...(note ? { note } : {}),
  };
}

/** An error after the first byte: an SSE `error` event, or an event-stream exception frame. */
export function encodeDialectStreamError(dialect: Dialect, error: GatewayError): Uint8Array | string {
  if (dialect === 'bedrock') {
    const { exceptionType } = renderBedrockStreamException(error);
    return encodeEventStreamMessage(encodeBedrockException(exceptionType, error.message));
  }
  return renderStreamError(error);
}

/** The session a request belongs to, for stickiness. */
export function sessionOf(header: string | undefined, body: Record<string, unknown>): string | undefined {
  if (header) return header;
  const metadata = body['metadata'];
  if (metadata && typeof metadata === 'object') {
    const user = (metadata as Record<string, unknown>)['user_id'];
    if (typeof user === 'string' && user) return user;
  }
  return undefined;
}

/** `{ session }` for an ingress call when the request names one. */
export function sessionField(
  header: string | undefined,
  body: Record<string, unknown>,
): { session?: string } {
  const session = sessionOf(header, body);
  return session ? { session } : {};
}
