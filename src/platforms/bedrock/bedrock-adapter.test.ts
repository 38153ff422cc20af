import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { bedrockModelId, resolveModel } from '../../catalog/resolve.js';
import { awsCredentialLookup, awsCredentialRecord } from '../../emulator/auth/aws-credentials.js';
import { verifySigV4 } from '../../emulator/auth/sigv4.js';
import { encodeBedrockChunk } from '../../wire/bedrock-chunk.js';
import { encodeEventStreamMessage } from '../../wire/eventstream.js';
import {
  type CannedResponse,
  type RecordedRequest,
  type StubServer,
  signedRequestOf,
  startStubServer,
} from '../aws/__fixtures__/stub-server.js';
import type { AwsCredentials } from '../aws/aws-credentials.js';
import { HttpTransport } from '../transport.js';
import type { MessagesCall, ResolvedTarget, UpstreamStreamItem } from '../types.js';
import { BedrockAdapter } from './bedrock-adapter.js';
import { metricsFromBedrockHeaders } from './bedrock-metrics.js';
import { bedrockDescriptor } from './descriptor.js';

const credentials: AwsCredentials = { accessKeyId: 'AKIDADAPTER', secretAccessKey: 'adapter-secret' };
const lookupCredential = awsCredentialLookup([
  awsCredentialRecord({ ...credentials, account: '123456789012' }),
]);
const resolved = resolveModel('claude-sonnet-4-5');
const target: ResolvedTarget = {
  platform: 'bedrock',
  region: 'us-west-2',
  scope: 'us',
  modelId: bedrockModelId(resolved, 'us'),
  resolved,
};
const ENCODED_MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1%3A0';

function messagesCall(stream: boolean, overrides: Partial<MessagesCall> = {}): MessagesCall {
  return {
    body: {
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }] },
      ],
      stream,
      tools: [{ name: 'write', input_schema: { type: 'object' }, eager_input_streaming: true }],
      unknown_future_field: true,
    },
    stream,
    betas: ['interleaved-thinking-2025-05-14', 'files-api-2025-04-14'],
    ...overrides,
  };
}

const streamChunks = [
  '{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":9,"output_tokens":1}}}',
  '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
  '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}',
  '{"type":"content_block_stop","index":0}',
  '{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":3}}',
].map((json) => encodeEventStreamMessage(encodeBedrockChunk(json, { paddingLength: 3 })));
const lastChunk = encodeEventStreamMessage(
  encodeBedrockChunk('{"type":"message_stop"}', {
    paddingLength: 3,
    invocationMetrics: {
      inputTokenCount: 9,
      outputTokenCount: 3,
      invocationLatency: 120,
      firstByteLatency: 40,
    },
  }),
);
const streamBytes = Buffer.concat([...streamChunks, lastChunk]);

function cannedAnswer(request: RecordedRequest): CannedResponse {
  if (request.path.endsWith('/invoke-with-response-stream')) {
    // Frames cut at arbitrary points, as the network delivers them.
    const cuts = [0, 7, 200, 201, 450, streamBytes.byteLength];
    return {
      headers: { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'req-stream' },
      body: cuts.slice(1).map((end, index) => new Uint8Array(streamBytes.subarray(cuts[index], end))),
    };
  }
  if (request.path.endsWith('/count-tokens')) return { body: '{"inputTokens":17}' };
  return {
    headers: {
      'content-type': 'application/json',
      'x-amzn-bedrock-input-token-count': '9',
      'x-amzn-bedrock-output-token-count': '3',
      'x-amzn-bedrock-invocation-latency': '120',
    },
    body: '{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"Hello"}]}',
  };
}

describe('BedrockAdapter against a stub Bedrock', () => {
  let server: StubServer;
  let transport: HttpTransport;
  let provider: ReturnType<typeof vi.fn<() => Promise<AwsCredentials>>>;
  let adapter: BedrockAdapter;

  beforeAll(async () => {
    server = await startStubServer(cannedAnswer);
    transport = new HttpTransport();
  });

  afterAll(async () => {
    await transport.close();
    await server.close();
  });

  beforeEach(() => {
    server.requests.length = 0;
    provider = vi.fn(async () => credentials);
    adapter = new BedrockAdapter({
      region: 'eu-west-1',
      endpoint: server.origin,
      apiKey: null,
      credentials: { provider },
    });
  });

  async function send(call: MessagesCall, operation: 'messages' | 'count' = 'messages') {
    const prepared =
      operation === 'count'
        ? adapter.prepareCountTokens(call, target)
        : adapter.prepareMessages(call, target);
    const response = await transport.send(await adapter.authorize(prepared.request, target), 'bedrock');
    const recorded = server.requests.at(-1);
    if (!recorded) throw new Error('the stub saw no request');
    return { prepared, response, recorded };
  }

  it('sends InvokeModel with the body edited in place, signed for the raw path', async () => {
    const { prepared, response, recorded } = await send(messagesCall(false));
    expect(recorded.method).toBe('POST');
    expect(recorded.target).toBe(`/model/${ENCODED_MODEL}/invoke`);
    expect(recorded.headers['content-type']).toBe('application/json');
    expect(recorded.headers['accept']).toBe('application/json');
    expect(JSON.parse(recorded.body.toString('utf8'))).toEqual({
      max_tokens: 64,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }] },
      ],
      tools: [{ name: 'write', input_schema: { type: 'object' } }],
      unknown_future_field: true,
      anthropic_version: 'bedrock-2023-05-31',
      anthropic_beta: ['interleaved-thinking-2025-05-14', 'fine-grained-tool-streaming-2025-05-14'],
    });
    expect(prepared.changes).toEqual([
      'rewrote:eager_input_streaming→beta',
      'dropped-beta:files-api-2025-04-14',
    ]);
    const verified = await verifySigV4(signedRequestOf(recorded), { lookupCredential, service: 'bedrock' });
    expect(verified).toMatchObject({ ok: true, region: 'us-west-2', service: 'bedrock' });
    expect(response.status).toBe(200);
    expect(metricsFromBedrockHeaders(response.headers)).toEqual({
      inputTokens: 9,
      outputTokens: 3,
      invocationLatencyMs: 120,
    });
    await response.text();
  });

  it("splices the client's bytes when the call carries them: kept values as sent, the same JSON, signed", async () => {
    const long = (): MessagesCall => {
      const call = messagesCall(false);
      call.body['system'] = 'x'.repeat(3_000);
      return call;
    };
    const plain = await send(long());
    const call = long();
    const rawBody = Buffer.from(JSON.stringify(call.body, null, 1));
    const { prepared, recorded } = await send({ ...call, rawBody });
    expect(prepared.request.body).toBeInstanceOf(Uint8Array);
    // The messages keep the client's indentation: copied, not serialized again.
    expect(recorded.body.toString('utf8')).toContain(
      JSON.stringify(call.body['messages'], null, 1).replaceAll('\n', '\n '),
    );
    expect(JSON.parse(recorded.body.toString('utf8'))).toStrictEqual(
      JSON.parse(plain.recorded.body.toString('utf8')),
    );
    expect(prepared.changes).toEqual(plain.prepared.changes);
    const verified = await verifySigV4(signedRequestOf(recorded), { lookupCredential, service: 'bedrock' });
    expect(verified).toMatchObject({ ok: true, region: 'us-west-2', service: 'bedrock' });
  });

  it('sends InvokeModelWithResponseStream and decodes the frames as they arrive', async () => {
    const { response, recorded } = await send(messagesCall(true));
    expect(recorded.target).toBe(`/model/${ENCODED_MODEL}/invoke-with-response-stream`);
    expect(recorded.headers['accept']).toBe('application/vnd.amazon.eventstream');
    expect(recorded.headers['x-amzn-bedrock-accept']).toBe('application/json');
    expect('stream' in JSON.parse(recorded.body.toString('utf8'))).toBe(false);
    expect((await verifySigV4(signedRequestOf(recorded), { lookupCredential, service: 'bedrock' })).ok).toBe(
      true,
    );
    expect(bedrockDescriptor.streamFraming).toBe('aws-eventstream');
    const decoder = adapter.createStreamDecoder();
    const items: UpstreamStreamItem[] = [];
    for await (const chunk of response.body) items.push(...decoder.push(chunk));
    items.push(...decoder.end());
    expect(items.map((item) => (item.kind === 'event' ? item.event.type : item.kind))).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(items.at(-1)).toMatchObject({ json: '{"type":"message_stop"}' });
    expect(decoder.metrics).toEqual({
      inputTokens: 9,
      outputTokens: 3,
      invocationLatencyMs: 120,
      firstByteLatencyMs: 40,
    });
  });

  it('sends CountTokens with the base64 InvokeModel body', async () => {
    const call = messagesCall(false);
    delete call.body['max_tokens'];
    const { prepared, response, recorded } = await send(call, 'count');
    expect(recorded.target).toBe(`/model/${ENCODED_MODEL}/count-tokens`);
    const outer = JSON.parse(recorded.body.toString('utf8'));
    expect(Object.keys(outer)).toEqual(['input']);
    const inner = JSON.parse(Buffer.from(outer.input.invokeModel.body, 'base64').toString('utf8'));
    expect(inner).toMatchObject({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 1,
      unknown_future_field: true,
    });
    expect('model' in inner || 'stream' in inner).toBe(false);
    expect(prepared.changes).toContain('added:max_tokens');
    expect((await verifySigV4(signedRequestOf(recorded), { lookupCredential, service: 'bedrock' })).ok).toBe(
      true,
    );
    expect(adapter.parseCountTokens(JSON.parse(await response.text()))).toBe(17);
  });

  it('asks the credential provider once for many requests', async () => {
    for (let request = 0; request < 5; request += 1) await (await send(messagesCall(false))).response.text();
    expect(provider).toHaveBeenCalledTimes(1);
    expect(server.requests).toHaveLength(5);
  });

  it('signs for the region of the target, or its own without one', async () => {
    const { recorded } = await send(messagesCall(false));
    expect(recorded.headers['authorization']).toContain('/us-west-2/bedrock/aws4_request');
    const { region: _region, ...withoutRegion } = target;
    const prepared = adapter.prepareMessages(messagesCall(false), withoutRegion);
    const authorized = await adapter.authorize(prepared.request, withoutRegion);
    expect(authorized.headers['authorization']).toContain('/eu-west-1/bedrock/aws4_request');
  });

  it('fills {region} in an endpoint override, and signs the path prefix', async () => {
    adapter = new BedrockAdapter({
      endpoint: `${server.origin}/{region}/`,
      apiKey: null,
      credentials: { provider },
    });
    const prepared = adapter.prepareMessages(messagesCall(false), target);
    expect(prepared.request.url).toBe(`${server.origin}/us-west-2/model/${ENCODED_MODEL}/invoke`);
    await (await transport.send(await adapter.authorize(prepared.request, target), 'bedrock')).text();
    const recorded = server.requests.at(-1);
    expect(recorded?.target).toBe(`/us-west-2/model/${ENCODED_MODEL}/invoke`);
    expect(
      recorded && (await verifySigV4(signedRequestOf(recorded), { lookupCredential, service: 'bedrock' })).ok,
    ).toBe(true);
  });

  it('uses the public endpoint of the region by default', () => {
    const prepared = new BedrockAdapter({ apiKey: null, credentials }).prepareMessages(
      messagesCall(false),
      target,
    );
    expect(prepared.request.url).toBe(
      `https://bedrock-runtime.us-west-2.amazonaws.com/model/${ENCODED_MODEL}/invoke`,
    );
  });

  it('sends a Bedrock API key as Bearer instead of SigV4', async () => {
    adapter = new BedrockAdapter({
      endpoint: server.origin,
      apiKey: 'bedrock-api-key-test',
      credentials: { provider },
    });
    const { recorded } = await send(messagesCall(false));
    expect(recorded.headers['authorization']).toBe('Bearer bedrock-api-key-test');
    expect(recorded.headers['x-amz-date']).toBeUndefined();
    expect(provider).not.toHaveBeenCalled();
  });

  it('forwards allowlisted headers and signs them, keeping its own content type', async () => {
    const { recorded } = await send(
      messagesCall(false, {
        forwardHeaders: { 'X-Claude-Code-Session-Id': 'session-1', 'Content-Type': 'text/plain' },
      }),
    );
    expect(recorded.headers['x-claude-code-session-id']).toBe('session-1');
    expect(recorded.headers['content-type']).toBe('application/json');
    expect(recorded.headers['authorization']).toContain('x-claude-code-session-id');
    expect((await verifySigV4(signedRequestOf(recorded), { lookupCredential, service: 'bedrock' })).ok).toBe(
      true,
    );
  });
});

describe('BedrockAdapter without a network', () => {
  const adapter = new BedrockAdapter({ region: 'us-east-1', apiKey: null, credentials });

  it("refuses a body over Bedrock's 25,000,000-byte limit, naming it", () => {
    const call = messagesCall(false);
    call.body['messages'] = [{ role: 'user', content: 'x'.repeat(25_000_000) }];
    const error = (() => {
      try {
        adapter.prepareMessages(call, target);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toMatchObject({ code: 'REQUEST_TOO_LARGE', status: 413, type: 'request_too_large' });
    expect((error as Error).message).toMatch(/over Bedrock's limit of 25,000,000 bytes/);
  });

  it('accepts a body just under the limit', () => {
    const call = messagesCall(false);
    call.body['messages'] = [{ role: 'user', content: 'x'.repeat(24_999_000) }];
    expect(adapter.prepareMessages(call, target).request.body?.length).toBeLessThanOrEqual(25_000_000);
  });

  it('serializes a small body even when the call carries its bytes (splicing costs more there)', () => {
    const call = messagesCall(false);
    const rawBody = Buffer.from(JSON.stringify(call.body));
    const body = adapter.prepareMessages({ ...call, rawBody }, target).request.body;
    expect(typeof body).toBe('string');
    expect(body).toBe(adapter.prepareMessages(call, target).request.body);
  });

  it("holds the limit for a body spliced from the client's bytes too", () => {
    const call = messagesCall(false);
    call.body['messages'] = [{ role: 'user', content: 'x'.repeat(25_000_000) }];
    const over = { ...call, rawBody: Buffer.from(JSON.stringify(call.body)) };
    expect(() => adapter.prepareMessages(over, target)).toThrow(/over Bedrock's limit of 25,000,000 bytes/);
    call.body['messages'] = [{ role: 'user', content: 'x'.repeat(24_999_000) }];
    const under = { ...call, rawBody: Buffer.from(JSON.stringify(call.body)) };
    const body = adapter.prepareMessages(under, target).request.body;
    expect(body).toBeInstanceOf(Uint8Array);
    expect(body?.length).toBeLessThanOrEqual(25_000_000);
  });

  it('parses errors with the region of the target in the access hint', () => {
    const error = adapter.parseError(
      403,
      new Headers({
        'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/coral/com.amazon.bedrock/',
      }),
      '{"message":"You don\'t have access to the model with the specified model ID."}',
      target,
    );
    expect(error.type).toBe('permission_error');
    expect(error.message).toContain('Request model access in the Bedrock console for us-west-2');
  });

  it('drops cached credentials when Bedrock says they expired', async () => {
    let calls = 0;
    const expiring = new BedrockAdapter({
      apiKey: null,
      credentials: {
        provider: async () => {
          calls += 1;
          return { accessKeyId: `ASIA${calls}`, secretAccessKey: 'secret', sessionToken: 'token' };
        },
      },
    });
    const request = expiring.prepareMessages(messagesCall(false), target).request;
    await expiring.authorize(request, target);
    expiring.parseError(
      403,
      new Headers({ 'x-amzn-errortype': 'ExpiredTokenException' }),
      '{"message":"expired"}',
    );
    const again = await expiring.authorize(request, target);
    expect(calls).toBe(2);
    expect(again.headers['authorization']).toContain('Credential=ASIA2/');
  });
});
