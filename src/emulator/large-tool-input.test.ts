/**
 * A large tool input streamed by the emulator in small deltas comes out whole
 * and in order, to real clients: the Anthropic SDK over SSE and the AWS SDK
 * over Bedrock's event-stream; and a 1 MB input cut by max_tokens is cut
 * where the tokens run out. (How fast is measured in bench/emulator-events.ts,
 * not here: tests never assert on time.) The largest answer a model can give
 * is 128,000 tokens, about 500 KB at the emulator's four bytes a token.
 */
import Anthropic from '@anthropic-ai/sdk';
import { BedrockRuntimeClient, InvokeModelWithResponseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClock } from '../test-support/gateway.js';
import { tokensInText } from './model/tokens.js';
import { type RunningEmulator, startEmulator } from './server.js';

/** A `make_file` input of about `size` characters: many lines, escapes and non-ASCII text. */
function largeInput(size: number): { path: string; lines: string[] } {
  const lines: string[] = [];
  let length = 0;
  for (let index = 0; length < size; index++) {
    const line = `Line ${index}: "café" \\ wind\train ${'ü'.repeat(index % 5)} 🌊`;
    lines.push(line);
    length += JSON.stringify(line).length + 1;
  }
  return { path: 'poems/long.txt', lines };
}

function script(input: unknown): string {
  return `@emulator ${JSON.stringify({ tool_use: { name: 'make_file', input }, chunk_chars: 16 })}`;
}

/** A tool that streams its input in raw fragments of about `chunk_chars` (fine-grained tool streaming). */
const eagerTool = {
  name: 'make_file',
  description: 'Writes a file.',
  input_schema: { type: 'object' as const, properties: { path: { type: 'string' } } },
  eager_input_streaming: true,
};

type StreamEvent = { type: string; delta?: { type?: string; partial_json?: string } };

/** The events' types in order, consecutive repeats folded into one; pings left out (the Anthropic SDK drops them). */
function shapeOf(events: StreamEvent[]): string[] {
  const shape: string[] = [];
  for (const event of events) {
    if (event.type !== 'ping' && shape.at(-1) !== event.type) shape.push(event.type);
  }
  return shape;
}

function inputOf(events: StreamEvent[]): string {
  const parts: string[] = [];
  for (const event of events) {
    if (event.type === 'content_block_delta' && event.delta?.type === 'input_json_delta') {
      parts.push(event.delta.partial_json ?? '');
    }
  }
  return parts.join('');
}

/** The emulator's derived text, then the tool call. */
const EXPECTED_SHAPE = [
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
];

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, clock: testClock });
});
afterAll(async () => {
  await emulator.close();
});

describe('a large streamed tool input', () => {
  const anthropic = () => new Anthropic({ baseURL: emulator.url, apiKey: 'sk-ant-emulator', maxRetries: 0 });

  async function streamed(request: Record<string, unknown>): Promise<StreamEvent[]> {
    const stream = await anthropic().messages.create({
      model: 'claude-opus-5-5',
      max_tokens: 128_000,
      stream: true,
      ...request,
    } as Anthropic.MessageCreateParamsStreaming);
    const events: StreamEvent[] = [];
    for await (const event of stream) events.push(event as StreamEvent);
    return events;
  }

  it('reaches the Anthropic SDK whole: 440 KB in raw fragments of about 16 characters', async () => {
    const input = largeInput(440 * 1024);
    const events = await streamed({
      tools: [eagerTool],
      messages: [{ role: 'user', content: script(input) }],
    });
    expect(shapeOf(events)).toEqual(EXPECTED_SHAPE);
    expect(events.length).toBeGreaterThan(20_000);
    expect(JSON.parse(inputOf(events))).toEqual(input);
    expect(events.at(-2)).toMatchObject({ delta: { stop_reason: 'tool_use' } });
  });

  it('cuts a 1 MB input where max_tokens runs out, on a character boundary', async () => {
    const input = largeInput(1024 * 1024);
    const events = await streamed({
      tools: [eagerTool],
      messages: [{ role: 'user', content: script(input) }],
    });
    expect(shapeOf(events)).toEqual(EXPECTED_SHAPE);
    expect(events.at(-2)).toMatchObject({ delta: { stop_reason: 'max_tokens' } });
    const sent = inputOf(events);
    const whole = JSON.stringify(input);
    expect(whole.startsWith(sent)).toBe(true);
    // Every one of the 128,000 tokens is used, and one more character would not fit.
    expect(events.at(-2)).toMatchObject({ usage: { output_tokens: 128_000 } });
    expect(tokensInText(whole.slice(0, sent.length + 1))).toBeGreaterThan(tokensInText(sent));
  });

  it('reaches the AWS SDK whole over Bedrock event-stream, at JSON token boundaries', async () => {
    const input = largeInput(200 * 1024);
    const client = new BedrockRuntimeClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: {
        accessKeyId: emulator.auth.credentials.awsAccessKeyId,
        secretAccessKey: emulator.auth.credentials.awsSecretAccessKey,
      },
      maxAttempts: 1,
    });
    const answer = await client.send(
      new InvokeModelWithResponseStreamCommand({
        modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        contentType: 'application/json',
        body: JSON.stringify({
          anthropic_version: 'bedrock-2023-05-31',
          max_tokens: 64_000,
          messages: [{ role: 'user', content: script(input) }],
        }),
      }),
    );
    const events: StreamEvent[] = [];
    const decoder = new TextDecoder();
    for await (const item of answer.body ?? []) {
      if (item.chunk?.bytes) events.push(JSON.parse(decoder.decode(item.chunk.bytes)));
    }
    expect(shapeOf(events)).toEqual(EXPECTED_SHAPE);
    expect(events.length).toBeGreaterThan(2_000);
    expect(JSON.parse(inputOf(events))).toEqual(input);
  });
});
