/**
 * Bad input in each dialect: a 4xx in the ingress dialect's own shape whose
 * message says what to fix, nothing sent upstream, every request in the
 * activity log, the gateway still serving, and no upstream credential in any
 * answer, log row or log line.
 */

import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { BedrockRuntimeClient, CountTokensCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf, startTestGateway, type TestGateway, UPSTREAM_SECRETS } from '../test-support/gateway.js';
import { readJson } from '../test-support/json.js';

let setup: TestGateway;
/** Every answer the tests received, headers and body, to search for credentials at the end. */
const answers: string[] = [];
const requestIds: string[] = [];
/** How many good requests the tests sent: only these may reach the emulator. */
let goodRequests = 0;

beforeAll(async () => {
  setup = await startTestGateway({ config: { server: { maxBodyBytes: 4096 } } });
});
afterAll(async () => {
  await setup.close();
});

type Dialect = 'anthropic' | 'bedrock' | 'vertex';

const PATHS: Record<Dialect, string> = {
  anthropic: '/v1/messages',
  bedrock: '/model/global.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke',
  vertex: '/v1/projects/p/locations/global/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict',
};

/** A valid body for a dialect, with fields replaced or removed. */
function body(dialect: Dialect, changes: Record<string, unknown> = {}): string {
  const base: Record<string, unknown> = {
    max_tokens: 100,
    messages: [{ role: 'user', content: 'hello' }],
    ...(dialect === 'anthropic' ? { model: 'claude-sonnet-4-5' } : {}),
    ...(dialect === 'bedrock' ? { anthropic_version: 'bedrock-2023-05-31' } : {}),
    ...(dialect === 'vertex' ? { anthropic_version: 'vertex-2023-10-16' } : {}),
  };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete base[key];
    else base[key] = value;
  }
  return JSON.stringify(base);
}

interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown> & { error?: { type?: string; message?: string; status?: string } };
  message: string;
}

async function send(
  method: string,
  path: string,
  payload?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${setup.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
    ...(payload !== undefined ? { body: payload } : {}),
  });
  const text = await response.text();
  answers.push(JSON.stringify([...response.headers]), text);
  const id = response.headers.get('x-claude-gateway-request-id');
  if (id) requestIds.push(id);
  let json: Answer['json'] = {};
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: the assertions on the shape say so
  }
  const message = String(json.error?.message ?? (json as { message?: unknown }).message ?? '');
  return { status: response.status, headers: response.headers, json, message };
}

/** Checks an error is in the dialect's own shape. */
function expectDialectShape(dialect: Dialect, answer: Answer, status: number): void {
  if (dialect === 'bedrock') {
    expect(answer.headers.get('x-amzn-errortype')).toMatch(/^[A-Za-z]+Exception:/);
    expect(answer.headers.get('x-amzn-requestid')).toMatch(/^req_gw_/);
    expect(Object.keys(answer.json)).toEqual(['message']);
    expect(answer.status).toBe(status === 413 ? 400 : status);
    return;
  }
  expect(answer.status).toBe(status);
  if (dialect === 'vertex' && status === 404) {
    expect(answer.json.error).toMatchObject({ code: 404, status: 'NOT_FOUND' });
    return;
  }
  expect(answer.json).toMatchObject({ type: 'error', error: { type: expect.any(String) } });
  expect(answer.headers.get('request-id')).toMatch(/^req_gw_/);
}

const DIALECTS: Dialect[] = ['anthropic', 'bedrock', 'vertex'];

describe.each(DIALECTS)('bad input in the %s dialect', (dialect) => {
  it('says the body is not valid JSON', async () => {
    const answer = await send('POST', PATHS[dialect], '{"max_tokens": 10, "messages": [');
    expectDialectShape(dialect, answer, 400);
    expect(answer.message).toMatch(/not valid JSON/);
  });

  it('says max_tokens is required', async () => {
    const answer = await send('POST', PATHS[dialect], body(dialect, { max_tokens: undefined }));
    expectDialectShape(dialect, answer, 400);
    expect(answer.message).toMatch(/`max_tokens` is required/);
  });

  it('says messages must be a list', async () => {
    const answer = await send('POST', PATHS[dialect], body(dialect, { messages: 'hello' }));
    expectDialectShape(dialect, answer, 400);
    expect(answer.message).toMatch(/`messages` must be a list/);
  });

  it('says max_tokens must be a number', async () => {
    const answer = await send('POST', PATHS[dialect], body(dialect, { max_tokens: '100' }));
    expectDialectShape(dialect, answer, 400);
    expect(answer.message).toMatch(/`max_tokens` must be a positive whole number/);
  });

  it('says which content or system block is not an object with a string type, and sends nothing upstream', async () => {
    const before = setup.emulator.state.journal.list().length;
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { messages: [{ role: 'user', content: [null] }] },
        /`messages\[0\]\.content\[0\]` must be a content block.*got null/,
      ],
      [
        {
          messages: [
            { role: 'user', content: 'a' },
            { role: 'assistant', content: [{ type: 'text', text: 'b' }, 5] },
          ],
        },
        /`messages\[1\]\.content\[1\]` must be a content block.*got a number \(5\)/,
      ],
      [
        { messages: [{ role: 'user', content: ['text'] }] },
        /`messages\[0\]\.content\[0\]` must be a content block.*got a string/,
      ],
      [
        { messages: [{ role: 'user', content: [{ type: 5 }] }] },
        /`messages\[0\]\.content\[0\]\.type` must be a string.*got a number \(5\)/,
      ],
      [
        { messages: [{ role: 'user', content: [{ text: 'x' }] }] },
        /`messages\[0\]\.content\[0\]\.type` must be a string.*got none/,
      ],
      [{ system: [{ type: 'text', text: 'a' }, null] }, /`system\[1\]` must be a content block/],
      [{ system: 5 }, /`system` must be a string or a list of content blocks/],
    ];
    for (const [changes, message] of cases) {
      const answer = await send('POST', PATHS[dialect], body(dialect, changes));
      expectDialectShape(dialect, answer, 400);
      expect(answer.message, JSON.stringify(changes)).toMatch(message);
    }
    // Unknown block types are the platform's business: they pass the gateway.
    const unknown = await send(
      'POST',
      PATHS[dialect],
      body(dialect, {
        messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }, { type: 'future_block' }] }],
      }),
    );
    expect(unknown.status).not.toBe(500);
    expect(setup.emulator.state.journal.list().length - before).toBe(1);
    goodRequests += 1;
  });

  it('says the body nests too deeply, before anything walks it', async () => {
    let deep: unknown = 1;
    for (let level = 0; level < 600; level++) deep = [deep];
    const answer = await send('POST', PATHS[dialect], body(dialect, { metadata: deep }));
    expectDialectShape(dialect, answer, 400);
    expect(answer.message).toMatch(/more than 512 levels deep; flatten the deepest value/);
  });

  it('refuses a key given twice at any level, naming it, escaped spellings included', async () => {
    const text = body(dialect);
    const cases: [string, RegExp][] = [
      [
        text.replace('{', '{"max_tokens":5,'),
        /the top level of the body has the key "max_tokens" more than once/,
      ],
      [
        text.replace('"role":"user"', '"role":"user","ro\\u006ce":"assistant"'),
        /`messages\[0\]` has the key "role" more than once/,
      ],
      [
        body(dialect, { metadata: { user_id: 'a', tags: [{}, { k: 1 }] } }).replace('"k":1', '"k":1,"k":2'),
        /`metadata.tags\[1\]` has the key "k" more than once/,
      ],
    ];
    for (const [payload, message] of cases) {
      expect(() => JSON.parse(payload)).not.toThrow();
      const answer = await send('POST', PATHS[dialect], payload);
      expectDialectShape(dialect, answer, 400);
      expect(answer.message).toMatch(message);
    }
  });

  it('reads a gzip, deflate or brotli body, and says when the encoding is unknown or the data broken', async () => {
    const text = body(dialect);
    for (const [encoding, bytes] of [
      ['gzip', gzipSync(text)],
      ['deflate', deflateSync(text)],
      ['br', brotliCompressSync(text)],
      ['identity, gzip', gzipSync(text)],
    ] as const) {
      const answer = await send('POST', PATHS[dialect], bytes, { 'content-encoding': encoding });
      expect(answer.status, encoding).toBe(200);
      expect(answer.json['type']).toBe('message');
      goodRequests += 1;
    }
    const unknown = await send('POST', PATHS[dialect], text, { 'content-encoding': 'compress' });
    expectDialectShape(dialect, unknown, dialect === 'bedrock' ? 400 : 415);
    expect(unknown.message).toMatch(
      /Content-Encoding "compress".*Send it uncompressed or as gzip, deflate, br/,
    );
    const broken = await send('POST', PATHS[dialect], text, { 'content-encoding': 'gzip' });
    expectDialectShape(dialect, broken, 400);
    expect(broken.message).toMatch(/not valid gzip data/);
  });

  it('applies the body limit to the decoded size (a small gzip that expands past it)', async () => {
    const bomb = gzipSync(body(dialect, { messages: [{ role: 'user', content: 'x'.repeat(100_000) }] }));
    expect(bomb.length).toBeLessThan(4096);
    const answer = await send('POST', PATHS[dialect], bomb, { 'content-encoding': 'gzip' });
    expectDialectShape(dialect, answer, 413);
    expect(answer.message).toMatch(/larger than the limit of 4096 bytes/);
  });

  it('says the body is over the limit', async () => {
    const answer = await send(
      'POST',
      PATHS[dialect],
      body(dialect, { messages: [{ role: 'user', content: 'x'.repeat(5000) }] }),
    );
    expectDialectShape(dialect, answer, 413);
    expect(answer.message).toMatch(/larger than the limit of 4096 bytes/);
  });

  it('says nothing is served at an unknown path', async () => {
    const path = {
      anthropic: '/v1/messages/batches/nope',
      bedrock: '/model/global.anthropic.claude-sonnet-4-5-20250929-v1:0/converse-nope',
      vertex: '/v1/projects/p/locations/global/publishers/anthropic/models/claude-sonnet-4-5:predictNope',
    }[dialect];
    const answer = await send('POST', path, body(dialect));
    expectDialectShape(dialect, answer, 404);
    expect(answer.message).toContain(path);
  });
});

describe('model mistakes', () => {
  it('says the Anthropic model must be a string', async () => {
    const answer = await send('POST', PATHS.anthropic, body('anthropic', { model: 42 }));
    expectDialectShape('anthropic', answer, 400);
    expect(answer.message).toMatch(/`model` must be a string, got 42/);
  });

  it('says a model name is too long or holds characters no model id has, in each dialect', async () => {
    const long = await send('POST', PATHS.anthropic, body('anthropic', { model: 'x'.repeat(3000) }));
    expectDialectShape('anthropic', long, 400);
    expect(long.message).toMatch(/`model` is 3000 characters long; model ids are at most 2048/);
    const spaced = await send('POST', PATHS.anthropic, body('anthropic', { model: 'claude\r\nx-evil: 1' }));
    expectDialectShape('anthropic', spaced, 400);
    expect(spaced.message).toMatch(/has spaces or characters model ids never have/);
    const bedrock = await send('POST', '/model/claude%20sonnet/invoke', body('bedrock'));
    expectDialectShape('bedrock', bedrock, 400);
    expect(bedrock.message).toMatch(/The model id in the path "claude sonnet" has spaces/);
    const vertex = await send(
      'POST',
      '/v1/projects/p/locations/global/publishers/anthropic/models/claude%0Asonnet:rawPredict',
      body('vertex'),
    );
    expectDialectShape('vertex', vertex, 400);
    expect(vertex.message).toMatch(/The model in the path "claude\\nsonnet" has spaces/);
  });

  it('says the Anthropic model is missing', async () => {
    const answer = await send('POST', PATHS.anthropic, body('anthropic', { model: undefined }));
    expectDialectShape('anthropic', answer, 400);
    expect(answer.message).toMatch(/names no model/);
  });

  it('says the Vertex count-tokens model must be in the body', async () => {
    const answer = await send(
      'POST',
      '/v1/projects/p/locations/global/publishers/anthropic/models/count-tokens:rawPredict',
      body('vertex', { model: 7 }),
    );
    expectDialectShape('vertex', answer, 400);
    expect(answer.message).toMatch(/needs `model` in the body/);
  });

  it('says what CountTokens needs when the Bedrock body lacks input.invokeModel.body', async () => {
    const answer = await send(
      'POST',
      '/model/global.anthropic.claude-sonnet-4-5-20250929-v1:0/count-tokens',
      JSON.stringify({ input: { invokeModel: {} } }),
    );
    expectDialectShape('bedrock', answer, 400);
    expect(answer.headers.get('x-amzn-errortype')).toMatch(/^ValidationException:/);
    expect(answer.message).toContain('"invokeModel": {"body"');
  });

  it('raises a malformed Converse CountTokens input as ValidationException in the AWS SDK, naming the field', async () => {
    const client = new BedrockRuntimeClient({
      endpoint: setup.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDANY', secretAccessKey: 'unused' },
      maxAttempts: 1,
    });
    const error = await failureOf(
      client.send(
        new CountTokensCommand({
          modelId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
          input: {
            converse: {
              messages: [
                {
                  role: 'user',
                  content: [{ video: { format: 'mp4', source: { bytes: new Uint8Array([1]) } } }],
                },
              ],
            },
          },
        }),
      ),
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain('messages.0.content.0.video is not supported');
  });

  it('says a Bedrock method is wrong (GET on invoke)', async () => {
    const answer = await send('GET', PATHS.bedrock);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.headers.get('x-amzn-errortype')).toBeTruthy();
  });
});

describe('after all that', () => {
  it('keeps serving', async () => {
    for (const dialect of DIALECTS) {
      const answer = await send('POST', PATHS[dialect], body(dialect));
      expect(answer.status).toBe(200);
      expect(JSON.stringify(answer.json)).toContain('hello');
      goodRequests += 1;
    }
  });

  it('sent none of the bad requests upstream', () => {
    const journal = setup.emulator.state.journal.list().filter((entry) => entry.platform !== 'google');
    // Only the good requests (and their token fetches) reached the emulator.
    expect(goodRequests).toBe(3 * 5 + 3);
    expect(journal.filter((entry) => entry.operation !== 'token')).toHaveLength(goodRequests);
  });

  it('logged every request, with its status and error', async () => {
    const rows = await setup.requests();
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const id of requestIds) {
      const row = byId.get(id);
      expect(row, `activity row for ${id}`).toBeDefined();
      expect(row?.status).toBeGreaterThan(0);
      if ((row?.status ?? 0) >= 400) expect(row?.errorMessage).toBeTruthy();
    }
    expect(requestIds.length).toBeGreaterThanOrEqual(3 * 17 + 5 + 3);
  });

  it('never shows an upstream credential to a client, in the log rows or in log lines', async () => {
    const rows = JSON.stringify(await setup.requests());
    const everything = [...answers, rows, JSON.stringify(setup.logs)].join('\n');
    for (const secret of UPSTREAM_SECRETS) expect(everything).not.toContain(secret);
    const privateKey = (setup.emulator.auth.serviceAccountJson('x') as { private_key: string }).private_key;
    expect(everything).not.toContain(privateKey.split('\n')[1]);
  });
});

describe('a listing or health request with a bad method', () => {
  it('answers 404 in the Anthropic shape for POST /v1/models', async () => {
    const answer = await send('POST', '/v1/models', '{}');
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });

  it('answers a Bedrock listing path it does not know in the Bedrock shape', async () => {
    const response = await fetch(`${setup.url}/inference-profiles/nope/deeper`);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^ResourceNotFoundException:/);
    expect(await readJson(response)).toHaveProperty('message');
  });
});
