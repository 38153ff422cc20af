/**
 * Models retired on Anthropic-operated platforms (Sonnet 4.5 after 2026-11-30,
 * by the pinned clock): the emulator's Anthropic API and Claude Platform on
 * AWS answer the platform's 404 (`not_found_error`, "model: <id>"), Bedrock
 * keeps serving it (its own dates), and the gateway moves on to the next
 * target with the reason in `x-claude-gateway-changes`.
 */

import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { failureOf, useTestGateway } from '../test-support/gateway.js';

const gateway = useTestGateway({
  config: {
    routes: [
      { models: ['claude-sonnet-4-5'], targets: ['anthropic', 'claude-platform-aws', 'bedrock/global'] },
      { models: ['claude-3-5-haiku'], targets: ['anthropic'] },
    ],
  },
  emulator: { serveRetired: false },
});

const client = () => new Anthropic({ baseURL: gateway().url, apiKey: 'unused', maxRetries: 0 });
const ask = (model: string) =>
  client()
    .messages.create({ model, max_tokens: 20, messages: [{ role: 'user', content: 'Hi' }] })
    .withResponse();

describe('models retired on Anthropic-operated platforms', () => {
  it("the emulator's Anthropic API answers its 404 for a retired model", async () => {
    const direct = new Anthropic({
      baseURL: gateway().emulator.url,
      apiKey: 'sk-ant-emulator',
      maxRetries: 0,
    });
    const error = await failureOf<InstanceType<typeof Anthropic.APIError>>(
      direct.messages.create({
        model: 'claude-sonnet-4-5-20250929',
        max_tokens: 20,
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );
    expect(error.status).toBe(404);
    expect(error.error).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error', message: 'model: claude-sonnet-4-5-20250929' },
    });
  });

  it('the gateway skips the Anthropic-operated targets with the reason and Bedrock serves it', async () => {
    const { data, response } = await ask('claude-sonnet-4-5');
    expect(data.type).toBe('message');
    const changes = response.headers.get('x-claude-gateway-changes') ?? '';
    expect(changes).toContain('model-unavailable:anthropic');
    expect(changes).toContain('model-unavailable:claude-platform-aws');
    const journal = gateway().emulator.state.journal.list();
    expect(journal.map((entry) => [entry.platform, entry.status])).toEqual(
      expect.arrayContaining([
        ['anthropic', 404],
        ['claude-platform-aws', 404],
        ['bedrock', 200],
      ]),
    );
  });

  it('with no other target, the client gets the platform answer as it was', async () => {
    const error = await failureOf<InstanceType<typeof Anthropic.APIError>>(ask('claude-3-5-haiku'));
    expect(error.status).toBe(404);
    expect(error.error).toMatchObject({ error: { type: 'not_found_error' } });
  });
});
