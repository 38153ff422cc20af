import type { Platform } from '../../catalog/types.js';
import { descriptorOf } from '../../platforms/descriptors.js';
import type { GatewayError } from '../../wire/errors/gateway-error.js';
import type { RenderedError } from '../../wire/errors/types.js';
import { gatewayAddition, upstreamAnswerOf } from '../../wire/errors/upstream-answer.js';
import type { Dialect } from '../dialect.js';
import { bedrockEgress } from './bedrock-egress.js';
import { anthropicEgress } from './sse-egress.js';
import type { DialectEgress } from './types.js';
import { vertexEgress } from './vertex-egress.js';

export type { DialectEgress } from './types.js';

const EGRESS: Readonly<Record<Dialect, DialectEgress>> = {
  anthropic: anthropicEgress,
  bedrock: bedrockEgress,
  vertex: vertexEgress,
};

/** What the gateway writes in a dialect. */
export function egressOf(dialect: Dialect): DialectEgress {
  return EGRESS[dialect];
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
  const egress = egressOf(dialect);
  const keyRefusal = error.code !== undefined && KEY_REFUSALS.has(error.code);
  const rendered = egress.renderError(error, requestId, keyRefusal);
  // The gateway's own final refusals (a model the key may not use, a spent budget, a geography
  // conflict…) say so, so clients do not retry them as if a cloud credential had expired.
  const final =
    error.code !== undefined && !error.retryable && rendered.status >= 400 && rendered.status < 500;
  return final ? egress.finalRefusal(rendered) : rendered;
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

/** An error after the first byte, in the dialect's framing. */
export function encodeDialectStreamError(dialect: Dialect, error: GatewayError): Uint8Array | string {
  return egressOf(dialect).streamError(error);
}

/**
 * Whether the gateway must make up pings: an SSE client served from an
 * event-stream upstream (Bedrock sends no pings; Claude Code gives up on a
 * stream after 300 s of silence, e.g. while a model thinks without showing it).
 */
export function needsPings(dialect: Dialect, platform: Platform): boolean {
  return egressOf(dialect).framing === 'sse' && descriptorOf(platform).streamFraming === 'aws-eventstream';
}
