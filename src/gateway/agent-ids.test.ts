/**
 * Claude Code's subagents: each request a subagent sends carries
 * `x-claude-code-agent-id`, and one started by another subagent also
 * `x-claude-code-parent-agent-id`. The activity log keeps both with the
 * session, in every dialect.
 */

import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../test-support/gateway.js';

const gateway = useTestGateway({ config: { store: { bodies: 'metadata' } } });

const body = { max_tokens: 20, messages: [{ role: 'user', content: 'from a subagent' }] };

/** One request in a dialect, with the given headers; returns the gateway's request id. */
async function send(dialect: 'anthropic' | 'bedrock' | 'vertex', headers: Record<string, string>) {
  const [path, payload] =
    dialect === 'anthropic'
      ? ['/v1/messages', { ...body, model: 'claude-sonnet-4-5' }]
      : dialect === 'bedrock'
        ? [
            '/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke',
            { ...body, anthropic_version: 'bedrock-2023-05-31' },
          ]
        : [
            '/v1/projects/p/locations/global/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict',
            { ...body, anthropic_version: 'vertex-2023-10-16' },
          ];
  const response = await fetch(`${gateway().url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
    body: JSON.stringify(payload),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  await response.arrayBuffer();
  return response.headers.get('x-claude-gateway-request-id') ?? '';
}

describe('subagent ids in the activity log', () => {
  it.each(['anthropic', 'bedrock', 'vertex'] as const)(
    'records both ids with the session (%s)',
    async (dialect) => {
      const id = await send(dialect, {
        'x-claude-code-session-id': `session-${dialect}`,
        'x-claude-code-agent-id': 'a60844a76c49fbcda',
        'x-claude-code-parent-agent-id': 'a458c168608e8f82a',
      });
      const { request } = await gateway().activity(id);
      expect(request).toMatchObject({
        dialect,
        sessionId: `session-${dialect}`,
        agentId: 'a60844a76c49fbcda',
        parentAgentId: 'a458c168608e8f82a',
      });
    },
  );

  it('records a first-level subagent without a parent, and the main agent without either', async () => {
    const subagent = await send('anthropic', {
      'x-claude-code-session-id': 'session-main',
      'x-claude-code-agent-id': 'a5d8c258afbd5afc6',
    });
    const main = await send('anthropic', { 'x-claude-code-session-id': 'session-main' });
    const { request: subagentRow } = await gateway().activity(subagent);
    expect(subagentRow?.agentId).toBe('a5d8c258afbd5afc6');
    expect(subagentRow).not.toHaveProperty('parentAgentId');
    const { request: mainRow } = await gateway().activity(main);
    expect(mainRow).not.toHaveProperty('agentId');
    expect(mainRow).not.toHaveProperty('parentAgentId');
    const session = await gateway().store.queryRequests({ sessionId: 'session-main' });
    expect(session.map((row) => row.agentId ?? null).sort()).toEqual(['a5d8c258afbd5afc6', null].sort());
  });
});
