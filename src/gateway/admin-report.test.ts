/**
 * `GET /admin/report` and the attribution it reads: requests through the
 * gateway (the Anthropic SDK, two keys, two platforms, a Claude Code session
 * and subagent) land with their key, session and agent ids, and the report
 * groups them; `/admin/requests` filters by user and group names; bad
 * parameters get a 400 that names them.
 */

import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as logRow } from '../store/__fixtures__/records.js';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';
import type { LooseJson } from '../test-support/json.js';

const ADMIN_KEY = 'admin-key-for-report-tests-0123456789';
const NUMBERS = [
  'requests',
  'errors',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'costUsd',
  'costEstimated',
];

let setup: TestGateway;

beforeAll(async () => {
  setup = await startTestGateway({
    config: {
      server: { adminKey: ADMIN_KEY },
      routes: [
        { models: ['claude-sonnet-4-5'], targets: ['bedrock/global'] },
        { models: ['claude-haiku-4-5'], targets: ['anthropic'] },
      ],
    },
    keys: [{ name: 'team-a' }, { name: 'ci' }],
  });
  const [teamA, ci] = setup.keys;
  const client = (secret: string | undefined, headers: Record<string, string> = {}) =>
    new Anthropic({ baseURL: setup.url, apiKey: secret ?? '', maxRetries: 0, defaultHeaders: headers });
  const ask = (anthropic: Anthropic, model: string) =>
    anthropic.messages.create({ model, max_tokens: 30, messages: [{ role: 'user', content: 'report me' }] });
  const claudeCode = client(teamA?.secret, {
    'x-claude-code-session-id': 'session-report',
    'x-claude-code-agent-id': 'agent-child',
    'x-claude-code-parent-agent-id': 'agent-parent',
  });
  await ask(claudeCode, 'claude-sonnet-4-5');
  await ask(claudeCode, 'claude-sonnet-4-5');
  await ask(client(ci?.secret), 'claude-haiku-4-5');
  await ask(client(ci?.secret), 'no-such-model').catch(() => {});
  await setup.store.flush();
});
afterAll(async () => {
  await setup.close();
});

async function admin(path: string): Promise<{ status: number; json: LooseJson }> {
  const response = await fetch(`${setup.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  return { status: response.status, json: await response.json() };
}

describe('attribution through the gateway', () => {
  it('logs the key, session and Claude Code agent ids of each request', async () => {
    const { json } = await admin('/admin/requests?key=team-a');
    expect(json.requests).toHaveLength(2);
    for (const row of json.requests) {
      expect(row).toMatchObject({
        keyId: setup.keys[0]?.record.id,
        keyName: 'team-a',
        sessionId: 'session-report',
        agentId: 'agent-child',
        parentAgentId: 'agent-parent',
      });
      // No sign-in yet: no user or group.
      expect(row).not.toHaveProperty('userId');
      expect(row).not.toHaveProperty('group');
    }
  });

  it('filters /admin/requests by user (id, name or e-mail) and group', async () => {
    await setup.store.recordRequest(
      logRow({
        id: 'req_signed_in',
        time: Date.now(),
        userId: 'u-ada',
        userName: 'Ada',
        userEmail: 'ada@example.com',
        group: 'research',
      }),
    );
    await setup.store.flush();
    for (const user of ['u-ada', 'Ada', 'ada@example.com']) {
      const { json } = await admin(`/admin/requests?user=${encodeURIComponent(user)}`);
      expect(json.requests.map((row: LooseJson) => row.id)).toEqual(['req_signed_in']);
    }
    const { json } = await admin('/admin/requests?group=research&user=Ada');
    expect(json.requests[0]).toMatchObject({ userName: 'Ada', group: 'research' });
    expect((await admin('/admin/requests?group=nobody')).json.requests).toEqual([]);
  });
});

describe('GET /admin/report', () => {
  it('groups by key: rows carry only the dimension and the numbers, and the totals add up', async () => {
    const { status, json } = await admin('/admin/report?by=key&platform=bedrock');
    expect(status).toBe(200);
    expect(json.by).toEqual(['key']);
    expect(Date.parse(json.until) - Date.parse(json.since)).toBe(30 * 86_400_000);
    expect(json.rows).toHaveLength(1);
    expect(Object.keys(json.rows[0])).toEqual(['key', ...NUMBERS]);
    expect(json.rows[0]).toMatchObject({ key: 'team-a', requests: 2, errors: 0, costEstimated: false });
    expect(json.rows[0].costUsd).toBeGreaterThan(0);
    expect(Object.keys(json.totals)).toEqual(NUMBERS);
    const { key: _key, ...numbers } = json.rows[0];
    expect(json.totals).toEqual(numbers);
    const logged = (await admin('/admin/requests?key=team-a')).json.requests as LooseJson[];
    expect(json.totals.inputTokens).toBe(logged.reduce((sum, row) => sum + row.inputTokens, 0));
  });

  it('groups by day and model for a chart, the day in UTC as the log has it', async () => {
    const { json } = await admin('/admin/report?by=day,model&key=ci');
    const logged = (await admin('/admin/requests?key=ci')).json.requests as LooseJson[];
    const day = new Date(logged[0].time).toISOString().slice(0, 10);
    expect(json.rows.map((row: LooseJson) => [row.day, row.model, row.requests, row.errors])).toEqual([
      [day, 'claude-haiku-4-5', 1, 0],
      [day, 'no-such-model', 1, 1],
    ]);
    expect(Object.keys(json.rows[0]).slice(0, 2)).toEqual(['day', 'model']);
    expect(json.totals).toMatchObject({ requests: 2, errors: 1 });
  });

  it('groups by user and group (null for requests without one)', async () => {
    const { json } = await admin('/admin/report?by=group,user');
    expect(json.rows.map((row: LooseJson) => [row.group, row.user])).toEqual([
      ['research', 'Ada'],
      [null, null],
    ]);
  });

  it.each([
    ['', 'by is required'],
    ['by=team', '"team" is not a dimension'],
    ['by=day,model,user', 'at most two'],
    ['by=day,day', 'given twice'],
    ['by=day&by=model', 'by is given more than once'],
    ['by=day&since=yesterday', 'since must be a time ago (30m, 12h, 30d) or an ISO date'],
    ['by=day&until=12', 'until must be'],
    ['by=day&since=1d&until=2d', 'must be before until'],
    ['by=day&team=a', 'team is not a report parameter; the parameters are by, since, until, key'],
  ])('refuses ?%s with a 400 naming the parameter', async (query, message) => {
    const { status, json } = await admin(`/admin/report?${query}`);
    expect(status).toBe(400);
    expect(json.error.type).toBe('invalid_request_error');
    expect(json.error.message).toContain(message);
    if (query.startsWith('by=') && !query.includes('&')) {
      expect(json.error.message).toContain('user, group, key, model, platform, day, hour');
    }
  });

  it('answers 404 for a key no one has', async () => {
    const { status, json } = await admin('/admin/report?by=day&key=nobody');
    expect(status).toBe(404);
    expect(json.error.message).toContain('No gateway key matches "nobody"');
  });
});
