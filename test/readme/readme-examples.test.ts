/**
 * The README's library examples, run as written against the emulator, so the
 * README stays true (only the platform settings point at the emulator).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  buildInvalidToolResult,
  Claude,
  continueWithLargerMaxTokens,
  type RunningEmulator,
  startEmulator,
  stoppedMidToolInput,
} from '../../src/index.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, serveRetired: true });
});
afterAll(async () => {
  await emulator.close();
});

it('runs the fine-grained tool streaming example', async () => {
  const claude = new Claude({
    platform: 'anthropic',
    platforms: { anthropic: { baseUrl: emulator.url, apiKey: 'sk-ant-emulator' } },
  });
  const raw = '{"lines_of_text": ["one", "two", tru';
  const request = {
    model: 'sonnet',
    max_tokens: 2048,
    betas: ['fine-grained-tool-streaming-2025-05-14'],
    tools: [
      {
        name: 'make_file',
        description: 'Write a file',
        input_schema: {
          type: 'object',
          properties: { lines_of_text: { type: 'array', items: { type: 'string' } } },
        },
      },
    ],
    messages: [
      {
        role: 'user',
        content: `Write a long poem into poem.txt @emulator ${JSON.stringify({ tool_use: { name: 'make_file', raw_input: raw } })}`,
      },
    ],
  };
  const snapshots: unknown[] = [];
  const stream = claude.messages.stream(request);
  stream.on('inputJson', (_fragment, snapshot) => snapshots.push(JSON.parse(JSON.stringify(snapshot))));
  const message = await stream.finalMessage();
  expect(snapshots.length).toBeGreaterThan(1);
  expect(snapshots.at(-1)).toEqual({ lines_of_text: ['one', 'two'] });
  expect(stoppedMidToolInput(message)).toBeUndefined();
  const invalid = stream.invalidToolInputs();
  expect(invalid).toHaveLength(1);
  const first = invalid[0];
  if (!first) throw new Error('no invalid input');
  expect(first.rawJson).toBe(raw);
  const toolResult = buildInvalidToolResult(first.id, first.rawJson);
  expect(toolResult).toMatchObject({ type: 'tool_result', tool_use_id: first.id, is_error: true });
  expect(JSON.stringify(toolResult)).toContain('INVALID_JSON');
  const retry = continueWithLargerMaxTokens(request);
  expect(retry?.max_tokens).toBe(4096);
  await claude.close();
});

it('runs the create / stream / countTokens example', async () => {
  const claude = new Claude({
    platform: 'bedrock',
    region: 'us-west-2',
    platforms: {
      bedrock: { endpoint: emulator.url, accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' },
    },
  });
  const message = await claude.messages.create({
    model: 'sonnet',
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Hello, world' }],
  });
  expect(JSON.stringify(message.content)).toContain('Hello, world');
  const [first] = message.content;
  if (first?.type !== 'text') throw new Error(`the answer starts with ${String(first?.type)}`);
  expect(first.text).toContain('Hello, world');
  const stream = claude.messages.stream({
    model: 'claude-haiku-4-5',
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Tell me a story' }],
  });
  let text = '';
  stream.on('text', (delta) => {
    text += delta;
  });
  const final = await stream.finalMessage();
  expect(text.length).toBeGreaterThan(0);
  expect(final.stop_reason).toBe('end_turn');
  const { input_tokens } = await claude.messages.countTokens({
    model: 'sonnet',
    messages: [{ role: 'user', content: 'Hi' }],
  });
  expect(input_tokens).toBeGreaterThan(0);
  await claude.close();
});
