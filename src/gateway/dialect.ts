import type { MessagesCall } from '../platforms/types.js';
import { encodeBedrockException } from '../wire/bedrock-chunk.js';
import { renderAnthropicError } from '../wire/errors/anthropic.js';
import { renderBedrockError, renderBedrockStreamException } from '../wire/errors/bedrock.js';
import type { GatewayError } from '../wire/errors/gateway-error.js';
import { renderVertexError } from '../wire/errors/google.js';
import { renderStreamError } from '../wire/errors/stream-error.js';
import type { RenderedError } from '../wire/errors/types.js';
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
}

/** An error answered before the first byte, in the client's dialect. */
export function renderDialectError(dialect: Dialect, error: GatewayError, requestId: string): RenderedError {
  if (dialect === 'bedrock') {
    const rendered = renderBedrockError(error, { requestId });
    return { ...rendered, headers: { ...rendered.headers, 'x-amzn-requestid': requestId } };
  }
  if (dialect === 'vertex') return renderVertexError(error, { requestId });
  return renderAnthropicError(error, { requestId });
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
