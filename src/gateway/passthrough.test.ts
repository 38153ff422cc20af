/**
 * What the gateway does not know passes through untouched: unknown top-level
 * fields, `role: "system"` inside messages, unknown content blocks, and
 * betas (to the Anthropic API as they were; to Vertex, which rejects unknown
 * betas, dropped and said so).
 */

import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../test-support/gateway.js';
import { readJson } from '../test-support/json.js';

const gateway = useTestGateway({
  config: {
    routes: [
      { models: ['to-anthropic'], model: 'claude-sonnet-4-5', targets: ['anthropic'] },
      { models: ['to-bedrock'], model: 'claude-sonnet-4-5', targets: ['bedrock/global'] },
      { models: ['to-vertex'], model: 'claude-sonnet-4-5', targets: ['vertex/global'] },
    ],
  },
});

const FUTURE_BETA = 'future-feature-2099-01-01';

/** A body with things no gateway code knows about. */
const unknownThings = {
  future_top_level: { nested: [1, 2, { deep: true }], flag: null },
  messages: [
    { role: 'system', content: 'You are terse.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'keep all of this', cache_control: { type: 'ephemeral', ttl: '1h' } },
        { type: 'future_block', payload: { anything: 'goes' } },
      ],
    },
  ],
  context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] },
};

async function post(path: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(`${gateway().url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
    body: JSON.stringify(body),
  });
  return { response, json: await readJson(response) };
}

describe('unknown things pass through', () => {
  it.each([
    ['to-anthropic', 'anthropic'],
    ['to-bedrock', 'bedrock'],
    ['to-vertex', 'vertex'],
  ])('keeps unknown fields, roles and blocks from an Anthropic client to %s', async (model, platform) => {
    const { response } = await post('/v1/messages', { model, max_tokens: 100, ...unknownThings });
    expect(response.status).toBe(200);
    const [arrived] = gateway().emulator.state.journal.list({ platform });
    expect(arrived?.body).toMatchObject({
      future_top_level: unknownThings.future_top_level,
      messages: unknownThings.messages,
      context_management: unknownThings.context_management,
    });
  });

  it('keeps them from a Bedrock client served by the Anthropic API, adding only model', async () => {
    const { response } = await post('/model/to-anthropic/invoke', {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 100,
      ...unknownThings,
    });
    expect(response.status).toBe(200);
    const [arrived] = gateway().emulator.state.journal.list({ platform: 'anthropic' });
    expect(arrived?.body).toMatchObject({ model: 'claude-sonnet-4-5', ...unknownThings });
  });

  it('keeps them from a Vertex client served by Bedrock', async () => {
    const { response } = await post(
      '/v1/projects/p/locations/global/publishers/anthropic/models/to-bedrock:rawPredict',
      { anthropic_version: 'vertex-2023-10-16', max_tokens: 100, ...unknownThings },
    );
    expect(response.status).toBe(200);
    const [arrived] = gateway().emulator.state.journal.list({ platform: 'bedrock' });
    expect(arrived?.body).toMatchObject(unknownThings);
    expect(arrived?.body).not.toHaveProperty('model');
  });

  it('sends an unknown beta to the Anthropic API as it came', async () => {
    const { response } = await post(
      '/v1/messages?beta=true',
      { model: 'to-anthropic', max_tokens: 100, messages: [{ role: 'user', content: 'beta' }] },
      { 'anthropic-beta': `${FUTURE_BETA},context-1m-2025-08-07` },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-claude-gateway-changes')).toBeNull();
    const [arrived] = gateway().emulator.state.journal.list({ platform: 'anthropic' });
    expect(arrived?.headers['anthropic-beta']).toContain(FUTURE_BETA);
    expect(arrived?.headers['anthropic-beta']).toContain('context-1m-2025-08-07');
    expect(arrived?.headers['anthropic-version']).toBe('2023-06-01');
  });

  it('drops a beta Vertex rejects, retries, and says what it dropped', async () => {
    const { response, json } = await post(
      '/v1/messages',
      { model: 'to-vertex', max_tokens: 100, messages: [{ role: 'user', content: 'beta to vertex' }] },
      { 'anthropic-beta': FUTURE_BETA },
    );
    expect(response.status).toBe(200);
    expect(JSON.stringify(json.content)).toContain('beta to vertex');
    expect(response.headers.get('x-claude-gateway-changes')).toContain(FUTURE_BETA);
    const arrived = gateway().emulator.state.journal.list({ platform: 'vertex' });
    expect(arrived.at(-1)?.headers['anthropic-beta'] ?? '').not.toContain(FUTURE_BETA);
  });

  it('moves betas to where each platform reads them (header ↔ body anthropic_beta)', async () => {
    const beta = 'context-1m-2025-08-07';
    // A Bedrock client's body betas reach the Anthropic API as a header...
    const fromBedrock = await post('/model/to-anthropic/invoke', {
      anthropic_version: 'bedrock-2023-05-31',
      anthropic_beta: [beta],
      max_tokens: 50,
      messages: [{ role: 'user', content: 'betas' }],
    });
    expect(fromBedrock.response.status).toBe(200);
    const [toAnthropic] = gateway().emulator.state.journal.list({ platform: 'anthropic' });
    expect(toAnthropic?.headers['anthropic-beta']).toContain(beta);
    expect(toAnthropic?.body).not.toHaveProperty('anthropic_beta');
    // ...and an Anthropic client's header betas reach Bedrock in the body.
    const fromAnthropic = await post(
      '/v1/messages',
      { model: 'to-bedrock', max_tokens: 50, messages: [{ role: 'user', content: 'betas' }] },
      { 'anthropic-beta': beta },
    );
    expect(fromAnthropic.response.status).toBe(200);
    const [toBedrock] = gateway().emulator.state.journal.list({ platform: 'bedrock' });
    expect(toBedrock?.body).toMatchObject({ anthropic_beta: [beta] });
  });

  it('keeps the client anthropic_version when it is one the platform takes', async () => {
    const { response } = await post('/model/to-bedrock/invoke', {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'version' }],
    });
    expect(response.status).toBe(200);
    const [arrived] = gateway().emulator.state.journal.list({ platform: 'bedrock' });
    expect(arrived?.body).toMatchObject({ anthropic_version: 'bedrock-2023-05-31' });
  });
});
