/**
 * The error event of an Anthropic SSE stream, sent when a stream fails after
 * its first byte: `event: error` with
 * `{"type":"error","error":{"type":"…","message":"…"}}`.
 */

import type { ErrorEvent } from '../anthropic-events.js';
import { GatewayError } from './gateway-error.js';
import { type ErrorPlatform, statusForAnthropicErrorType } from './types.js';

/**
 * The stream error event for an error.
 *
 * @example
 * streamErrorEvent(GatewayError.fromBedrock({ name: 'ThrottlingException', message: 'Slow down' }));
 * // { type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } }
 */
export function streamErrorEvent(error: GatewayError): ErrorEvent {
  return { type: 'error', error: { type: error.type, message: error.message } };
}

/**
 * The stream error event as SSE text, ready to write to the client.
 *
 * @example
 * renderStreamError(error); // 'event: error\ndata: {"type":"error","error":{…}}\n\n'
 */
export function renderStreamError(error: GatewayError): string {
  return `event: error\ndata: ${JSON.stringify(streamErrorEvent(error))}\n\n`;
}

/**
 * A stream error event an upstream sent, as a GatewayError; its status is
 * the one the Anthropic API uses for its type, since a stream's HTTP status
 * was 200.
 *
 * @example
 * errorFromStreamErrorEvent({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }).status; // 529
 */
export function errorFromStreamErrorEvent(
  event: ErrorEvent,
  platform: ErrorPlatform = 'anthropic',
): GatewayError {
  return GatewayError.fromAnthropic({
    status: statusForAnthropicErrorType(event.error.type),
    type: event.error.type,
    message: event.error.message,
    platform,
  });
}
