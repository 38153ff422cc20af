/**
 * Failures upstream, as clients see them: failover before the first byte
 * (the answer comes from the next target, headers and the log say so), and
 * after it a dialect-correct stream error (SSE `event: error`, an
 * event-stream exception the AWS SDK raises), never a silent truncation.
 */

import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import Anthropic from '@anthropic-ai/sdk';
import { BedrockRuntimeClient, InvokeModelWithResponseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { failureOf, useTestGateway } from '../test-support/gateway.js';

const gateway = useTestGateway({
  config: {
    routes: [
      { models: ['claude-sonnet-4-5'], targets: ['bedrock/global', 'vertex/global', 'anthropic'] },
      { models: ['claude-haiku-4-5'], targets: ['bedrock/global'] },
      { models: ['claude-opus-4-5'], targets: ['anthropic'] },
    ],
  },
});

const anthropic = () => new Anthropic({ baseURL: gateway().url, apiKey: 'unused', maxRetries: 0 });
const aws = () =>
  new BedrockRuntimeClient({
    endpoint: gateway().url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDANY', secretAccessKey: 'unused' },
    maxAttempts: 1,
  });

/** Posts an Anthropic streaming request and returns the raw SSE text and the request id. */
async function rawStream(model: string, text: string): Promise<{ status: number; body: string; id: string }> {
  const response = await fetch(`${gateway().url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({
      model,
      max_tokens: 300,
      stream: true,
      messages: [{ role: 'user', content: text }],
    }),
  });
  return {
    status: response.status,
    body: await response.text(),
    id: response.headers.get('x-claude-gateway-request-id') ?? '',
  };
}

function sseEvents(body: string): { event: string; data: Record<string, unknown> }[] {
  return body
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '{}';
      return { event, data: JSON.parse(data) };
    });
}

describe('failover before the first byte', () => {
  it('answers from the next target when Bedrock global throttles, and says so', async () => {
    gateway().emulator.state.faults.add({ kind: 'http', platform: 'bedrock', status: 429, count: 0 });
    const { data: message, response } = await anthropic()
      .messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 200,
        messages: [{ role: 'user', content: 'Fail over please' }],
      })
      .withResponse();
    expect(message.id).toMatch(/^msg_vrtx_/);
    expect((message.content[0] as { text: string }).text).toContain('Fail over please');
    expect(response.headers.get('x-claude-gateway-target')).toBe('vertex/global');
    // Header values must be ASCII: the log's arrow is written `->` there.
    expect(response.headers.get('x-claude-gateway-changes')).toContain(
      'failover:bedrock/global@us-east-1->vertex/global',
    );
    const { request, attempts } = await gateway().activity(response.headers.get('request-id') ?? '');
    expect(request).toMatchObject({ status: 200, platform: 'vertex', region: 'global' });
    expect(request?.changes).toContain('failover:bedrock/global@us-east-1→vertex/global');
    expect(request?.attemptCount).toBe(attempts.length);
    expect(attempts.map((attempt) => [attempt.platform, attempt.outcome, attempt.status])).toEqual([
      ['bedrock', 'retried', 429],
      ['bedrock', 'failed-over', 429],
      ['vertex', 'success', 200],
    ]);
    expect(attempts[0]?.errorType).toBe('ThrottlingException');
    expect(attempts[2]?.outputTokens).toBe(message.usage.output_tokens);
  });

  it('moves on when a target says it does not serve the model, and the log says why', async () => {
    gateway().emulator.state.faults.add({
      kind: 'http',
      platform: 'bedrock',
      status: 400,
      message: 'The provided model identifier is invalid.',
      count: 0,
    });
    const { data: message, response } = await anthropic()
      .messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'Next' }],
      })
      .withResponse();
    expect(message.id).toMatch(/^msg_vrtx_/);
    expect(response.headers.get('x-claude-gateway-changes')).toContain(
      'model-unavailable:bedrock/global@us-east-1',
    );
    const { request, attempts } = await gateway().activity(response.headers.get('request-id') ?? '');
    expect(request?.changes).toContain('model-unavailable:bedrock/global@us-east-1');
    // A 400 is not retried on the same target: one attempt, then the next target.
    expect(attempts.map((attempt) => [attempt.platform, attempt.outcome, attempt.status])).toEqual([
      ['bedrock', 'failed-over', 400],
      ['vertex', 'success', 200],
    ]);
    expect(attempts[0]?.errorMessage).toContain('model identifier is invalid');
  });

  it('fails over a stream too, and the client sees one clean answer', async () => {
    gateway().emulator.state.faults.add({ kind: 'http', platform: 'bedrock', status: 429, count: 0 });
    const { status, body, id } = await rawStream('claude-sonnet-4-5', 'streamed failover');
    expect(status).toBe(200);
    const events = sseEvents(body);
    expect(events.filter((event) => event.event === 'message_start')).toHaveLength(1);
    expect(events.at(-1)?.event).toBe('message_stop');
    expect(events.some((event) => event.event === 'error')).toBe(false);
    const { attempts } = await gateway().activity(id);
    expect(attempts.at(-1)).toMatchObject({ platform: 'vertex', outcome: 'success' });
  });

  it('gives the last error in the client dialect when every target fails', async () => {
    gateway().emulator.state.faults.add({ kind: 'http', platform: 'bedrock', status: 429, count: 0 });
    const error = await failureOf<InstanceType<typeof Anthropic.APIError>>(
      anthropic().messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error.status).toBe(429);
    const id = error.headers?.get('request-id') ?? '';
    const { request, attempts } = await gateway().activity(id);
    expect(request).toMatchObject({ status: 429 });
    expect(request?.errorType).toContain('rate_limit_error');
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(['retried', 'failed']);
  });

  it('says what it changed and which target it tried last when every target fails, in the answer and the log', async () => {
    for (const platform of ['bedrock', 'vertex', 'anthropic'] as const) {
      gateway().emulator.state.faults.add({ kind: 'http', platform, status: 503, count: 0 });
    }
    const response = await fetch(
      `${gateway().url}/model/global.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          anthropic_version: 'bedrock-2023-05-31',
          max_tokens: 50,
          messages: [{ role: 'user', content: 'x' }],
        }),
      },
    );
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(response.headers.get('x-claude-gateway-changes')).toBe(
      'failover:bedrock/global@us-east-1->vertex/global, failover:vertex/global->anthropic',
    );
    const id = response.headers.get('x-claude-gateway-request-id') ?? '';
    const { request, attempts } = await gateway().activity(id);
    expect(attempts.at(-1)).toMatchObject({ platform: 'anthropic', outcome: 'failed' });
    expect(request).toMatchObject({ platform: 'anthropic', upstreamModelId: 'claude-sonnet-4-5-20250929' });
    expect(request?.changes).toHaveLength(2);
  });
});

describe('a stream cut after the first byte', () => {
  it('ends an Anthropic SSE stream with event: error, and logs it', async () => {
    gateway().emulator.state.faults.add({ kind: 'reset-mid-stream', platform: 'bedrock', afterEvents: 4 });
    const { status, body, id } = await rawStream('claude-haiku-4-5', 'cut me off');
    expect(status).toBe(200);
    const events = sseEvents(body);
    expect(events[0]?.event).toBe('message_start');
    expect(events.at(-1)?.event).toBe('error');
    expect(events.at(-1)?.data).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    expect(events.some((event) => event.event === 'message_stop')).toBe(false);
    const { request } = await gateway().activity(id);
    expect(request?.errorMessage).toMatch(/stream ended before the message was complete/);
    expect(request?.errorType).toBe('api_error');
  });

  it('makes the Anthropic SDK throw the stream error', async () => {
    gateway().emulator.state.faults.add({ kind: 'reset-mid-stream', platform: 'bedrock', afterEvents: 4 });
    const error = await failureOf(
      anthropic()
        .messages.stream({
          model: 'claude-haiku-4-5',
          max_tokens: 300,
          messages: [{ role: 'user', content: 'x' }],
        })
        .finalMessage(),
    );
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error.message).toMatch(/Amazon Bedrock stream ended/);
  });

  it('raises an exception with the message in the AWS SDK', async () => {
    gateway().emulator.state.faults.add({ kind: 'reset-mid-stream', platform: 'bedrock', afterEvents: 4 });
    const answer = await aws().send(
      new InvokeModelWithResponseStreamCommand({
        modelId: 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
        contentType: 'application/json',
        body: JSON.stringify({
          anthropic_version: 'bedrock-2023-05-31',
          max_tokens: 300,
          messages: [{ role: 'user', content: 'cut the AWS SDK off' }],
        }),
      }),
    );
    const types: string[] = [];
    const error = await failureOf(
      (async () => {
        for await (const item of answer.body ?? []) {
          if (item.chunk?.bytes) types.push(JSON.parse(new TextDecoder().decode(item.chunk.bytes)).type);
        }
      })(),
    );
    expect(types[0]).toBe('message_start');
    expect(types).not.toContain('message_stop');
    expect(error).toBeInstanceOf(Error);
    // The SDK raises the exception frame as its modeled class, with the frame's message.
    expect((error as Error).name).toBe('InternalServerException');
    expect((error as Error).message).toMatch(/stream ended before the message was complete/);
    const [row] = await gateway().requests();
    expect(row).toMatchObject({ dialect: 'bedrock', stream: true });
    expect(row?.errorMessage).toMatch(/stream ended/);
  });

  it('turns an in-stream Bedrock throttlingException into rate_limit_error, keeping the AWS message', async () => {
    gateway().emulator.state.faults.add({
      kind: 'stream-error',
      platform: 'bedrock',
      afterEvents: 3,
      errorType: 'throttlingException',
      message: 'Too many tokens, please wait before trying again.',
    });
    const { body, id } = await rawStream('claude-haiku-4-5', 'throttle mid-stream');
    const events = sseEvents(body);
    expect(events[0]?.event).toBe('message_start');
    expect(events.at(-1)).toEqual({
      event: 'error',
      data: {
        type: 'error',
        error: { type: 'rate_limit_error', message: 'Too many tokens, please wait before trying again.' },
      },
    });
    const { request } = await gateway().activity(id);
    expect(request?.errorType).toContain('rate_limit_error');
    expect(request?.errorMessage).toBe('Too many tokens, please wait before trying again.');
  });

  it('gives the Bedrock SDK the exception frame with its message (the SDK turns it into an SSE error)', async () => {
    gateway().emulator.state.faults.add({
      kind: 'stream-error',
      platform: 'bedrock',
      afterEvents: 3,
      errorType: 'throttlingException',
      message: 'Too many tokens, please wait before trying again.',
    });
    const client = new AnthropicBedrock({ baseURL: gateway().url, skipAuth: true, maxRetries: 0 });
    const error = await failureOf<InstanceType<typeof Anthropic.APIError>>(
      client.messages
        .stream({
          model: 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
          max_tokens: 300,
          messages: [{ role: 'user', content: 'throttle the Bedrock SDK' }],
        })
        .finalMessage(),
    );
    expect(error.message).toContain('Too many tokens, please wait before trying again.');
  });

  it('raises ServiceUnavailableException in the AWS SDK for an overloaded Anthropic stream', async () => {
    gateway().emulator.state.faults.add({ kind: 'stream-error', platform: 'anthropic', afterEvents: 3 });
    const answer = await aws().send(
      new InvokeModelWithResponseStreamCommand({
        modelId: 'global.anthropic.claude-opus-4-5-20251101-v1:0',
        contentType: 'application/json',
        body: JSON.stringify({
          anthropic_version: 'bedrock-2023-05-31',
          max_tokens: 300,
          messages: [{ role: 'user', content: 'overload the AWS SDK' }],
        }),
      }),
    );
    const error = await failureOf(
      (async () => {
        for await (const _item of answer.body ?? []) {
          // read to the exception
        }
      })(),
    );
    expect(error.name).toBe('ServiceUnavailableException');
    expect(error.message).toMatch(/overloaded/i);
  });

  it('passes an Anthropic in-stream overloaded_error to an Anthropic client as it was', async () => {
    gateway().emulator.state.faults.add({ kind: 'stream-error', platform: 'anthropic', afterEvents: 3 });
    const { body } = await rawStream('claude-opus-4-5', 'overload mid-stream');
    const events = sseEvents(body);
    expect(events[0]?.event).toBe('message_start');
    expect(events.filter((event) => event.event === 'error')).toHaveLength(1);
    expect(events.at(-1)?.event).toBe('error');
  });
});
