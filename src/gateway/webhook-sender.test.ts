/**
 * The webhook sender against a real HTTP receiver: JSON with the configured
 * headers, retried with backoff on 5xx and network errors, not on other 4xx,
 * and never in the caller's way.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, freePort } from '../test-support/child-servers.js';
import { startWebhookReceiver, type WebhookReceiver } from '../test-support/webhook-receiver.js';
import { WebhookSender } from './webhook-sender.js';

let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(() => receiver.close());

function logged() {
  const lines: { level: string; message: string }[] = [];
  return { lines, logger: (level: 'warn' | 'error', message: string) => lines.push({ level, message }) };
}

describe('WebhookSender', () => {
  it('POSTs JSON with the configured headers, and retries a 5xx until it is taken', async () => {
    receiver.received.length = 0;
    receiver.answerWith(503, 500);
    const { lines, logger } = logged();
    const sender = new WebhookSender({
      url: receiver.url,
      headers: { Authorization: 'Bearer hook-token' },
      baseDelayMs: 5,
      logger,
    });
    sender.send({ text: 'hello' });
    expect(sender.pending).toBe(1);
    await eventually(() => receiver.received.at(-1)?.status === 200);
    expect(receiver.received.map((hook) => hook.status)).toEqual([503, 500, 200]);
    expect(receiver.received[2]?.body).toEqual({ text: 'hello' });
    expect(receiver.received[2]?.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: 'Bearer hook-token',
    });
    await sender.close();
    expect(lines).toEqual([]);
  });

  it('gives up on a 4xx at once, and after its last try on a receiver that is not there, saying so without the path', async () => {
    receiver.received.length = 0;
    receiver.answerWith(404);
    const { lines, logger } = logged();
    const refused = new WebhookSender({ url: receiver.url, baseDelayMs: 5, logger });
    refused.send({ text: 'nobody home' });
    await eventually(() => lines.length === 1);
    expect(receiver.received).toHaveLength(1);
    expect(lines[0]?.message).toMatch(
      /^webhook delivery to http:\/\/127\.0\.0\.1:\d+\/… failed \(HTTP 404\); given up$/,
    );
    const port = await freePort();
    const gone = new WebhookSender({
      url: `http://127.0.0.1:${port}/secret-path`,
      attempts: 3,
      baseDelayMs: 5,
      logger,
    });
    gone.send({ text: 'lost' });
    await eventually(() => lines.length === 2);
    expect(lines[1]?.message).toContain('failed (');
    expect(lines[1]?.message).not.toContain('secret-path');
    await Promise.all([refused.close(), gone.close()]);
  });

  it('abandons retries still waiting when closed', async () => {
    receiver.answerWith(500, 500, 500);
    const before = receiver.received.length;
    const sender = new WebhookSender({ url: receiver.url, baseDelayMs: 60_000 });
    sender.send({ text: 'late' });
    await eventually(() => receiver.received.length === before + 1);
    expect(sender.pending).toBe(1);
    await sender.close(10);
    expect(sender.pending).toBe(0);
    sender.send({ text: 'after close' });
    expect(sender.pending).toBe(0);
  });
});
