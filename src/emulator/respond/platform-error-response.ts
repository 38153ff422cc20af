import type { Platform } from '../../catalog/types.js';
import { renderAnthropicError } from '../../wire/errors/anthropic.js';
import { renderBedrockError } from '../../wire/errors/bedrock.js';
import type { GatewayError } from '../../wire/errors/gateway-error.js';
import { renderVertexError } from '../../wire/errors/google.js';

/** An error answered the way the emulated platform answers it. */
export function platformErrorResponse(platform: Platform, error: GatewayError): Response {
  const rendered =
    platform === 'bedrock'
      ? renderBedrockError(error)
      : platform === 'vertex'
        ? renderVertexError(error)
        : renderAnthropicError(error);
  return new Response(rendered.body, { status: rendered.status, headers: rendered.headers });
}
