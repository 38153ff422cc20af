/**
 * Today's catalog through the gateway, as a client sees it: the current
 * models are priced (so budgets hold), a cost from an unconfirmed price is
 * logged as an estimate, `models:` in the configuration corrects and adds
 * models, and a retired model gets a warning naming its replacement.
 */

import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { failureOf, useTestGateway } from '../test-support/gateway.js';

const gateway = useTestGateway({
  config: {
    routes: [{ models: ['*'], targets: ['anthropic'] }],
    models: [
      { name: 'claude-haiku-5-5', prices: { input: 1, output: 5, cacheRead: 0.1 } },
      { name: 'claude-nova-1', aliases: ['nova'], prices: { input: 3, output: 15 } },
    ],
  },
  keys: [{ name: 'tiny', monthlyBudgetUsd: 0.000001 }, { name: 'open' }],
  emulator: { extraModels: ['claude-nova-*'] },
});

const client = (apiKey = gateway().keys[1]?.secret) =>
  new Anthropic({ baseURL: gateway().url, apiKey, maxRetries: 0 });
const ask = (model: string, apiKey = gateway().keys[1]?.secret) =>
  client(apiKey)
    .messages.create({ model, max_tokens: 20, messages: [{ role: 'user', content: 'Hello there' }] })
    .withResponse();

describe('the catalog through the gateway', () => {
  it("prices Claude Code's default model, so a budget holds for it", async () => {
    const secret = gateway().keys[0]?.secret ?? '';
    const first = await ask('claude-opus-5-5', secret);
    const { request } = await gateway().activity(first.response.headers.get('request-id') ?? '');
    expect(request?.model).toBe('claude-opus-5-5');
    expect(request?.costUsd).toBeGreaterThan(0);
    const refused = await failureOf<InstanceType<typeof Anthropic.APIError>>(ask('claude-opus-5-5', secret));
    expect(refused.status).toBe(403);
    expect(refused.message).toMatch(/monthly budget/);
  });

  it('logs a cost from an unconfirmed price as an estimate', async () => {
    // Fable 5.2's cache prices are unconfirmed; the emulator writes the prompt to the cache.
    const { response } = await client()
      .messages.create({
        model: 'claude-fable-5-2',
        max_tokens: 20,
        system: [{ type: 'text', text: 'cache me '.repeat(800), cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: 'Hello' }],
      })
      .withResponse();
    const { request } = await gateway().activity(response.headers.get('request-id') ?? '');
    expect(request?.cacheWriteTokens).toBeGreaterThan(0);
    expect(request?.costUsd).toBeGreaterThan(0);
    expect(request?.costEstimated).toBe(true);
    const plain = await ask('claude-opus-5-5');
    const row = await gateway().activity(plain.response.headers.get('request-id') ?? '');
    expect(row.request?.costEstimated).toBeUndefined();
  });

  it('takes prices and new models from models: in the configuration', async () => {
    const haiku = await ask('haiku');
    const { request } = await gateway().activity(haiku.response.headers.get('request-id') ?? '');
    const expected = (request?.inputTokens ?? 0) * 1e-6 + (request?.outputTokens ?? 0) * 5e-6;
    expect(request?.costUsd).toBeCloseTo(expected, 6);
    const nova = await ask('nova');
    const novaRow = await gateway().activity(nova.response.headers.get('request-id') ?? '');
    expect(novaRow.request).toMatchObject({ model: 'claude-nova-1', upstreamModelId: 'claude-nova-1' });
    expect(novaRow.request?.costUsd).toBeGreaterThan(0);
  });

  it('warns about a retired model and names its replacement', async () => {
    const { response } = await ask('claude-sonnet-4-5');
    expect(response.headers.get('x-claude-gateway-warning')).toBe(
      'Claude Sonnet 4.5 (claude-sonnet-4-5) retired on 2026-11-30; platforms may reject it. Move to claude-sonnet-5-5.',
    );
    expect((await ask('claude-sonnet-5-5')).response.headers.get('x-claude-gateway-warning')).toBeNull();
  });

  it('lists the current models to Claude Code’s model discovery, without a key', async () => {
    const response = await fetch(`${gateway().url}/v1/models?limit=1000`);
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: { id: string }[] };
    const ids = data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(['claude-opus-5-5', 'claude-sonnet-5-5', 'claude-nova-1']));
    expect(ids).not.toContain('claude-3-5-sonnet-20241022');
    // A listing lands in the activity log like any other request.
    const { request } = await gateway().activity(response.headers.get('x-claude-gateway-request-id') ?? '');
    expect(request).toMatchObject({ operation: 'models', status: 200, dialect: 'anthropic' });
  });
});
