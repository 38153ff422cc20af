import { closestModelName } from '../catalog/closest-name.js';
import type { ResolvedModel } from '../catalog/resolve.js';
import { GatewayError } from '../wire/errors/gateway-error.js';

/** Bedrock's "model identifier is invalid" (400), Vertex's "Publisher Model … was not found" and the Anthropic API's "model: …" (404). */
function saysNoSuchModel(error: GatewayError): boolean {
  if (error.status === 404) return /model/i.test(error.message);
  return (
    error.status === 400 &&
    /model identifier is invalid|invalid model|model\b.*\bnot (found|exist|supported)/i.test(error.message)
  );
}

/**
 * A platform's "no such model" answer for a name the catalog does not know
 * either, with what the catalog can add: that the name was sent as given, the
 * name it was probably meant to be, and where the known names are listed.
 * The platform's own words stay first. Any other error comes back unchanged.
 */
export function explainUnknownModel(error: GatewayError, resolved: ResolvedModel): GatewayError {
  if (!saysNoSuchModel(error)) return error;
  if (resolved.model) return error;
  const requestedModel = resolved.requested;
  const near = closestModelName(requestedModel);
  const note =
    `"${requestedModel}" is not in claude-gateway's model catalog, so it was sent as given` +
    (near ? `; did you mean "${near}"?` : '; `claude-gateway models` lists the known names');
  return new GatewayError({
    message: `${error.message} (${note})`,
    status: error.status,
    type: error.type,
    ...(error.code ? { code: error.code } : {}),
    ...(error.platform ? { platform: error.platform } : {}),
    ...(error.upstreamCode ? { upstreamCode: error.upstreamCode } : {}),
    retryable: error.retryable,
    ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    ...(error.requestId ? { requestId: error.requestId } : {}),
    cause: error,
  });
}
