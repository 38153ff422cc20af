/**
 * Session stickiness: requests with the same `x-claude-code-session-id` (or
 * `metadata.user_id`) go to the target that served the session last; they
 * move only when it fails, and then stay where they moved.
 */

import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../test-support/gateway.js';

const gateway = useTestGateway({
  config: {
    routes: [{ models: ['claude-sonnet-4-5'], targets: ['bedrock/global', 'vertex/global', 'anthropic'] }],
  },
});

const client = () => new Anthropic({ baseURL: gateway().url, apiKey: 'unused', maxRetries: 0 });

/** One turn of a session; returns the target that served it. */
async function turn(session: string, text = 'next turn'): Promise<string | null> {
  const { response } = await client()
    .messages.create(
      { model: 'claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: text }] },
      { headers: { 'x-claude-code-session-id': session } },
    )
    .withResponse();
  return response.headers.get('x-claude-gateway-target');
}

describe('session stickiness', () => {
  it('sends the turns of a session to the same target, and logs the session', async () => {
    expect(await turn('session-a')).toBe('bedrock/global@us-east-1');
    expect(await turn('session-a')).toBe('bedrock/global@us-east-1');
    await gateway().store.flush();
    const logged = await gateway().store.queryRequests({ sessionId: 'session-a' });
    expect(logged).toHaveLength(2);
    expect(logged.every((row) => row.platform === 'bedrock')).toBe(true);
  });

  it('moves a session only when its target fails, and keeps it where it moved', async () => {
    // The first turn fails over from Bedrock to Vertex: the session now lives on Vertex.
    gateway().emulator.state.faults.add({ kind: 'http', platform: 'bedrock', status: 503, count: 2 });
    expect(await turn('session-b')).toBe('vertex/global');
    // Bedrock is healthy again and first in the route, but the session stays on Vertex.
    expect(await turn('session-b')).toBe('vertex/global');
    expect(await turn('session-b')).toBe('vertex/global');
    // A session with no history follows the route.
    expect(await turn('session-c')).toBe('bedrock/global@us-east-1');

    // Vertex starts failing, and so does Bedrock: the session moves to the Anthropic API...
    gateway().emulator.state.faults.add({ kind: 'http', platform: 'vertex', status: 503, count: 0 });
    gateway().emulator.state.faults.add({ kind: 'http', platform: 'bedrock', status: 503, count: 0 });
    expect(await turn('session-b')).toBe('anthropic');
    gateway().emulator.state.faults.clear();
    // ...and stays there once everything is healthy again.
    expect(await turn('session-b')).toBe('anthropic');
    expect(await turn('session-b')).toBe('anthropic');
    // The other sessions are untouched.
    expect(await turn('session-a')).toBe('bedrock/global@us-east-1');
  });

  it('uses metadata.user_id when there is no session header', async () => {
    const ask = async () => {
      const { response } = await client()
        .messages.create({
          model: 'claude-sonnet-4-5',
          max_tokens: 50,
          metadata: { user_id: 'user-42' },
          messages: [{ role: 'user', content: 'by user id' }],
        })
        .withResponse();
      return response.headers.get('x-claude-gateway-target');
    };
    gateway().emulator.state.faults.add({ kind: 'http', platform: 'bedrock', status: 503, count: 2 });
    expect(await ask()).toBe('vertex/global');
    expect(await ask()).toBe('vertex/global');
  });

  it('shares a session across dialects (a Bedrock client continuing the same session)', async () => {
    gateway().emulator.state.faults.add({ kind: 'http', platform: 'bedrock', status: 503, count: 2 });
    expect(await turn('session-d')).toBe('vertex/global');
    const response = await fetch(
      `${gateway().url}/model/global.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-claude-code-session-id': 'session-d' },
        body: JSON.stringify({
          anthropic_version: 'bedrock-2023-05-31',
          max_tokens: 50,
          messages: [{ role: 'user', content: 'same session, other dialect' }],
        }),
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-claude-gateway-target')).toBe('vertex/global');
  });
});
