/**
 * Claude Code's start-up probe: `HEAD /api/hello` on the Anthropic base URL
 * (the gateway protocol lets a gateway answer it; a 404 there looks like a
 * misconfigured base URL). Answered 200 without a gateway key, like the
 * model listings, and not logged as a request.
 */

import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../test-support/gateway.js';

const gateway = useTestGateway({ keys: [{ name: 'probe-test' }] });

describe('GET and HEAD /api/hello', () => {
  it('answers HEAD with 200 and no body, without a gateway key', async () => {
    const response = await fetch(`${gateway().url}/api/hello`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toBe('');
  });

  it('answers GET with 200 and a JSON body, without a gateway key', async () => {
    const response = await fetch(`${gateway().url}/api/hello`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ type: 'hello' });
  });

  it('still asks for a key on the Messages endpoint, and keeps other methods on the probe path unserved', async () => {
    const messages = await fetch(`${gateway().url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [] }),
    });
    expect(messages.status).toBe(401);
    const post = await fetch(`${gateway().url}/api/hello`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(404);
  });

  it('leaves no row in the activity log', async () => {
    const before = (await gateway().requests()).length;
    await fetch(`${gateway().url}/api/hello`, { method: 'HEAD' });
    await fetch(`${gateway().url}/api/hello`);
    expect((await gateway().requests()).length).toBe(before);
  });
});
