/**
 * Conformance with the official Anthropic TypeScript SDK: what
 * renderAnthropicError writes is what the SDK turns into its error classes,
 * and `x-should-retry` is obeyed.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { renderAnthropicError } from './anthropic.js';
import { GatewayError } from './gateway-error.js';
import type { KnownAnthropicErrorType } from './types.js';

const CLASSES: ReadonlyArray<readonly [KnownAnthropicErrorType, string]> = [
  ['invalid_request_error', 'BadRequestError'],
  ['authentication_error', 'AuthenticationError'],
  ['billing_error', 'PaymentRequiredError'],
  ['permission_error', 'PermissionDeniedError'],
  ['not_found_error', 'NotFoundError'],
  ['request_too_large', 'ContentTooLargeError'],
  ['rate_limit_error', 'RateLimitError'],
  ['api_error', 'InternalServerError'],
  ['timeout_error', 'GatewayTimeoutError'],
  ['overloaded_error', 'OverloadedError'],
];

describe.each(CLASSES)('the SDK reads %s', (type, className) => {
  it(`as ${className}, with the message, type and request id`, async () => {
    const error = new GatewayError({ type, message: `Original ${type} text.`, requestId: 'req_0123' });
    const rendered = renderAnthropicError(error);
    const response = new Response(rendered.body, { status: rendered.status, headers: rendered.headers });
    const body = (await response.json()) as object;
    const sdkError = APIError.generate(response.status, body, undefined, response.headers);
    expect(sdkError.constructor.name).toBe(className);
    expect(sdkError.name).toBe(className);
    expect(sdkError.status).toBe(rendered.status);
    expect(sdkError.apiMessage).toBe(`Original ${type} text.`);
    // @anthropic-ai/sdk 1.17 words the message itself, from the fields it read out of the body.
    expect(sdkError.message).toBe(
      `${rendered.status} Original ${type} text. (request_id: req_0123, type: ${type})`,
    );
    expect(sdkError.requestID).toBe('req_0123');
    expect(sdkError.type).toBe(type);
  });
});

describe('the SDK against a server answering renderAnthropicError', () => {
  async function serve(
    error: GatewayError,
  ): Promise<{ baseURL: string; requests: () => number; close: () => void }> {
    let count = 0;
    const rendered = renderAnthropicError(error);
    const server = createServer((request, response) => {
      count += 1;
      request.resume();
      response.writeHead(rendered.status, rendered.headers).end(rendered.body);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return { baseURL: `http://127.0.0.1:${port}`, requests: () => count, close: () => server.close() };
  }

  it('does not retry a quota error that x-should-retry says is final, though it is a 429', async () => {
    const quota = GatewayError.fromBedrock({
      name: 'ServiceQuotaExceededException',
      message: 'Too many tokens per day.',
    });
    const server = await serve(quota);
    try {
      const client = new Anthropic({ apiKey: 'test', baseURL: server.baseURL, maxRetries: 2 });
      const failure = await client.messages
        .create({ model: 'claude-gateway-test', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
        .catch((caught: unknown) => caught);
      expect(failure).toBeInstanceOf(Anthropic.RateLimitError);
      expect((failure as APIError).apiMessage).toBe('Too many tokens per day.');
      expect((failure as APIError).type).toBe('rate_limit_error');
      expect(server.requests()).toBe(1);
    } finally {
      server.close();
    }
  });
});
