import type { GatewayError } from '../wire/errors/gateway-error.js';

/** Errors worth trying on the next target: transient ones, and a platform refusing this caller or model. */
export function shouldFailOver(error: GatewayError): boolean {
  if (error.retryable) return true;
  if (error.code === 'PLATFORM_CREDENTIALS_UNAVAILABLE') return true;
  return error.status === 401 || error.status === 403 || error.status === 404 || isModelUnavailable(error);
}

/**
 * A platform's way of saying it does not serve this model id (here): Bedrock's
 * 400 "The provided model identifier is invalid" or "on-demand throughput isn't
 * supported", Vertex's "Publisher model … not found", a 404 anywhere. It says
 * nothing about the other targets, so the request moves on.
 */
export function isModelUnavailable(error: GatewayError): boolean {
  if (error.status === 404) return true;
  if (error.status !== 400) return false;
  return /model identifier is invalid|on-demand throughput isn.t supported|publisher model .* not found|model .*(not found|does not exist|is not supported)/i.test(
    error.message,
  );
}
