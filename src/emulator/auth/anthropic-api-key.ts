import { randomBytes } from 'node:crypto';
import { normalizeHeaders, type RequestHeaders } from './signed-request.js';

/** An Anthropic API key that checked out. */
export interface AnthropicApiKeySuccess {
  ok: true;
  apiKey: string;
}

/** A missing or unknown key, with the message the Anthropic API answers with. */
export interface AnthropicAuthFailure {
  ok: false;
  status: 401;
  errorType: 'authentication_error';
  message: string;
}

/**
 * Checks the key of an Anthropic API request: `x-api-key`, or `Authorization: Bearer` (what
 * `ANTHROPIC_AUTH_TOKEN` sends).
 *
 * @example
 * verifyAnthropicApiKey({ 'x-api-key': 'sk-ant-emulator' }, ['sk-ant-emulator']); // { ok: true, apiKey: 'sk-ant-emulator' }
 * verifyAnthropicApiKey({}, ['sk-ant-emulator']).ok; // false ('x-api-key header is required')
 */
export function verifyAnthropicApiKey(
  headers: RequestHeaders,
  acceptedKeys: Iterable<string>,
): AnthropicApiKeySuccess | AnthropicAuthFailure {
  const normalized = normalizeHeaders(headers);
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(normalized.get('authorization') ?? '')?.[1];
  const apiKey = normalized.get('x-api-key')?.trim() || bearer;
  if (!apiKey) return anthropicAuthFailure('x-api-key header is required');
  for (const accepted of acceptedKeys) {
    if (accepted === apiKey) return { ok: true, apiKey };
  }
  return anthropicAuthFailure(normalized.has('x-api-key') ? 'invalid x-api-key' : 'Invalid bearer token');
}

function anthropicAuthFailure(message: string): AnthropicAuthFailure {
  return { ok: false, status: 401, errorType: 'authentication_error', message };
}

/**
 * The failure as the Anthropic API sends it.
 *
 * @example
 * const response = anthropicAuthErrorResponse(failure);
 * await response.json(); // { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' }, request_id: 'req_…' }
 */
export function anthropicAuthErrorResponse(
  failure: AnthropicAuthFailure,
  requestId = `req_emulator${randomBytes(12).toString('hex')}`,
): Response {
  const body = {
    type: 'error',
    error: { type: failure.errorType, message: failure.message },
    request_id: requestId,
  };
  return new Response(JSON.stringify(body), {
    status: failure.status,
    headers: { 'content-type': 'application/json', 'request-id': requestId },
  });
}
