import { renderAnthropicError } from '../../wire/errors/anthropic.js';
import { renderStreamError } from '../../wire/errors/stream-error.js';
import type { DialectEgress } from './types.js';

/** What the two SSE dialects (Anthropic and Vertex) write alike. */
export const sseEgress = {
  framing: 'sse',
  streamHeaders: {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    // No `connection: keep-alive`: set by hand it overrides a client's `Connection: close`, and an
    // HTTP/1.0 client (nginx's default proxy_http_version) never sees the stream end. Node keeps
    // an HTTP/1.1 connection alive by itself.
  },
  idHeaders: (requestId: string) => ({ 'x-claude-gateway-request-id': requestId, 'request-id': requestId }),
  finalRefusal: (rendered) => ({ ...rendered, headers: { ...rendered.headers, 'x-should-retry': 'false' } }),
  streamError: renderStreamError,
  encodeEvent: (type: string, json: string) => `event: ${type}\ndata: ${json}\n\n`,
  wholeAnswerHeaders: () => ({}),
  countTokensBody: (inputTokens: number) => JSON.stringify({ input_tokens: inputTokens }),
} satisfies Omit<DialectEgress, 'dialect' | 'renderError'>;

/** The Anthropic Messages API's clients: the Anthropic SDKs, Claude Code in its default mode. */
export const anthropicEgress: DialectEgress = {
  ...sseEgress,
  dialect: 'anthropic',
  // Its 401 already says `x-should-retry: false`.
  renderError: (error, requestId) => renderAnthropicError(error, { requestId }),
};
