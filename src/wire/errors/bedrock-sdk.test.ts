/**
 * Conformance with the AWS SDK: a BedrockRuntimeClient pointed at a server
 * that answers renderBedrockError (or an exception frame in a response
 * stream) throws the exception class the real service would make it throw,
 * with the message and status. The SDK speaks HTTP/2 to Bedrock (its
 * runtime config uses NodeHttp2Handler), cleartext h2 to an http:// endpoint,
 * so the test server is a node:http2 one.
 */
import { once } from 'node:events';
import { createServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import {
  BedrockRuntimeClient,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBedrockError, renderBedrockStreamException } from './bedrock.js';
import { BEDROCK_EXCEPTIONS } from './bedrock-exceptions.js';
import { GatewayError } from './gateway-error.js';
import type { RenderedError } from './types.js';

interface Answer {
  rendered?: RenderedError;
  frame?: Uint8Array;
}

let answer: Answer = {};
let server: Http2Server;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    if (answer.frame) {
      response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' }).end(answer.frame);
      return;
    }
    const rendered = answer.rendered!;
    response.writeHead(rendered.status, rendered.headers).end(rendered.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  client = new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
});

afterAll(() => {
  client.destroy();
  server.close();
});

const invoke = new InvokeModelCommand({
  modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  contentType: 'application/json',
  body: JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [] }),
});

async function failureOf(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  const failure = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(failure instanceof Error)) throw new Error('expected the SDK to throw');
  return failure;
}

describe.each(Object.keys(BEDROCK_EXCEPTIONS))('the AWS SDK reads a rendered %s', (name) => {
  it('as that exception, with the message, status and request id', async () => {
    const message = `Original ${name} text.`;
    answer = {
      rendered: renderBedrockError(GatewayError.fromBedrock({ name, message, requestId: 'rid-1' })),
    };
    const failure = await failureOf(client.send(invoke));
    expect(failure.name).toBe(name);
    expect(failure.message).toBe(message);
    expect(failure.$metadata?.httpStatusCode).toBe(answer.rendered?.status);
    expect(failure).toMatchObject({ $metadata: { requestId: 'rid-1' } });
  });
});

describe.each([
  ['overloaded_error', 'ServiceUnavailableException', 503],
  ['rate_limit_error', 'ThrottlingException', 429],
  ['invalid_request_error', 'ValidationException', 400],
  ['authentication_error', 'UnrecognizedClientException', 403],
  ['timeout_error', 'ModelTimeoutException', 408],
])('the AWS SDK reads an Anthropic %s', (type, name, status) => {
  it(`as ${name} ${status}`, async () => {
    const error = new GatewayError({ type, message: `Anthropic said ${type}.`, platform: 'anthropic' });
    answer = { rendered: renderBedrockError(error) };
    const failure = await failureOf(client.send(invoke));
    expect(failure.name).toBe(name);
    expect(failure.message).toBe(`Anthropic said ${type}.`);
    expect(failure.$metadata?.httpStatusCode).toBe(status);
  });
});

describe.each([
  ['ThrottlingException', 'ThrottlingException'],
  ['ModelTimeoutException', 'ModelTimeoutException'],
  ['ValidationException', 'ValidationException'],
  ['InternalServerException', 'InternalServerException'],
  ['ModelErrorException', 'ModelStreamErrorException'],
  ['ServiceUnavailableException', 'ServiceUnavailableException'],
])('the AWS SDK reads an in-stream %s', (name, thrown) => {
  it(`as ${thrown}, with the message`, async () => {
    const message = `Mid-stream ${name}.`;
    const { exceptionType, body } = renderBedrockStreamException(GatewayError.fromBedrock({ name, message }));
    const codec = new EventStreamCodec(toUtf8, fromUtf8);
    answer = {
      frame: codec.encode({
        headers: {
          ':message-type': { type: 'string', value: 'exception' },
          ':exception-type': { type: 'string', value: exceptionType },
          ':content-type': { type: 'string', value: 'application/json' },
        },
        body: fromUtf8(body),
      }),
    };
    const command = new InvokeModelWithResponseStreamCommand({
      modelId: 'anthropic.claude',
      body: '{}',
      contentType: 'application/json',
    });
    // The SDK reads the first event before send() resolves, so the exception may come from either place.
    const failure = await failureOf(
      (async () => {
        const response = await client.send(command);
        for await (const _event of response.body ?? []) {
          // an exception frame throws here
        }
      })(),
    );
    expect(failure.name).toBe(thrown);
    expect(failure.message).toBe(message);
  });
});
