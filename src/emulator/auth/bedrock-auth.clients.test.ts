import { createServer as createHttp2Server } from 'node:http2';
import AnthropicBedrock from '@anthropic-ai/bedrock-sdk';
import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsJsonAuthErrorResponse } from './aws-auth-failure.js';
import { createEmulatorAuth } from './emulator-auth.js';
import { signedRequestFromWebRequest } from './signed-request.js';

const auth = createEmulatorAuth();
auth.addAwsCredential({
  accessKeyId: 'ASIAEMULATOR',
  secretAccessKey: 'temporary-secret',
  sessionToken: 'the-token',
});
const modelId = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

/** What the handler saw, so tests can tell which encoding reached it. */
const seen: { paths: string[]; callers: string[] } = { paths: [], callers: [] };

async function bedrockHandler(request: Request): Promise<Response> {
  const signed = await signedRequestFromWebRequest(request);
  seen.paths.push(signed.path);
  const caller = await auth.verifyBedrockRequest(signed);
  if (!caller.ok) return awsJsonAuthErrorResponse(caller);
  seen.callers.push(caller.method === 'api-key' ? 'api-key' : caller.accessKeyId);
  const message = {
    id: 'msg_emulator',
    type: 'message',
    role: 'assistant',
    model: modelId,
    content: [{ type: 'text', text: 'ok' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 1, output_tokens: 1 },
  };
  return new Response(JSON.stringify(message), { headers: { 'content-type': 'application/json' } });
}

interface RunningServer {
  origin: string;
  close(): Promise<void>;
}

function start(http2: boolean): Promise<RunningServer> {
  return new Promise((resolve) => {
    const server: ServerType = serve(
      {
        fetch: bedrockHandler,
        port: 0,
        hostname: '127.0.0.1',
        ...(http2 ? { createServer: createHttp2Server } : {}),
      },
      (info) =>
        resolve({
          origin: `http://127.0.0.1:${info.port}`,
          close: () => new Promise((done) => server.close(() => done())),
        }),
    );
  });
}

/** The AWS SDK's Bedrock runtime client speaks HTTP/2 by default, so its server is an h2c one. */
let http2Server: RunningServer;
let http1Server: RunningServer;

beforeAll(async () => {
  [http2Server, http1Server] = await Promise.all([start(true), start(false)]);
});

afterAll(async () => {
  await Promise.all([http2Server.close(), http1Server.close()]);
});

async function invokeWithAwsSdk(credentials: {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}): Promise<unknown> {
  const client = new BedrockRuntimeClient({
    endpoint: http2Server.origin,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
  try {
    const output = await client.send(
      new InvokeModelCommand({
        modelId,
        contentType: 'application/json',
        body: JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [] }),
      }),
    );
    return JSON.parse(new TextDecoder().decode(output.body));
  } catch (error) {
    return error;
  } finally {
    client.destroy();
  }
}

describe('@aws-sdk/client-bedrock-runtime', () => {
  it('signs a %3A path that verifies', async () => {
    const result = await invokeWithAwsSdk({
      accessKeyId: 'AKIDEMULATOR',
      secretAccessKey: 'emulator-secret',
    });
    expect(result).toMatchObject({ id: 'msg_emulator' });
    expect(seen.paths).toContain('/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke');
  });

  it('surfaces a wrong secret as InvalidSignatureException', async () => {
    const error = await invokeWithAwsSdk({ accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'wrong-secret' });
    expect(error).toMatchObject({
      name: 'InvalidSignatureException',
      message: expect.stringMatching(/^The request signature we calculated does not match/),
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('surfaces an unknown key as UnrecognizedClientException', async () => {
    const error = await invokeWithAwsSdk({ accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'emulator-secret' });
    expect(error).toMatchObject({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
  });

  it('accepts a session credential only with its token', async () => {
    const temporary = { accessKeyId: 'ASIAEMULATOR', secretAccessKey: 'temporary-secret' };
    expect(await invokeWithAwsSdk({ ...temporary, sessionToken: 'the-token' })).toMatchObject({
      id: 'msg_emulator',
    });
    expect(await invokeWithAwsSdk({ ...temporary, sessionToken: 'another-token' })).toMatchObject({
      name: 'UnrecognizedClientException',
    });
  });

  it('sends a Bedrock API key as a bearer token that verifies', async () => {
    const client = new BedrockRuntimeClient({
      endpoint: http2Server.origin,
      region: 'us-east-1',
      token: { token: 'emulator-bedrock-key' },
      authSchemePreference: ['httpBearerAuth'],
      maxAttempts: 1,
    });
    try {
      const output = await client.send(
        new InvokeModelCommand({
          modelId,
          contentType: 'application/json',
          body: JSON.stringify({ messages: [] }),
        }),
      );
      expect(output.$metadata.httpStatusCode).toBe(200);
      expect(seen.callers.at(-1)).toBe('api-key');
    } finally {
      client.destroy();
    }
  });
});

describe('@anthropic-ai/bedrock-sdk', () => {
  function signingClient(awsSecretKey = 'emulator-secret') {
    return new AnthropicBedrock({
      baseURL: http1Server.origin,
      awsRegion: 'us-east-1',
      awsAccessKey: 'AKIDEMULATOR',
      awsSecretKey,
      maxRetries: 0,
    });
  }
  function apiKeyClient(apiKey: string) {
    return new AnthropicBedrock({
      baseURL: http1Server.origin,
      awsRegion: 'us-east-1',
      apiKey,
      maxRetries: 0,
    });
  }
  const request = { model: modelId, max_tokens: 10, messages: [{ role: 'user' as const, content: 'hi' }] };

  it('signs a raw-colon path that verifies', async () => {
    const message = await signingClient().messages.create(request);
    expect(message.content).toEqual([{ type: 'text', text: 'ok' }]);
    expect(seen.paths).toContain('/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke');
  });

  it('gets a 403 for a wrong secret', async () => {
    await expect(signingClient('wrong-secret').messages.create(request)).rejects.toMatchObject({
      status: 403,
      error: { message: expect.stringMatching(/^The request signature we calculated/) },
    });
  });

  it('sends a Bedrock API key that verifies', async () => {
    const message = await apiKeyClient('emulator-bedrock-key').messages.create(request);
    expect(message.id).toBe('msg_emulator');
    expect(seen.callers.at(-1)).toBe('api-key');
  });

  it('gets a 403 for an unknown Bedrock API key', async () => {
    await expect(apiKeyClient('not-a-key').messages.create(request)).rejects.toMatchObject({ status: 403 });
  });
});
