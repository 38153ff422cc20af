/**
 * The emulator against clients that no one here wrote: the Anthropic SDK, the
 * Bedrock and Vertex SDKs, the AWS SDK and google-auth-library. None of them
 * gets a special case for the emulator beyond its endpoint and credentials.
 */

import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import Anthropic from '@anthropic-ai/sdk';
import { AnthropicVertex, type ClientOptions } from '@anthropic-ai/vertex-sdk';
import {
  BedrockRuntimeClient,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { GoogleAuth } from 'google-auth-library';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readJson } from '../test-support/json.js';
import { createGoogleTokenRedirectFetch } from './auth/google-token-redirect-fetch.js';
import { type RunningEmulator, startEmulator } from './server.js';

/** The Vertex SDK's google-auth-library (10) type; this package's 11 differs only in private fields. */
type VertexGoogleAuth = NonNullable<ClientOptions['googleAuth']>;

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, serveRetired: true });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.state.reset();
});

const awsCredentials = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' };
const bedrockBody = (text: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    anthropic_version: 'bedrock-2023-05-31',
    max_tokens: 200,
    messages: [{ role: 'user', content: text }],
    ...extra,
  });
const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('@anthropic-ai/sdk against the emulator', () => {
  const client = () => new Anthropic({ baseURL: emulator.url, apiKey: 'sk-ant-emulator', maxRetries: 0 });

  it('creates a message whose text is derived from the prompt, with usage', async () => {
    const message = await client().messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 300,
      messages: [{ role: 'user', content: 'Tell me about Lisbon' }],
    });
    expect(message.model).toBe('claude-sonnet-4-5-20250929');
    expect(message.content[0]).toMatchObject({ type: 'text' });
    expect((message.content[0] as { text: string }).text).toContain('Tell me about Lisbon');
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
  });

  it('streams events in the real order and agrees with count_tokens', async () => {
    const params = {
      model: 'claude-haiku-4-5',
      max_tokens: 300,
      messages: [{ role: 'user' as const, content: 'Stream a reply about tides' }],
    };
    const types: string[] = [];
    let inputTokens = 0;
    for await (const event of await client().messages.create({ ...params, stream: true })) {
      types.push(event.type);
      if (event.type === 'message_start') inputTokens = event.message.usage.input_tokens;
    }
    expect(types[0]).toBe('message_start');
    // The SDK drops `ping`; the raw order is checked in the emulator's own tests.
    expect(types[1]).toBe('content_block_start');
    expect(types.filter((type) => type === 'content_block_delta').length).toBeGreaterThan(3);
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    const counted = await client().messages.countTokens({ model: params.model, messages: params.messages });
    expect(counted.input_tokens).toBe(inputTokens);
  });

  it('makes a tool-use round trip', async () => {
    const first = await client().messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 500,
      tools: [weatherTool],
      tool_choice: { type: 'tool', name: 'get_weather' },
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    expect(first.stop_reason).toBe('tool_use');
    const toolUse = first.content.find((block) => block.type === 'tool_use');
    expect(toolUse).toMatchObject({ name: 'get_weather', input: { city: 'example' } });
    if (toolUse?.type !== 'tool_use') throw new Error('no tool_use');
    const second = await client().messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 500,
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: '18°C and sunny' }],
        },
      ],
    });
    expect(second.stop_reason).toBe('end_turn');
    expect(JSON.stringify(second.content)).toContain('18°C and sunny');
  });

  it('rejects a wrong key with authentication_error', async () => {
    const wrong = new Anthropic({ baseURL: emulator.url, apiKey: 'sk-ant-wrong', maxRetries: 0 });
    await expect(
      wrong.messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });
});

describe('@aws-sdk/client-bedrock-runtime against the emulator', () => {
  const client = (secretAccessKey = awsCredentials.secretAccessKey) =>
    new BedrockRuntimeClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: { ...awsCredentials, secretAccessKey },
      maxAttempts: 1,
    });

  it('invokes a model (colon sent as %3A, signed by the SDK)', async () => {
    const answer = await client().send(
      new InvokeModelCommand({
        modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        contentType: 'application/json',
        body: bedrockBody('Hello from the AWS SDK'),
      }),
    );
    const message = JSON.parse(new TextDecoder().decode(answer.body));
    expect(message.id).toMatch(/^msg_bdrk_/);
    expect(message.content[0].text).toContain('Hello from the AWS SDK');
    const journal = emulator.state.journal.list({ platform: 'bedrock' });
    expect(journal[0]?.path).toContain('%3A0');
  });

  it('streams, and the SDK decodes every chunk', async () => {
    const answer = await client().send(
      new InvokeModelWithResponseStreamCommand({
        modelId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
        contentType: 'application/json',
        body: bedrockBody('Stream it'),
      }),
    );
    const events: { type: string; [key: string]: unknown }[] = [];
    for await (const item of answer.body ?? []) {
      if (item.chunk?.bytes) events.push(JSON.parse(new TextDecoder().decode(item.chunk.bytes)));
    }
    expect(events[0]?.type).toBe('message_start');
    const last = events[events.length - 1];
    expect(last?.type).toBe('message_stop');
    expect(last?.['amazon-bedrock-invocationMetrics']).toMatchObject({ inputTokenCount: expect.any(Number) });
  });

  it('gives the SDK its signature error for a wrong secret', async () => {
    const error = await client('not-the-secret')
      .send(
        new InvokeModelCommand({
          modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
          contentType: 'application/json',
          body: bedrockBody('x'),
        }),
      )
      .catch((caught: unknown) => caught as Error);
    expect((error as Error).name).toBe('InvalidSignatureException');
    expect((error as Error).message).toContain('signature we calculated does not match');
  });

  it('answers ValidationException for an unknown model and for a scope the model lacks', async () => {
    for (const modelId of ['anthropic.claude-imaginary-v1:0', 'eu.anthropic.claude-opus-4-1-20250805-v1:0']) {
      const error = await client()
        .send(new InvokeModelCommand({ modelId, contentType: 'application/json', body: bedrockBody('x') }))
        .catch((caught: unknown) => caught as Error);
      expect((error as Error).name).toBe('ValidationException');
      expect((error as Error).message).toBe('The provided model identifier is invalid.');
    }
  });
});

describe('@anthropic-ai/bedrock-sdk against the emulator', () => {
  const client = () =>
    new AnthropicBedrock({
      baseURL: emulator.url,
      awsAccessKey: awsCredentials.accessKeyId,
      awsSecretKey: awsCredentials.secretAccessKey,
      awsRegion: 'eu-west-1',
      maxRetries: 0,
    });

  it('creates and streams (colon raw in the path)', async () => {
    const message = await client().messages.create({
      model: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Bonjour' }],
    });
    expect((message.content[0] as { text: string }).text).toContain('Bonjour');
    const streamed = await client()
      .messages.stream({
        model: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
        max_tokens: 200,
        messages: [{ role: 'user', content: 'Bonjour encore' }],
      })
      .finalMessage();
    expect(streamed.stop_reason).toBe('end_turn');
    const paths = emulator.state.journal.list({ platform: 'bedrock' }).map((entry) => entry.path);
    expect(paths).toContain('/model/eu.anthropic.claude-haiku-4-5-20251001-v1:0/invoke');
    expect(emulator.state.journal.list({ platform: 'bedrock' })[0]?.region).toBe('eu-west-1');
  });

  it('authenticates with a Bedrock API key', async () => {
    const client = new AnthropicBedrock({
      baseURL: emulator.url,
      apiKey: 'emulator-bedrock-key',
      maxRetries: 0,
    });
    // The SDK sends API version 2026-10-21, which Bedrock takes only for Claude 4.7 and later.
    const message = await client.messages.create({
      model: 'global.anthropic.claude-opus-5-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'key auth' }],
    });
    expect(message.stop_reason).toBe('end_turn');
  });
});

describe('@anthropic-ai/vertex-sdk against the emulator', () => {
  async function serviceAccount() {
    const response = await fetch(`${emulator.url}/_emulator/credentials`);
    return (await readJson(response)).vertex.serviceAccount;
  }

  it('authenticates with a service account through the emulator token endpoint, creates and streams', async () => {
    // google-auth-library 10 posts to oauth2.googleapis.com whatever `token_uri` says, so its
    // transporter's fetch sends token requests to the emulator; the library's own JWT code runs.
    const googleAuth = new GoogleAuth({
      credentials: await serviceAccount(),
      scopes: 'https://www.googleapis.com/auth/cloud-platform',
      clientOptions: {
        transporterOptions: { fetchImplementation: createGoogleTokenRedirectFetch(emulator.url) },
      },
    });
    const client = new AnthropicVertex({
      baseURL: `${emulator.url}/v1`,
      region: 'global',
      projectId: 'emulator-project',
      googleAuth: googleAuth as unknown as VertexGoogleAuth,
      maxRetries: 0,
    });
    const message = await client.messages.create({
      model: 'claude-sonnet-4-5@20250929',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Hola Vertex' }],
    });
    expect(message.id).toMatch(/^msg_vrtx_/);
    expect((message.content[0] as { text: string }).text).toContain('Hola Vertex');
    const streamed = await client.messages
      .stream({
        model: 'claude-sonnet-4-5@20250929',
        max_tokens: 200,
        messages: [{ role: 'user', content: 'more' }],
      })
      .finalMessage();
    expect(streamed.stop_reason).toBe('end_turn');
    const tokenRequests = emulator.state.journal.list().filter((entry) => entry.path === '/token');
    expect(tokenRequests.length).toBeLessThanOrEqual(1);
  });

  it('gets a token from the metadata server at GCE_METADATA_HOST', async () => {
    const saved = {
      host: process.env['GCE_METADATA_HOST'],
      detect: process.env['METADATA_SERVER_DETECTION'],
    };
    process.env['GCE_METADATA_HOST'] = new URL(emulator.url).host;
    process.env['METADATA_SERVER_DETECTION'] = 'assume-present';
    try {
      const googleAuth = new GoogleAuth({ scopes: 'https://www.googleapis.com/auth/cloud-platform' });
      const projectId = await googleAuth.getProjectId();
      expect(projectId).toBe('emulator-project');
      const client = new AnthropicVertex({
        baseURL: `${emulator.url}/v1`,
        region: 'us-east5',
        projectId,
        googleAuth: googleAuth as unknown as VertexGoogleAuth,
        maxRetries: 0,
      });
      const message = await client.messages.create({
        model: 'claude-haiku-4-5@20251001',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'metadata auth' }],
      });
      expect(message.stop_reason).toBe('end_turn');
    } finally {
      if (saved.host === undefined) delete process.env['GCE_METADATA_HOST'];
      else process.env['GCE_METADATA_HOST'] = saved.host;
      if (saved.detect === undefined) delete process.env['METADATA_SERVER_DETECTION'];
      else process.env['METADATA_SERVER_DETECTION'] = saved.detect;
    }
  });

  it('rejects an unknown model with 404 NOT_FOUND', async () => {
    const client = new AnthropicVertex({
      baseURL: `${emulator.url}/v1`,
      region: 'us-east5',
      projectId: 'emulator-project',
      accessToken: 'ignored',
      authClient: {
        getRequestHeaders: async () => {
          const token = await readJson(
            await fetch(`${emulator.url}/computeMetadata/v1/instance/service-accounts/default/token`, {
              headers: { 'metadata-flavor': 'Google' },
            }),
          );
          return new Headers({ authorization: `Bearer ${token.access_token}` });
        },
      } as never,
      maxRetries: 0,
    });
    await expect(
      client.messages.create({
        model: 'claude-imaginary@20990101',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });
});
