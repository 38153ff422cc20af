/**
 * The access log (`server.accessLog: true`): one JSON line per finished
 * request, refused ones included, without bodies or credentials.
 */

import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { startTestGateway, UPSTREAM_SECRETS, useTestGateway } from '../test-support/gateway.js';

const gateway = useTestGateway({
  config: { server: { metricsToken: 'metrics-token-0123456789' } },
  keys: [{ name: 'team-a' }],
  accessLog: true,
});

describe('the access log (on by default) and the metrics token', () => {
  it('guards /metrics with server.metricsToken', async () => {
    expect((await fetch(`${gateway().url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${gateway().url}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${gateway().url}/metrics`, {
      headers: { authorization: 'Bearer metrics-token-0123456789' },
    });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('claude_gateway_requests_total');
  });

  it('writes one line per request with what an operator greps for', async () => {
    const key = gateway().keys[0]?.secret ?? '';
    const client = new Anthropic({ baseURL: gateway().url, apiKey: key, maxRetries: 0 });
    const { response } = await client.messages
      .create({ model: 'claude-haiku-4-5', max_tokens: 20, messages: [{ role: 'user', content: 'Log me' }] })
      .withResponse();
    await new Anthropic({ baseURL: gateway().url, apiKey: 'cgw_wrong', maxRetries: 0 }).messages
      .create({ model: 'claude-haiku-4-5', max_tokens: 20, messages: [{ role: 'user', content: 'x' }] })
      .catch(() => undefined);
    const lines = gateway().logs.filter((line) => line['msg'] === 'request');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      requestId: response.headers.get('request-id'),
      dialect: 'anthropic',
      status: 200,
      model: 'claude-haiku-4-5',
      key: 'team-a',
    });
    expect(lines[0]?.['outputTokens']).toBeGreaterThan(0);
    expect(lines[1]).toMatchObject({ status: 401, error: 'authentication_error' });
    const text = JSON.stringify(lines);
    expect(text).not.toContain('Log me');
    expect(text).not.toContain(key);
    for (const secret of UPSTREAM_SECRETS) expect(text).not.toContain(secret);
  });

  it('is on by default, and test gateways that do not ask for it send it to a sink', async () => {
    expect(parseConfig({}, {}).server.accessLog).toBe(true);
    const quiet = await startTestGateway();
    try {
      const response = await fetch(`${quiet.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'claude-haiku-4-5',
          max_tokens: 5,
          messages: [{ role: 'user', content: 'x' }],
        }),
      });
      expect(response.status).toBe(200);
      await response.text();
      expect((await quiet.requests()).length).toBe(1);
      expect(quiet.logs.filter((line) => line['msg'] === 'request')).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
