/**
 * Conformance with the official Vertex SDK (`@anthropic-ai/vertex-sdk`):
 * both shapes renderVertexError writes become the SDK's error class for the
 * status, with the original text reachable.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APIError, OverloadedError, RateLimitError } from '@anthropic-ai/sdk';
import { AnthropicVertex, type ClientOptions } from '@anthropic-ai/vertex-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from './gateway-error.js';
import { renderVertexError } from './google.js';
import type { RenderedError } from './types.js';

/** The Vertex SDK's google-auth-library (10) type; this package's 11 differs only in private fields. */
type AuthClient = NonNullable<ClientOptions['authClient']>;

let rendered: RenderedError;
let server: Server;
let client: AnthropicVertex;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    response.writeHead(rendered.status, rendered.headers).end(rendered.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const authClient = {
    projectId: 'test-project',
    getRequestHeaders: async () => new Headers({ authorization: 'Bearer test-token' }),
  } as unknown as AuthClient;
  client = new AnthropicVertex({
    baseURL: `http://127.0.0.1:${port}/v1`,
    region: 'us-east5',
    projectId: 'test-project',
    authClient,
    maxRetries: 0,
  });
});

afterAll(() => {
  server.close();
});

async function failure(): Promise<APIError> {
  const caught = await client.messages
    .create({ model: 'claude-gateway-test', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  if (!(caught instanceof APIError)) throw new Error(`expected an APIError, got ${String(caught)}`);
  return caught;
}

describe('the Vertex SDK', () => {
  it('reads a google.rpc.Status quota error as RateLimitError with the text', async () => {
    rendered = renderVertexError(
      GatewayError.fromBedrock({ name: 'ThrottlingException', message: 'Quota exceeded.' }),
      {
        arrayWrapped: true,
      },
    );
    const error = await failure();
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.status).toBe(429);
    expect(error.error).toEqual([
      { error: { code: 429, message: 'Quota exceeded.', status: 'RESOURCE_EXHAUSTED' } },
    ]);
  });

  it('reads an Anthropic-shaped overload as OverloadedError with the text', async () => {
    rendered = renderVertexError(
      GatewayError.fromBedrock({ name: 'ServiceUnavailableException', message: 'Busy.' }),
    );
    const error = await failure();
    expect(error).toBeInstanceOf(OverloadedError);
    expect(error.apiMessage).toBe('Busy.');
    expect(error.type).toBe('overloaded_error');
  });
});
