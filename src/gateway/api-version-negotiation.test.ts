/**
 * API-version negotiation through the gateway, with the official Anthropic SDK:
 * a client on 2023-06-01 served by a platform/model that needs 2026-10-21 gets
 * what that version removed (sampling parameters, a document in an assistant
 * turn, citations on user text) dropped and reported; the rule is data (a
 * `models:` row's `apiVersions`), and the emulator refuses those fields under
 * 2026-10-21, so the answer proves they were dropped. The other direction: a
 * 2026-10-21 client served by a legacy Bedrock model is sent bedrock-2023-05-31.
 */

import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../test-support/gateway.js';

const gateway = useTestGateway({
  config: {
    routes: [
      { models: ['claude-opus-5-5', 'claude-opus-5'], targets: ['anthropic'] },
      { models: ['claude-opus-4-6'], targets: ['bedrock/global'] },
    ],
    // As if the platform took only the new version for this model.
    models: [
      {
        name: 'claude-opus-5-5',
        prices: { input: 4, output: 20 },
        apiVersions: { anthropic: ['2026-10-21'] },
      },
    ],
  },
});

const client = (version?: string) =>
  new Anthropic({
    baseURL: gateway().url,
    apiKey: 'unused',
    maxRetries: 0,
    ...(version ? { defaultHeaders: { 'anthropic-version': version } } : {}),
  });

/** A body with fields the SDK's own types (API version 2026-10-21) no longer have. */
const legacy = (body: Record<string, unknown>) =>
  body as unknown as Anthropic.MessageCreateParamsNonStreaming;

const oldStyleRequest = (model: string) =>
  legacy({
    model,
    max_tokens: 30,
    temperature: 0.2,
    top_k: 5,
    messages: [
      {
        role: 'user' as const,
        content: [
          {
            type: 'text' as const,
            text: 'Quoted before',
            citations: [
              {
                type: 'char_location' as const,
                cited_text: 'x',
                document_index: 0,
                document_title: null,
                start_char_index: 0,
                end_char_index: 1,
              },
            ],
          },
        ],
      },
      {
        role: 'assistant' as const,
        content: [
          { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'notes' } },
          { type: 'text', text: 'Noted.' },
        ] as unknown as Anthropic.ContentBlockParam[],
      },
      { role: 'user' as const, content: 'And now?' },
    ],
  });

describe('API version negotiation', () => {
  it('drops and reports what 2026-10-21 removed for an old-version client of a model that needs it', async () => {
    const { data, response } = await client('2023-06-01')
      .messages.create(oldStyleRequest('claude-opus-5-5'))
      .withResponse();
    expect(data.type).toBe('message');
    const changes = response.headers.get('x-claude-gateway-changes') ?? '';
    for (const change of [
      'anthropic-version:2023-06-01->2026-10-21',
      'dropped:temperature',
      'dropped:top_k',
      'dropped:assistant-document',
      'dropped:user-citations',
    ]) {
      expect(changes).toContain(change);
    }
    const [arrived] = gateway().emulator.state.journal.list({ platform: 'anthropic' });
    expect(arrived?.headers['anthropic-version']).toBe('2026-10-21');
    expect(arrived?.body).not.toHaveProperty('temperature');
    expect(JSON.stringify(arrived?.body)).not.toContain('"document"');
    expect(JSON.stringify(arrived?.body)).not.toContain('citations');
    expect(JSON.stringify(arrived?.body)).toContain('Noted.');
  });

  it('leaves an old-version client alone where its version is taken', async () => {
    const { response } = await client('2023-06-01')
      .messages.create(
        legacy({
          model: 'claude-opus-5',
          max_tokens: 30,
          temperature: 0.2,
          messages: [{ role: 'user', content: 'Hi' }],
        }),
      )
      .withResponse();
    expect(response.headers.get('x-claude-gateway-changes') ?? '').not.toContain('anthropic-version');
    const [arrived] = gateway().emulator.state.journal.list({ platform: 'anthropic' });
    expect(arrived?.headers['anthropic-version']).toBe('2023-06-01');
    expect(arrived?.body).toMatchObject({ temperature: 0.2 });
  });

  it('the emulator refuses what 2026-10-21 removed, as the platform does', async () => {
    const direct = new Anthropic({
      baseURL: gateway().emulator.url,
      apiKey: 'sk-ant-emulator',
      maxRetries: 0,
    });
    await expect(
      direct.messages.create(
        legacy({
          model: 'claude-opus-5',
          max_tokens: 30,
          temperature: 0.2,
          messages: [{ role: 'user', content: 'Hi' }],
        }),
      ),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('sends a 2026-10-21 client to a legacy Bedrock model as bedrock-2023-05-31, and says so', async () => {
    const { response } = await client()
      .messages.create({
        model: 'claude-opus-4-6',
        max_tokens: 30,
        messages: [{ role: 'user', content: 'Hi' }],
      })
      .withResponse();
    expect(response.headers.get('x-claude-gateway-changes')).toContain(
      'anthropic-version:2026-10-21->bedrock-2023-05-31',
    );
    const [arrived] = gateway().emulator.state.journal.list({ platform: 'bedrock' });
    expect(arrived?.body).toMatchObject({ anthropic_version: 'bedrock-2023-05-31' });
  });
});
