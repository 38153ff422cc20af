import {
  BedrockClient,
  ListFoundationModelsCommand,
  ListInferenceProfilesCommand,
} from '@aws-sdk/client-bedrock';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BedrockStreamDecoder } from '../platforms/bedrock/bedrock-stream-decoder.js';
import type { UpstreamStreamItem } from '../platforms/types.js';
import { readJson } from '../test-support/json.js';
import { type RunningEmulator, startEmulator } from './server.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, serveRetired: true });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.state.reset());

const anthropicHeaders = {
  'content-type': 'application/json',
  'x-api-key': 'sk-ant-emulator',
  'anthropic-version': '2023-06-01',
};
const bedrockHeaders = { 'content-type': 'application/json', authorization: 'Bearer emulator-bedrock-key' };

function anthropic(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${emulator.url}/v1/messages`, {
    method: 'POST',
    headers: { ...anthropicHeaders, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function bedrock(modelId: string, body: unknown, operation = 'invoke') {
  return fetch(`${emulator.url}/model/${modelId}/${operation}`, {
    method: 'POST',
    headers: bedrockHeaders,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Reads an SSE body into [event, data] pairs. */
async function sseEvents(response: Response): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}');
      return { event, data };
    });
}

/** A Bedrock event-stream body read with the gateway's own decoder: its items, and the invocation metrics. */
async function bedrockEvents(response: Response) {
  const decoder = new BedrockStreamDecoder();
  const items: UpstreamStreamItem[] = [];
  for await (const chunk of response.body as ReadableStream<Uint8Array>) items.push(...decoder.push(chunk));
  items.push(...decoder.end());
  return { items, metrics: decoder.metrics };
}

const base = { model: 'claude-sonnet-4-5', max_tokens: 400, messages: [{ role: 'user', content: 'Hi' }] };

describe('the scripted model', () => {
  it('streams the real event order with a ping after the first block starts', async () => {
    const events = await sseEvents(await anthropic({ ...base, stream: true }));
    expect(events.map((event) => event.event).slice(0, 3)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
    ]);
    expect(events.at(-2)?.event).toBe('message_delta');
    expect(events.at(-1)?.event).toBe('message_stop');
    expect(events.every((event) => event.event === event.data['type'])).toBe(true);
  });

  it('answers with a tool call from a script in the last user message', async () => {
    const script = { tool_use: { name: 'make_file', input: { path: 'a.txt', lines: ['one', 'two'] } } };
    const response = await anthropic({
      ...base,
      messages: [{ role: 'user', content: `Make a file @emulator ${JSON.stringify(script)}` }],
    });
    const message = await readJson(response);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content.at(-1)).toMatchObject({
      type: 'tool_use',
      name: 'make_file',
      input: script.tool_use.input,
    });
  });

  it('stamps each text delta with the monotonic time it was sent, on SSE and Bedrock event-stream', async () => {
    const script = JSON.stringify({
      text: 'one two three four five six',
      chunk_chars: 6,
      delay_ms: 2,
      stamp: true,
    });
    const stampsOf = (texts: string[]) =>
      texts.map((text) => {
        const match = /^@sent=(\d+);(.*)$/s.exec(text);
        if (!match) throw new Error(`no stamp in ${JSON.stringify(text)}`);
        return { sent: BigInt(match[1] as string), text: match[2] as string };
      });
    const check = (stamps: { sent: bigint; text: string }[], before: bigint, after: bigint) => {
      expect(stamps.map((stamp) => stamp.text).join('')).toBe('one two three four five six');
      for (const [index, stamp] of stamps.entries()) {
        expect(stamp.sent > before && stamp.sent < after).toBe(true);
        // 2 ms apart: each event stamped when it went out, not all when the answer was planned.
        if (index > 0)
          expect(stamp.sent - (stamps[index - 1] as { sent: bigint }).sent >= 1_000_000n).toBe(true);
      }
    };
    let before = process.hrtime.bigint();
    const events = await sseEvents(
      await anthropic({ ...base, stream: true }, { 'x-emulator-script': script }),
    );
    check(
      stampsOf(
        events
          .filter((event) => event.event === 'content_block_delta')
          .map((event) => (event.data['delta'] as { text: string }).text),
      ),
      before,
      process.hrtime.bigint(),
    );
    before = process.hrtime.bigint();
    const { items } = await bedrockEvents(
      await bedrock(
        'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        {
          anthropic_version: 'bedrock-2023-05-31',
          max_tokens: 100,
          messages: [{ role: 'user', content: `@emulator ${script}` }],
        },
        'invoke-with-response-stream',
      ),
    );
    const texts = items.flatMap((item) =>
      item.kind === 'event' && item.event.type === 'content_block_delta'
        ? [(item.event as { delta: { text: string } }).delta.text]
        : [],
    );
    check(stampsOf(texts), before, process.hrtime.bigint());
    // Without `stamp`, the text is the text.
    const plain = await sseEvents(
      await anthropic({ ...base, stream: true }, { 'x-emulator-script': JSON.stringify({ text: 'plain' }) }),
    );
    expect(plain.some((event) => JSON.stringify(event.data).includes('@sent='))).toBe(false);
  });

  it('streams tool input at JSON token boundaries by default, as raw fragments with fine-grained streaming', async () => {
    const input = { lines_of_text: ['a long line of a poem', 'another line of the poem'], count: 12 };
    const script = JSON.stringify({ tool_use: { name: 'make_file', input }, chunk_chars: 10 });
    const fragmentsFor = async (headers: Record<string, string>) => {
      const events = await sseEvents(
        await anthropic({ ...base, stream: true }, { 'x-emulator-script': script, ...headers }),
      );
      return events
        .filter(
          (event) =>
            event.event === 'content_block_delta' &&
            (event.data['delta'] as { type: string }).type === 'input_json_delta',
        )
        .map((event) => (event.data['delta'] as { partial_json: string }).partial_json);
    };
    const standard = await fragmentsFor({});
    const fineGrained = await fragmentsFor({ 'anthropic-beta': 'fine-grained-tool-streaming-2025-05-14' });
    expect(JSON.parse(standard.join(''))).toEqual(input);
    expect(JSON.parse(fineGrained.join(''))).toEqual(input);
    // Token boundaries: no fragment ends inside a string unless the string ends with it.
    const tokenBoundary = (prefix: string) => (prefix.match(/(?<!\\)"/g)?.length ?? 0) % 2 === 0;
    let prefix = '';
    for (const fragment of standard) {
      prefix += fragment;
      expect(tokenBoundary(prefix)).toBe(true);
    }
    prefix = '';
    const cutInsideStrings = fineGrained.filter((fragment) => {
      prefix += fragment;
      return !tokenBoundary(prefix);
    });
    expect(cutInsideStrings.length).toBeGreaterThan(0);
  });

  it('streams invalid JSON as given and stops mid-parameter at max_tokens', async () => {
    const raw = '{"lines_of_text": ["one", "two", tru';
    const script = JSON.stringify({ tool_use: { name: 'make_file', raw_input: raw } });
    const events = await sseEvents(
      await anthropic(
        { ...base, stream: true },
        { 'x-emulator-script': script, 'anthropic-beta': 'fine-grained-tool-streaming-2025-05-14' },
      ),
    );
    const streamed = events
      .filter((event) => (event.data['delta'] as { type?: string } | undefined)?.type === 'input_json_delta')
      .map((event) => (event.data['delta'] as { partial_json: string }).partial_json)
      .join('');
    expect(streamed).toBe(raw);

    const long = {
      lines_of_text: Array.from({ length: 40 }, (_, index) => `line number ${index} of the poem`),
    };
    const cut = await sseEvents(
      await anthropic(
        { ...base, max_tokens: 30, stream: true },
        {
          'x-emulator-script': JSON.stringify({ tool_use: { name: 'make_file', input: long } }),
          'anthropic-beta': 'fine-grained-tool-streaming-2025-05-14',
        },
      ),
    );
    const partial = cut
      .filter((event) => (event.data['delta'] as { type?: string } | undefined)?.type === 'input_json_delta')
      .map((event) => (event.data['delta'] as { partial_json: string }).partial_json)
      .join('');
    expect(() => JSON.parse(partial)).toThrow();
    expect(JSON.stringify(long).startsWith(partial)).toBe(true);
    const delta = cut.find((event) => event.event === 'message_delta')?.data ?? {};
    expect(delta['delta']).toMatchObject({ stop_reason: 'max_tokens' });
    expect(delta['usage']).toMatchObject({ output_tokens: 30 });
  });

  it('cuts text at max_tokens and at a stop sequence', async () => {
    const short = await readJson(await anthropic({ ...base, max_tokens: 5 }));
    expect(short.stop_reason).toBe('max_tokens');
    expect(short.usage.output_tokens).toBe(5);
    expect(short.content[0].text.length).toBeLessThanOrEqual(20);
    const stopped = await readJson(await anthropic({ ...base, stop_sequences: ['emulator'] }));
    expect(stopped.stop_reason).toBe('stop_sequence');
    expect(stopped.stop_sequence).toBe('emulator');
    expect(stopped.content[0].text).toBe('Hello from the claude-gateway ');
  });

  it('thinks when asked, with a signature that only its platform accepts back', async () => {
    const thinking = { type: 'enabled', budget_tokens: 1024 };
    const first = await readJson(await anthropic({ ...base, max_tokens: 2000, thinking }));
    expect(first.content[0].type).toBe('thinking');
    expect(first.content[0].signature).toBeTruthy();
    const followUp = {
      ...base,
      max_tokens: 2000,
      thinking,
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: 'And then?' },
      ],
    };
    expect((await anthropic(followUp)).status).toBe(200);
    const { model: _model, ...bedrockBody } = followUp;
    const onBedrock = await bedrock('us.anthropic.claude-sonnet-4-5-20250929-v1:0', {
      ...bedrockBody,
      anthropic_version: 'bedrock-2023-05-31',
    });
    expect(onBedrock.status).toBe(400);
    expect((await readJson(onBedrock)).message).toContain('Invalid `signature` in `thinking` block');
  });

  it('caches prompt prefixes: a write, then a read', async () => {
    const system = [
      { type: 'text', text: 'You are helpful. '.repeat(400), cache_control: { type: 'ephemeral' } },
    ];
    const first = await readJson(await anthropic({ ...base, system }));
    const second = await readJson(await anthropic({ ...base, system }));
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(1000);
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
  });

  it('takes scripts queued through the control API first', async () => {
    await fetch(`${emulator.url}/_emulator/scripts`, {
      method: 'POST',
      body: JSON.stringify({ platform: 'anthropic', script: { text: 'Queued answer.' } }),
    });
    expect((await readJson(await anthropic(base))).content[0].text).toBe('Queued answer.');
    expect((await readJson(await anthropic(base))).content[0].text).not.toBe('Queued answer.');
  });
});

describe('Bedrock', () => {
  it('carries the invocation metrics on the last chunk and x-amzn-bedrock headers on whole answers', async () => {
    const body = {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'x' }],
    };
    const whole = await bedrock('us.anthropic.claude-sonnet-4-5-20250929-v1:0', body);
    expect(Number(whole.headers.get('x-amzn-bedrock-input-token-count'))).toBeGreaterThan(0);
    expect(Number(whole.headers.get('x-amzn-bedrock-output-token-count'))).toBeGreaterThan(0);
    const streamed = await bedrock(
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      body,
      'invoke-with-response-stream',
    );
    expect(streamed.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
    const { items, metrics } = await bedrockEvents(streamed);
    const last = items.at(-1);
    expect(last?.kind).toBe('event');
    if (last?.kind !== 'event') throw new Error('no event');
    expect(last.event.type).toBe('message_stop');
    expect(metrics?.outputTokens).toBeGreaterThan(0);
  });

  it('rejects `model`/`stream` in the body, eager_input_streaming, a missing anthropic_version and unknown betas', async () => {
    const good = {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'x' }],
    };
    const cases: [unknown, string][] = [
      [{ ...good, model: 'x' }, 'extraneous key [model]'],
      [{ ...good, anthropic_version: undefined }, 'required key [anthropic_version]'],
      [
        { ...good, tools: [{ name: 't', input_schema: { type: 'object' }, eager_input_streaming: true }] },
        'eager_input_streaming',
      ],
      [{ ...good, anthropic_beta: ['web-search-2025-03-05'] }, 'invalid beta flag'],
      ['{"not json', 'Malformed input request'],
    ];
    for (const [body, text] of cases) {
      const response = await bedrock('us.anthropic.claude-sonnet-4-5-20250929-v1:0', body);
      expect(response.status).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toMatch(/^ValidationException:/);
      expect((await readJson(response)).message).toContain(text);
    }
    const accepted = await bedrock('us.anthropic.claude-sonnet-4-5-20250929-v1:0', {
      ...good,
      anthropic_beta: ['fine-grained-tool-streaming-2025-05-14', 'context-1m-2025-08-07'],
    });
    expect(accepted.status).toBe(200);
  });

  it('answers a body over 25,000,000 bytes with ValidationException and keeps serving', async () => {
    const huge = 'x'.repeat(25_000_001);
    const response = await bedrock('us.anthropic.claude-sonnet-4-5-20250929-v1:0', huge);
    expect(response.status).toBe(400);
    expect((await readJson(response)).message).toContain('25000000');
    expect((await fetch(`${emulator.url}/_emulator/health`)).status).toBe(200);
  });

  it('counts tokens from the base64 InvokeModel body, equal to the invocation usage', async () => {
    const body = {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'count me' }],
    };
    const counted = await bedrock(
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      { input: { invokeModel: { body: Buffer.from(JSON.stringify(body)).toString('base64') } } },
      'count-tokens',
    );
    const invoked = await readJson(await bedrock('us.anthropic.claude-sonnet-4-5-20250929-v1:0', body));
    expect((await readJson(counted)).inputTokens).toBe(invoked.usage.input_tokens);
  });

  it('lists foundation models and inference profiles to the real AWS SDK, and answers STS', async () => {
    const credentials = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' };
    const control = new BedrockClient({
      endpoint: emulator.url,
      region: 'eu-west-1',
      credentials,
      maxAttempts: 1,
    });
    const models = await control.send(new ListFoundationModelsCommand({ byProvider: 'anthropic' }));
    expect(models.modelSummaries?.map((model) => model.modelId)).toContain(
      'anthropic.claude-opus-4-1-20250805-v1:0',
    );
    const profiles = await control.send(
      new ListInferenceProfilesCommand({ typeEquals: 'SYSTEM_DEFINED', maxResults: 5 }),
    );
    expect(profiles.inferenceProfileSummaries?.length).toBe(5);
    expect(profiles.nextToken).toBeTruthy();
    const all = [];
    let nextToken: string | undefined;
    do {
      const page = await control.send(new ListInferenceProfilesCommand({ maxResults: 5, nextToken }));
      all.push(...(page.inferenceProfileSummaries ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    const ids = all.map((profile) => profile.inferenceProfileId);
    expect(ids).toContain('eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(ids).toContain('global.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(ids).not.toContain('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    const sts = new STSClient({ endpoint: emulator.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('123456789012');
  });
});

describe('Vertex', () => {
  async function token() {
    const response = await fetch(
      `${emulator.url}/computeMetadata/v1/instance/service-accounts/default/token`,
      {
        headers: { 'metadata-flavor': 'Google' },
      },
    );
    return (await readJson(response)).access_token as string;
  }
  const path = (model: string, method = 'rawPredict', location = 'us-east5') =>
    `${emulator.url}/v1/projects/emulator-project/locations/${location}/publishers/anthropic/models/${model}:${method}`;

  it('rejects a body without anthropic_version vertex-2023-10-16 and betas Vertex does not know', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${await token()}` };
    const body = { max_tokens: 10, messages: [{ role: 'user', content: 'x' }] };
    const noVersion = await fetch(path('claude-sonnet-4-5@20250929'), {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    expect(noVersion.status).toBe(400);
    expect((await readJson(noVersion)).error.message).toContain('vertex-2023-10-16');
    const withBeta = await fetch(path('claude-sonnet-4-5@20250929'), {
      method: 'POST',
      headers: { ...headers, 'anthropic-beta': 'files-api-2025-04-14' },
      body: JSON.stringify({ ...body, anthropic_version: 'vertex-2023-10-16' }),
    });
    expect(withBeta.status).toBe(400);
    expect((await readJson(withBeta)).error.message).toBe(
      'Unexpected value(s) `files-api-2025-04-14` for the `anthropic-beta` header. Please consult our documentation at docs.anthropic.com or try again without the header.',
    );
  });

  it('answers unknown models with 404 NOT_FOUND and tokens it did not issue with 401', async () => {
    const body = JSON.stringify({
      anthropic_version: 'vertex-2023-10-16',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'x' }],
    });
    const unknown = await fetch(path('claude-imaginary@20990101'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token()}` },
      body,
    });
    expect(unknown.status).toBe(404);
    expect((await readJson(unknown)).error.status).toBe('NOT_FOUND');
    const forged = await fetch(path('claude-sonnet-4-5@20250929'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ya29.forged' },
      body,
    });
    expect(forged.status).toBe(401);
    expect((await readJson(forged)).error.status).toBe('UNAUTHENTICATED');
  });
});

describe('faults', () => {
  const addFault = (fault: Record<string, unknown>) =>
    fetch(`${emulator.url}/_emulator/faults`, { method: 'POST', body: JSON.stringify(fault) });

  it("answers an HTTP error in each platform's own shape, limited by count and scoped by platform", async () => {
    await addFault({ kind: 'http', platform: 'bedrock', status: 429, count: 2 });
    await addFault({ kind: 'http', platform: 'vertex', status: 429 });
    const body = {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'x' }],
    };
    expect((await anthropic(base)).status).toBe(200);
    for (let attempt = 0; attempt < 2; attempt++) {
      const throttled = await bedrock('us.anthropic.claude-sonnet-4-5-20250929-v1:0', body);
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('x-amzn-errortype')).toMatch(/^ThrottlingException:/);
    }
    expect((await bedrock('us.anthropic.claude-sonnet-4-5-20250929-v1:0', body)).status).toBe(200);
    const faults = (await readJson(await fetch(`${emulator.url}/_emulator/faults`))).faults;
    expect(faults.map((fault: { platform: string }) => fault.platform)).toEqual(['vertex']);
  });

  it('resets the connection before headers', async () => {
    await addFault({ kind: 'reset-before-headers', platform: 'anthropic' });
    await expect(anthropic(base)).rejects.toThrow();
    expect((await anthropic(base)).status).toBe(200);
  });

  it('resets mid-stream after the given number of events', async () => {
    await addFault({ kind: 'reset-mid-stream', platform: 'anthropic', afterEvents: 2 });
    const response = await anthropic({ ...base, stream: true });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('sends an in-stream error: an SSE error event, or a Bedrock exception frame', async () => {
    await addFault({ kind: 'stream-error', platform: 'anthropic', status: 529, afterEvents: 2 });
    const events = await sseEvents(await anthropic({ ...base, stream: true }));
    expect(events.map((event) => event.event)).toEqual(['message_start', 'content_block_start', 'error']);
    expect(events[2]?.data).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });

    await addFault({
      kind: 'stream-error',
      platform: 'bedrock',
      errorType: 'throttlingException',
      message: 'Too many tokens, slow down',
      afterEvents: 1,
    });
    const body = {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'x' }],
    };
    const { items } = await bedrockEvents(
      await bedrock('us.anthropic.claude-sonnet-4-5-20250929-v1:0', body, 'invoke-with-response-stream'),
    );
    expect(items.at(-1)).toMatchObject({
      kind: 'error',
      error: { status: 429, upstreamCode: 'ThrottlingException', message: 'Too many tokens, slow down' },
    });
  });

  it('stalls a stream until the client gives up', async () => {
    await addFault({ kind: 'stall', platform: 'anthropic', afterEvents: 1 });
    const controller = new AbortController();
    const response = await anthropic({ ...base, stream: true }, {});
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    const next = Promise.race([
      reader.read().then(() => 'data'),
      new Promise((resolve) => setTimeout(() => resolve('stalled'), 300)),
    ]);
    expect(await next).toBe('stalled');
    controller.abort();
    await reader.cancel();
  });

  it('rejects a malformed fault with a message naming the field', async () => {
    const response = await addFault({ kind: 'explode' });
    expect(response.status).toBe(400);
    expect((await readJson(response)).error).toContain('kind');
  });
});

describe('bad input never crashes the emulator', () => {
  it('answers malformed JSON, wrong content types, unknown paths and missing fields in each dialect', async () => {
    const badJson = await anthropic('{"model":');
    expect(badJson.status).toBe(400);
    expect((await readJson(badJson)).error.type).toBe('invalid_request_error');
    const wrongType = await anthropic(JSON.stringify(base), { 'content-type': 'text/plain' });
    expect(wrongType.status).toBe(400);
    const missing = await anthropic({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect((await readJson(missing)).error.message).toBe('max_tokens: Field required');
    const noVersion = await fetch(`${emulator.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-ant-emulator' },
      body: JSON.stringify(base),
    });
    expect((await readJson(noVersion)).error.message).toBe('anthropic-version: header is required');
    const unknownPath = await fetch(`${emulator.url}/v2/nothing`);
    expect(unknownPath.status).toBe(404);
    expect((await readJson(unknownPath)).error.type).toBe('not_found_error');
    const unknownModel = await anthropic({ ...base, model: 'claude-imaginary' });
    expect(unknownModel.status).toBe(404);
    // Nested deeper than any recursive walk survives: a 400, not a stack overflow.
    const deep = `{"model":"claude-sonnet-4-5","max_tokens":5,"messages":[{"role":"user","content":${'[{"type":"text","text":"a","x":'.repeat(3000)}1${'}]'.repeat(3000)}}]}`;
    const tooDeep = await anthropic(deep);
    expect(tooDeep.status).toBe(400);
    expect((await readJson(tooDeep)).error.message).toMatch(/more than 512 levels deep/);
    expect((await fetch(`${emulator.url}/_emulator/health`)).status).toBe(200);
  });

  it("answers each platform's 400 for malformed content and system blocks, never a 500", async () => {
    const tokenResponse = await fetch(
      `${emulator.url}/computeMetadata/v1/instance/service-accounts/default/token`,
      { headers: { 'metadata-flavor': 'Google' } },
    );
    const vertexToken = (await readJson(tokenResponse)).access_token as string;
    const vertexPath = (model: string, method: string) =>
      `${emulator.url}/v1/projects/emulator-project/locations/global/publishers/anthropic/models/${model}:${method}`;
    const malformed: [Record<string, unknown>, RegExp][] = [
      [
        { messages: [{ role: 'user', content: [null] }] },
        /^messages\.0\.content\.0: Input should be a valid dictionary/,
      ],
      [
        { messages: [{ role: 'user', content: [5] }] },
        /^messages\.0\.content\.0: Input should be a valid dictionary/,
      ],
      [
        { messages: [{ role: 'user', content: ['text'] }] },
        /^messages\.0\.content\.0: Input should be a valid dictionary/,
      ],
      [
        { messages: [{ role: 'user', content: [[]] }] },
        /^messages\.0\.content\.0: Input should be a valid dictionary/,
      ],
      [{ messages: [{ role: 'user', content: [{ type: 5 }] }] }, /^messages\.0\.content\.0: Input tag '5'/],
      [
        { messages: [{ role: 'user', content: [{ text: 'no type' }] }] },
        /^messages\.0\.content\.0: Unable to extract tag/,
      ],
      [
        { messages: [{ role: 'user', content: [{ type: 'text', text: null }] }] },
        /^messages\.0\.content\.0\.text:/,
      ],
      [
        { messages: [{ role: 'user', content: 'ok' }], system: [null] },
        /^system\.0: Input should be a valid dictionary/,
      ],
      [
        { messages: [{ role: 'user', content: 'ok' }], system: [{ type: null }] },
        /^system\.0: Input tag 'null'/,
      ],
      [{ messages: [{ role: 'user', content: 'ok' }], system: 5 }, /^system: Input should be a valid string/],
    ];
    for (const [fields, message] of malformed) {
      const label = JSON.stringify(fields);
      const answers: [string, Response][] = [];
      for (const stream of [false, true]) {
        answers.push([`anthropic ${stream}`, await anthropic({ ...base, ...fields, stream })]);
      }
      answers.push([
        'anthropic count_tokens',
        await fetch(`${emulator.url}/v1/messages/count_tokens`, {
          method: 'POST',
          headers: anthropicHeaders,
          body: JSON.stringify({ model: 'claude-sonnet-4-5', ...fields }),
        }),
      ]);
      const bedrockBody = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 50, ...fields };
      for (const operation of ['invoke', 'invoke-with-response-stream']) {
        answers.push([
          `bedrock ${operation}`,
          await bedrock('global.anthropic.claude-sonnet-4-5-20250929-v1:0', bedrockBody, operation),
        ]);
      }
      answers.push([
        'bedrock count-tokens',
        await bedrock(
          'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
          { input: { invokeModel: { body: Buffer.from(JSON.stringify(bedrockBody)).toString('base64') } } },
          'count-tokens',
        ),
      ]);
      const vertexBody = { anthropic_version: 'vertex-2023-10-16', max_tokens: 50, ...fields };
      for (const [model, method, body] of [
        ['claude-sonnet-4-5@20250929', 'rawPredict', vertexBody],
        ['claude-sonnet-4-5@20250929', 'streamRawPredict', { ...vertexBody, stream: true }],
        ['count-tokens', 'rawPredict', { ...vertexBody, model: 'claude-sonnet-4-5@20250929' }],
      ] as const) {
        answers.push([
          `vertex ${model}:${method}`,
          await fetch(vertexPath(model, method), {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${vertexToken}` },
            body: JSON.stringify(body),
          }),
        ]);
      }
      for (const [where, response] of answers) {
        expect(response.status, `${where} ${label}`).toBe(400);
        const json = await readJson(response);
        if (where.startsWith('bedrock')) {
          expect(response.headers.get('x-amzn-errortype'), where).toMatch(/^ValidationException:/);
          expect(json.message, `${where} ${label}`).toMatch(message);
        } else {
          expect(json, where).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
          expect(json.error.message, `${where} ${label}`).toMatch(message);
        }
      }
    }
    expect((await fetch(`${emulator.url}/_emulator/health`)).status).toBe(200);
  });

  it('lists what arrived, with credentials masked', async () => {
    await anthropic(base);
    const { requests } = await readJson(await fetch(`${emulator.url}/_emulator/requests`));
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      platform: 'anthropic',
      operation: 'messages',
      model: 'claude-sonnet-4-5',
      status: 200,
    });
    expect(requests[0].headers['x-api-key']).not.toContain('emulator');
  });
});
