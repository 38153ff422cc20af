/**
 * The official Anthropic client (`@anthropic-ai/sdk`) and this adapter,
 * sending the same calls to one stub: the paths, bodies and headers must agree.
 */

import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveModel } from '../../catalog/resolve.js';
import { HttpTransport } from '../transport.js';
import type { PreparedRequest, ResolvedTarget } from '../types.js';
import {
  MESSAGE_ANSWER,
  type RecordedRequest,
  type RecordingServer,
  startRecordingServer,
} from './__fixtures__/recording-server.js';
import { createAnthropicAdapter } from './anthropic-adapter.js';
import type { FirstPartyAdapter } from './first-party-adapter.js';

const MODEL = 'claude-opus-4-6';
const BETAS = ['context-1m-2025-08-07', 'fine-grained-tool-streaming-2025-05-14'];
const params = {
  model: MODEL,
  max_tokens: 256,
  system: 'Be brief.',
  messages: [{ role: 'user' as const, content: 'Hello' }],
};

const COMPARED_HEADERS = ['content-type', 'anthropic-beta', 'anthropic-version'];

function comparable(request: RecordedRequest | undefined) {
  return {
    method: request?.method,
    path: request?.path,
    bodyText: request?.body,
    headers: Object.fromEntries(COMPARED_HEADERS.map((name) => [name, request?.headers[name]])),
  };
}

let server: RecordingServer;
let transport: HttpTransport;

beforeAll(async () => {
  server = await startRecordingServer((request) =>
    request.path.includes('count_tokens') ? { body: '{"input_tokens":9}' } : { body: MESSAGE_ANSWER },
  );
  transport = new HttpTransport();
});
afterAll(async () => {
  await transport.close();
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

const officialClient = () => new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.url, maxRetries: 0 });

async function sendWithAdapter(
  prepare: (adapter: FirstPartyAdapter, target: ResolvedTarget) => PreparedRequest,
) {
  const adapter = createAnthropicAdapter({ apiKey: 'sk-ant-test', baseUrl: server.url });
  const target: ResolvedTarget = { platform: 'anthropic', modelId: MODEL, resolved: resolveModel(MODEL) };
  const { request } = prepare(adapter, target);
  const response = await transport.send(await adapter.authorize(request, target), 'anthropic');
  await response.text();
  return server.requests.at(-1);
}

describe('the adapter and the Anthropic client send the same request', () => {
  it('for messages with betas', async () => {
    await officialClient().beta.messages.create({ ...params, betas: BETAS });
    const official = server.requests[0];
    const ours = await sendWithAdapter((adapter, target) =>
      adapter.prepareMessages(
        { body: { ...params }, stream: false, betas: BETAS, anthropicVersion: '2026-10-21' },
        target,
      ),
    );
    expect(comparable(ours)).toEqual(comparable(official));
    expect(official?.path).toBe('/v1/messages');
    expect(comparable(official).headers).toEqual({
      'content-type': 'application/json',
      'anthropic-beta': BETAS.join(','),
      'anthropic-version': '2026-10-21',
    });
    // The official client 1.12 sends an API key as a bearer token; the adapter sends `x-api-key`, as the API documents.
    expect(official?.headers['authorization']).toBe('Bearer sk-ant-test');
    expect(ours?.headers['x-api-key']).toBe('sk-ant-test');
    expect(ours?.headers['authorization']).toBeUndefined();
  });

  it('for a stream', async () => {
    const stream = await officialClient().messages.create({ ...params, stream: true });
    await stream.controller.abort();
    const official = server.requests[0];
    const ours = await sendWithAdapter((adapter, target) =>
      adapter.prepareMessages(
        { body: { ...params, stream: true }, stream: true, betas: [], anthropicVersion: '2026-10-21' },
        target,
      ),
    );
    expect(comparable(ours)).toEqual(comparable(official));
    expect(official?.path).toBe('/v1/messages');
  });

  it('for count tokens', async () => {
    const counted = await officialClient().messages.countTokens({ model: MODEL, messages: params.messages });
    expect(counted.input_tokens).toBe(9);
    const official = server.requests[0];
    const ours = await sendWithAdapter((adapter, target) =>
      adapter.prepareCountTokens(
        {
          body: { model: 'sonnet', messages: params.messages },
          stream: false,
          betas: [],
          anthropicVersion: '2026-10-21',
        },
        target,
      ),
    );
    expect(comparable(ours)).toEqual(comparable(official));
    expect(official?.path).toBe('/v1/messages/count_tokens');
  });
});
