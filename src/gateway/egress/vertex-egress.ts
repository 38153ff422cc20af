import { GatewayError } from '../../wire/errors/gateway-error.js';
import { renderVertexError } from '../../wire/errors/google.js';
import { sseEgress } from './sse-egress.js';
import type { DialectEgress } from './types.js';

/**
 * Vertex rawPredict's clients (the Vertex SDK, Claude Code's Vertex mode): the
 * Anthropic stream with google.rpc.Status errors. A key refusal is a 403,
 * which Claude Code's Vertex mode does not retry (it retries a 401 for
 * minutes, taking it for an expired Google credential).
 */
export const vertexEgress: DialectEgress = {
  ...sseEgress,
  dialect: 'vertex',
  renderError(error, requestId, keyRefusal) {
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
  },
};
