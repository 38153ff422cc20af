import type { ResolvedModel } from '../catalog/resolve.js';
import type { StreamChunk } from '../engine/upstream-stream.js';
import type { MessagesCall } from '../platforms/types.js';
import type { MessageAccumulator } from '../streaming/message-accumulator.js';
import type { Message } from '../wire/anthropic-events.js';
import type { GatewayError } from '../wire/errors/gateway-error.js';

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
  /** The requested model resolved, when the ingress needed it (for the hint): the request resolves it only once. */
  resolved?: ResolvedModel;
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
