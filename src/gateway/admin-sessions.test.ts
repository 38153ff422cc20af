/**
 * The admin API's views for the dashboard: Claude Code sessions (turns, tools
 * called, subagents, cost) and the requests in flight right now. Requests are
 * sent by the official Anthropic SDK with Claude Code's session and agent headers.
 */

import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../test-support/gateway.js';
import type { LooseJson } from '../test-support/json.js';
import { toolsCalled } from './admin-sessions.js';

const ADMIN_KEY = 'admin-key-for-sessions-0123456789';
const gateway = useTestGateway({ config: { server: { adminKey: ADMIN_KEY } } });

async function admin(path: string): Promise<{ status: number; json: LooseJson }> {
  const response = await fetch(`${gateway().url}${path}`, {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  return { status: response.status, json: await response.json() };
}

function client(headers: Record<string, string>) {
  return new Anthropic({ baseURL: gateway().url, apiKey: 'unused', maxRetries: 0, defaultHeaders: headers });
}

/** A turn whose answer calls a tool (the emulator's script), then one that ends the turn. */
async function turn(headers: Record<string, string>, tool?: string) {
  const script = tool
    ? ` @emulator ${JSON.stringify({ tool_use: { name: tool, input: { command: 'ls' } } })}`
    : '';
  return client(headers).messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 100,
    messages: [{ role: 'user', content: `work on it${script}` }],
  });
}

describe('GET /admin/sessions', () => {
  it('lists a session with its turns, tool turns, subagents and cost, and shows its agents and tools', async () => {
    const session = { 'x-claude-code-session-id': 'session-dashboard-1' };
    const subagent = { ...session, 'x-claude-code-agent-id': 'agent-explore' };
    const nested = {
      ...session,
      'x-claude-code-agent-id': 'agent-nested',
      'x-claude-code-parent-agent-id': 'agent-explore',
    };
    expect((await turn(session, 'Bash')).stop_reason).toBe('tool_use');
    await turn(session, 'Read');
    await turn(subagent, 'Grep');
    await turn(nested);
    await turn(session);
    await gateway().store.flush();

    const list = await admin('/admin/sessions?since=1h');
    expect(list.status).toBe(200);
    const row = list.json.sessions.find((item: LooseJson) => item.sessionId === 'session-dashboard-1');
    expect(row).toMatchObject({ requests: 5, turns: 5, toolTurns: 3, agents: 2, errors: 0 });
    expect(row.costUsd).toBeGreaterThan(0);
    expect(row.endTime).toBeGreaterThanOrEqual(row.lastTime);

    const detail = await admin('/admin/sessions/session-dashboard-1');
    expect(detail.status).toBe(200);
    expect(detail.json.session.sessionId).toBe('session-dashboard-1');
    expect(detail.json.tools).toEqual({ Bash: 1, Read: 1, Grep: 1 });
    expect(
      detail.json.agents.map((agent: LooseJson) => [
        agent.agentId ?? 'main',
        agent.parentAgentId ?? null,
        agent.turns,
      ]),
    ).toEqual([
      ['main', null, 3],
      ['agent-explore', null, 1],
      ['agent-nested', 'agent-explore', 1],
    ]);
    expect(detail.json.agents[0].tools).toEqual({ Bash: 1, Read: 1 });
    expect(detail.json.requests).toHaveLength(5);
    expect(detail.json.requests[0].tools).toEqual(['Bash']);
    // Bodies stay out of the listing: the request page shows them.
    expect(detail.json.requests[0]).not.toHaveProperty('requestBody');
    expect(detail.json.requests[0]).not.toHaveProperty('responseBody');
    expect(detail.json.truncated).toBe(false);
  });

  it('answers 404 for a session the log does not have, and for a path below one', async () => {
    expect((await admin('/admin/sessions/no-such-session')).json.error.message).toContain(
      'No session no-such-session',
    );
    expect((await admin('/admin/sessions/a/b')).status).toBe(404);
  });
});

describe('GET /admin/in-flight', () => {
  it('lists a stream while it runs, with its phase and bytes sent, and forgets it when it ends', async () => {
    // A slow answer: many small chunks, each after a pause.
    const script = JSON.stringify({ text: 'x'.repeat(400), chunk_chars: 8, delay_ms: 25 });
    const stream = client({ 'x-claude-code-session-id': 'session-live' }).messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 500,
      messages: [{ role: 'user', content: `stream slowly @emulator ${script}` }],
    });
    let seen: LooseJson;
    for (let tries = 0; tries < 200 && !seen; tries += 1) {
      const { json } = await admin('/admin/in-flight');
      seen = json.requests.find((item: LooseJson) => item.phase === 'streaming' && item.bytesSent > 0);
      if (!seen) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen).toMatchObject({
      dialect: 'anthropic',
      operation: 'messages',
      stream: true,
      sessionId: 'session-live',
      requestedModel: 'claude-sonnet-4-5',
      platform: expect.any(String),
    });
    expect(seen).not.toHaveProperty('requestBody');
    await stream.finalMessage();
    const after = await admin('/admin/in-flight');
    expect(after.json.requests.find((item: LooseJson) => item.id === seen.id)).toBeUndefined();
  });
});

describe('toolsCalled', () => {
  it('reads the tool_use blocks of a kept answer, and nothing from a body that is not a whole message', () => {
    const message = {
      content: [
        { type: 'text', text: 'hi' },
        { type: 'tool_use', name: 'Edit', input: {} },
      ],
    };
    expect(toolsCalled(JSON.stringify(message))).toEqual(['Edit']);
    expect(toolsCalled('(120 bytes not kept)')).toBeUndefined();
    expect(toolsCalled('{"content": [')).toBeUndefined();
    expect(toolsCalled(undefined)).toBeUndefined();
  });
});
