import { StoreError } from '../store/store-error.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { anthropicErrorTypeForStatus } from '../wire/errors/types.js';
import type { AdminStore } from './admin-store.js';
import type { GatewayContext } from './context.js';
import { bodyError, type Exchange } from './exchange.js';

/* What every admin route answers with: JSON bodies, Anthropic-shaped errors, stale-read headers. */

export function json(
  exchange: Exchange,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  exchange.send(status, { 'content-type': 'application/json', ...headers }, JSON.stringify(body));
}

export function adminError(exchange: Exchange, status: number, message: string, code?: string): void {
  json(exchange, status, {
    type: 'error',
    error: { type: anthropicErrorTypeForStatus(status), message, ...(code ? { code } : {}) },
  });
}

/** The store the admin API reads and writes: guarded for outages when the gateway set one up. */
export function adminStore(
  context: GatewayContext,
): AdminStore & { staleSince?(answer: unknown): number | undefined } {
  return context.adminStore ?? context.store;
}

/** A 200 with the read's answer; one read from the last good cache says so and since when. */
export function answer(
  context: GatewayContext,
  exchange: Exchange,
  body: unknown,
  ...reads: unknown[]
): void {
  const since = reads.map((read) => adminStore(context).staleSince?.(read)).find((at) => at !== undefined);
  json(
    exchange,
    200,
    body,
    since === undefined
      ? {}
      : {
          'x-claude-gateway-stale-since': new Date(since).toISOString(),
          'x-claude-gateway-note': `the store does not answer: this is its last answer, read at ${new Date(since).toISOString()}`,
        },
  );
}

const MAX_ADMIN_BODY = 1024 * 1024;

/** A JSON object body; otherwise the error already answered, and undefined. */
export async function readObject(
  exchange: Exchange,
  example: string,
  options: { optional?: boolean } = {},
): Promise<Record<string, unknown> | undefined> {
  const body = await exchange.readBody(MAX_ADMIN_BODY);
  if (!body.ok) {
    if (body.reason === 'aborted') return undefined;
    const error = bodyError(body, MAX_ADMIN_BODY);
    adminError(exchange, error.status, error.message);
    return undefined;
  }
  const text = body.bytes.toString('utf8');
  if (options.optional && text.trim() === '') return {};
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    adminError(exchange, 400, `The body is not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    adminError(exchange, 400, `The body must be a JSON object such as ${example}.`);
    return undefined;
  }
  return input as Record<string, unknown>;
}

/** A store error as the admin API answers it: a name in use is a conflict, other input mistakes 400. */
export function storeErrorStatus(error: StoreError): number {
  if (error.code === 'NOT_FOUND') return 404;
  return error.code === 'NAME_TAKEN' ? 409 : 400;
}

/** A thrown StoreError or GatewayError answered; anything else is rethrown. */
export function answerError(exchange: Exchange, error: unknown): void {
  if (error instanceof StoreError) adminError(exchange, storeErrorStatus(error), error.message);
  else if (error instanceof GatewayError) adminError(exchange, error.status, error.message, error.code);
  else throw error;
}
