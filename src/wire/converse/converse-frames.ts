/**
 * ConverseStream on the wire: each event an AWS event-stream frame whose
 * `:event-type` is the union member and whose payload is its JSON; a failure
 * after the stream started an `exception` frame of one of the union's five
 * exceptions.
 */

import type { Message } from '@smithy/eventstream-codec';
import { bedrockExceptionTypeFor } from '../errors/bedrock.js';
import type { GatewayError } from '../errors/gateway-error.js';
import { encodeEventStreamMessage } from '../eventstream.js';
import type { ConverseEvent } from './converse-stream.js';

const encoder = new TextEncoder();

const stringHeader = (value: string) => ({ type: 'string' as const, value });

/** The exception members of ConverseStream's output union. */
export type ConverseStreamExceptionType =
  | 'internalServerException'
  | 'modelStreamErrorException'
  | 'validationException'
  | 'throttlingException'
  | 'serviceUnavailableException';

/** One Converse event as an event-stream frame. */
export function converseEventFrame(event: ConverseEvent): Message {
  return {
    headers: {
      ':event-type': stringHeader(event.name),
      ':content-type': stringHeader('application/json'),
      ':message-type': stringHeader('event'),
    },
    body: encoder.encode(JSON.stringify(event.payload)),
  };
}

/** Events as the bytes of their frames, back to back. */
export function encodeConverseEvents(events: readonly ConverseEvent[]): Uint8Array {
  const frames = events.map((event) => encodeEventStreamMessage(converseEventFrame(event)));
  if (frames.length === 1) return frames[0] as Uint8Array;
  return Buffer.concat(frames);
}

/**
 * The Converse stream exception an error is sent as. InvokeModel's stream
 * also has `modelTimeoutException`; ConverseStream does not, so a timeout is
 * the model's stream failing.
 */
export function converseExceptionTypeFor(error: GatewayError): ConverseStreamExceptionType {
  const type = bedrockExceptionTypeFor(error);
  return type === 'modelTimeoutException' ? 'modelStreamErrorException' : type;
}

/**
 * The exception frame that ends a Converse stream: the error's message as
 * the platform said it; a model stream error also carries the status the
 * model failed with.
 */
export function encodeConverseException(error: GatewayError): Uint8Array {
  const exceptionType = converseExceptionTypeFor(error);
  const payload: Record<string, unknown> = { message: error.message };
  if (exceptionType === 'modelStreamErrorException' && error.status >= 100 && error.status <= 599) {
    payload['originalStatusCode'] = error.status;
    payload['originalMessage'] = error.message;
  }
  return encodeEventStreamMessage({
    headers: {
      ':exception-type': stringHeader(exceptionType),
      ':content-type': stringHeader('application/json'),
      ':message-type': stringHeader('exception'),
    },
    body: encoder.encode(JSON.stringify(payload)),
  });
}
