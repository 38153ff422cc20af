/**
 * The emulator answers Bedrock's Converse and ConverseStream as Bedrock does,
 * checked with the AWS SDK's own commands: SigV4 recomputed, the Converse
 * body translated and checked (a ValidationException naming the field),
 * the scripted model's answer in Converse's shapes, faults in the stream.
 */

import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseStreamOutput,
  CountTokensCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failureOf, testClock } from '../test-support/gateway.js';
import { type RunningEmulator, startEmulator } from './server.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, clock: testClock });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.state.reset());

const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

const client = (secretAccessKey = 'emulator-secret') =>
  new BedrockRuntimeClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey },
    maxAttempts: 1,
  });

type AwsError = Error & { $metadata?: { httpStatusCode?: number } };

describe('Converse on the emulator', () => {
  it('answers with the scripted model, checked by SigV4', async () => {
    const answer = await client().send(
      new ConverseCommand({
        modelId: MODEL,
        messages: [{ role: 'user', content: [{ text: 'Hello emulated Converse' }] }],
        inferenceConfig: { maxTokens: 200 },
        additionalModelResponseFieldPaths: ['/stop_sequence', '/delta/stop_reason'],
      }),
    );
    expect(answer.output?.message?.content?.[0]?.text).toContain('Hello emulated Converse');
    expect(answer.stopReason).toBe('end_turn');
    expect(answer.additionalModelResponseFields).toEqual({
      stop_sequence: null,
      delta: { stop_reason: 'end_turn' },
    });
    const [entry] = emulator.state.journal.list({ platform: 'bedrock' });
    expect(entry).toMatchObject({ operation: 'converse', status: 200, model: MODEL });
  });

  it('refuses a wrong secret with InvalidSignatureException', async () => {
    const error = await failureOf<AwsError>(
      client('wrong-secret').send(
        new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }),
      ),
    );
    expect(error.name).toBe('InvalidSignatureException');
  });

  it('streams, and stops at a stop sequence (reported in messageStop)', async () => {
    const answer = await client().send(
      new ConverseStreamCommand({
        modelId: MODEL,
        messages: [{ role: 'user', content: [{ text: 'Stream until the word derived' }] }],
        inferenceConfig: { maxTokens: 200, stopSequences: ['derived'] },
        additionalModelResponseFieldPaths: ['/delta/stop_sequence'],
      }),
    );
    const events: ConverseStreamOutput[] = [];
    for await (const event of answer.stream ?? []) events.push(event);
    expect(events[0]?.messageStart?.role).toBe('assistant');
    const stop = events.find((event) => event.messageStop)?.messageStop;
    expect(stop?.stopReason).toBe('stop_sequence');
    expect(stop?.additionalModelResponseFields).toEqual({ delta: { stop_sequence: 'derived' } });
    expect(events.at(-1)?.metadata?.usage?.outputTokens).toBeGreaterThan(0);
  });

  it('ends a stream with the fault as a Converse exception the SDK throws', async () => {
    emulator.state.faults.add({
      kind: 'stream-error',
      platform: 'bedrock',
      afterEvents: 3,
      errorType: 'overloaded_error',
      message: 'The model is overloaded right now',
    });
    const answer = await client().send(
      new ConverseStreamCommand({
        modelId: MODEL,
        messages: [{ role: 'user', content: [{ text: 'Hello' }] }],
        inferenceConfig: { maxTokens: 200 },
      }),
    );
    const error = await failureOf<AwsError>(
      (async () => {
        for await (const _event of answer.stream ?? []) {
          // read until the exception
        }
      })(),
    );
    expect(error.name).toBe('ServiceUnavailableException');
    expect(error.message).toBe('The model is overloaded right now');
  });

  it.each([
    [
      'an unknown block type',
      { messages: [{ role: 'user', content: [{ sticker: { id: 1 } }] }] },
      'Unknown field messages.0.content.0.sticker',
    ],
    [
      'an image in a format Bedrock does not take',
      { messages: [{ role: 'user', content: [{ image: { format: 'bmp', source: { bytes: 'AAAA' } } }] }] },
      "Value 'bmp' at 'messages.0.content.0.image.format' failed to satisfy constraint",
    ],
    [
      'a toolResult without its toolUse',
      {
        messages: [
          { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ text: 'x' }] } }] },
        ],
        toolConfig: { tools: [{ toolSpec: { name: 'a', inputSchema: { json: { type: 'object' } } } }] },
      },
      'The number of toolResult blocks at messages.0.content exceeds the number of toolUse blocks of previous turn.',
    ],
    [
      'a guardrail',
      {
        messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
        guardrailConfig: { guardrailIdentifier: 'abc', guardrailVersion: '1' },
      },
      'The field guardrailConfig is not supported',
    ],
  ])('refuses %s with a ValidationException naming the field', async (_name, body, message) => {
    const response = await fetch(`${emulator.url}/model/${MODEL}/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer emulator-bedrock-key' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^ValidationException:/);
    expect(((await response.json()) as { message: string }).message).toContain(message);
  });

  it('counts the tokens of a converse input', async () => {
    const answer = await client().send(
      new CountTokensCommand({
        modelId: MODEL,
        input: { converse: { messages: [{ role: 'user', content: [{ text: 'Count me over Converse' }] }] } },
      }),
    );
    expect(answer.inputTokens).toBeGreaterThan(0);
  });
});
