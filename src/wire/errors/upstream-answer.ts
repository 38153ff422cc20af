/**
 * An upstream platform's HTTP error answer as it arrived: status, the headers
 * its clients read, and the body byte for byte. Kept as the `cause` of the
 * GatewayError parsed from it (hints and notes added later keep the chain), so
 * a client of the same dialect can be answered with exactly what the platform
 * said: clients (Claude Code's retry logic among them) match on its wording.
 */

import { type HeaderSource, readHeader } from './headers.js';

/** The error dialects an upstream answers in. */
export type AnswerDialect = 'anthropic' | 'bedrock' | 'vertex';

/** Headers of an error answer that belong to it (not to the connection or the gateway). */
const KEPT_HEADERS = [
  'content-type',
  'x-amzn-errortype',
  'retry-after',
  'retry-after-ms',
  'x-should-retry',
] as const;

export class UpstreamErrorAnswer {
  constructor(
    /** Whose error shape the body has. */
    readonly dialect: AnswerDialect,
    readonly status: number,
    readonly headers: Readonly<Record<string, string>>,
    readonly body: string,
    /** The message as parsed from the body, before any hint the gateway adds. */
    readonly message: string,
  ) {}
}

/**
 * The answer to keep with a parsed error, or undefined when there is no HTTP
 * answer to keep (an error event inside a stream has no headers).
 *
 * @example
 * upstreamErrorAnswer('anthropic', 529, response.headers, text, error.message);
 */
export function upstreamErrorAnswer(
  dialect: AnswerDialect,
  status: number,
  headers: HeaderSource | undefined,
  body: string,
  message: string,
): UpstreamErrorAnswer | undefined {
  if (headers === undefined || status < 400) return undefined;
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = readHeader(headers, name);
    if (value !== undefined) kept[name] = value;
  }
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (lower.startsWith('anthropic-ratelimit-') && value !== undefined) {
      kept[lower] = typeof value === 'string' ? value : value.join(', ');
    }
  }
  return new UpstreamErrorAnswer(dialect, status, kept, body, message);
}

/**
 * The upstream answer an error came from, found along its `cause` chain
 * (an error with a hint or a note added keeps the one it was made from).
 *
 * @example
 * upstreamAnswerOf(withErrorHint(parsed, 'Check the key.'))?.body; // the platform's body, unchanged
 */
export function upstreamAnswerOf(error: unknown): UpstreamErrorAnswer | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth += 1) {
    if (current instanceof UpstreamErrorAnswer) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * What the gateway added to the platform's message (a hint, a note), without
 * the platform's own words; undefined when it added nothing.
 *
 * @example
 * gatewayAddition('model: foo (not in the catalog)', 'model: foo'); // 'not in the catalog'
 */
export function gatewayAddition(message: string, upstreamMessage: string): string | undefined {
  if (message === upstreamMessage) return undefined;
  if (!message.startsWith(upstreamMessage)) return message;
  let rest = message
    .slice(upstreamMessage.length)
    .replace(/^[\s.]+/, '')
    .trim();
  if (/^\([^()]*\)$/.test(rest)) rest = rest.slice(1, -1);
  return rest || undefined;
}
