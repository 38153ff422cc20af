/**
 * Budget alerts through running gateways, to a real HTTP receiver: a key's
 * budget sends one alert at 80% and one at 100% (when it starts refusing),
 * not one per request, its first delivery retried; with two replicas on one
 * Redis and one Postgres store, still once each.
 */

import { randomBytes, randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestPostgres, TEST_POSTGRES_URL } from '../store/__fixtures__/postgres.js';
import { eventually } from '../test-support/child-servers.js';
import { startTestGateway, type TestGateway } from '../test-support/gateway.js';
import { startWebhookReceiver, type WebhookReceiver } from '../test-support/webhook-receiver.js';
import type { BudgetAlertPayload } from './budget-alerts.js';

const REDIS_URL = process.env['CLAUDE_GATEWAY_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const BUDGET = 0.002;

async function ask(gateway: TestGateway, secret: string): Promise<number> {
  const response = await fetch(`${gateway.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': secret },
    body: JSON.stringify({
      model: 'claude-haiku-4-5',
      max_tokens: 40,
      messages: [{ role: 'user', content: 'Say something short.' }],
    }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Asks round-robin until the budget refuses a request (at most 60 requests); returns the statuses. */
async function spendTheBudget(replicas: TestGateway[], secret: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let index = 0; index < 60; index += 1) {
    const status = await ask(replicas[index % replicas.length] as TestGateway, secret);
    statuses.push(status);
    if (status !== 200) break;
  }
  return statuses;
}

/** The alerts the receiver took (a failed delivery's retry counts once). */
function delivered(receiver: WebhookReceiver): BudgetAlertPayload[] {
  return receiver.received
    .filter((hook) => hook.status === 200)
    .map((hook) => hook.body as BudgetAlertPayload);
}

describe('budget alerts from one gateway', () => {
  let receiver: WebhookReceiver;
  let gateway: TestGateway;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    gateway = await startTestGateway({
      config: {
        alerts: { webhookUrl: receiver.url, headers: { authorization: 'Bearer hook-secret' } },
        limits: { redisUrl: false },
      },
      keys: [{ name: 'team-a', monthlyBudgetUsd: BUDGET }, { name: 'no-budget' }],
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await receiver?.close();
  });

  it('sends 80% and 100% once each, retrying a failed delivery, while requests go on', async () => {
    receiver.answerWith(500);
    const [teamA, noBudget] = gateway.keys;
    const statuses = await spendTheBudget([gateway], teamA?.secret ?? '');
    expect(statuses.at(-1)).toBe(403);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(2);
    await eventually(() => delivered(receiver).length === 2, 20_000, 'two alerts');
    // More refused requests and another key's requests send nothing more.
    for (let index = 0; index < 3; index += 1) expect(await ask(gateway, teamA?.secret ?? '')).toBe(403);
    for (let index = 0; index < 3; index += 1) expect(await ask(gateway, noBudget?.secret ?? '')).toBe(200);
    await gateway.store.flush();
    // The 80% alert's first delivery failed: its retry may arrive after the 100% alert.
    const alerts = delivered(receiver).sort((a, b) => a.threshold - b.threshold);
    expect(alerts.map((alert) => alert.threshold)).toEqual([0.8, 1]);
    expect(receiver.received[0]?.status).toBe(500);
    expect(receiver.received.at(-1)?.headers.authorization).toBe('Bearer hook-secret');
    for (const alert of alerts) {
      expect(alert).toMatchObject({
        type: 'budget_threshold_crossed',
        subject: { kind: 'key', id: teamA?.record.id, name: 'team-a' },
        budget: { period: 'month', limitUsd: BUDGET },
        resetsAt: '2027-01-01T00:00:00.000Z',
        time: '2026-12-05T12:00:00.000Z',
      });
      expect(alert.spentUsd).toBeGreaterThanOrEqual(alert.threshold * BUDGET);
      expect(alert.text).toContain('Gateway key "team-a"');
    }
    expect(alerts[0]?.spentUsd).toBeLessThan(BUDGET);
  });
});

describe('budget alerts from two replicas on one Redis and one Postgres store', () => {
  const schema = `cgw_test_${process.pid}_${randomBytes(4).toString('hex')}_alerts`;
  const keyPrefix = `cgw-test:${randomUUID()}:`;
  let database: postgres.Sql | Error = new Error('not connected');
  let receiver: WebhookReceiver;
  const replicas: TestGateway[] = [];

  beforeAll(async () => {
    database = await connectTestPostgres();
    if (database instanceof Error) throw database;
    receiver = await startWebhookReceiver();
    const config = {
      store: { url: `${TEST_POSTGRES_URL}?schema=${schema}` },
      limits: { redisUrl: REDIS_URL, keyPrefix },
      alerts: { webhookUrl: receiver.url, thresholds: [0.5, 0.8, 1] },
    };
    replicas.push(
      await startTestGateway({ config, keys: [{ name: 'shared', monthlyBudgetUsd: BUDGET }] }),
      await startTestGateway({ config }),
    );
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await receiver?.close();
    if (database instanceof Error) return;
    await database.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await database.end({ timeout: 5 });
  });

  it('sends each threshold once, whichever replica settles the request that crosses it', async () => {
    for (const replica of replicas) {
      expect((replica.gateway.context.limits as unknown as { shared: boolean }).shared).toBe(true);
    }
    const key = replicas[0]?.keys[0];
    const statuses = await spendTheBudget(replicas, key?.secret ?? '');
    expect(statuses.at(-1)).toBe(403);
    // A refused request on the other replica too: the 100% crossing is not sent again.
    expect(await ask(replicas[statuses.length % 2] as TestGateway, key?.secret ?? '')).toBe(403);
    await eventually(() => delivered(receiver).length === 3, 20_000, 'three alerts');
    for (const replica of replicas) await replica.store.flush();
    expect(delivered(receiver).map((alert) => alert.threshold)).toEqual([0.5, 0.8, 1]);
    expect(receiver.received).toHaveLength(3);
    if (database instanceof Error) throw database;
    const rows = await database.unsafe(`SELECT threshold FROM "${schema}".budget_alerts ORDER BY threshold`);
    expect(rows.map((row) => row.threshold)).toEqual([0.5, 0.8, 1]);
  });
});
