/**
 * Two gateways on one Postgres database (a schema of their own), for tests of
 * what one replica's change does on the other: set up before the file's tests
 * (both already listening for changes), torn down after. The first gateway
 * takes admin calls, the second answers Messages requests.
 */

import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';
import { afterAll, beforeAll, expect } from 'vitest';
import { connectTestPostgres, TEST_POSTGRES_URL } from '../store/__fixtures__/postgres.js';
import { startTestGateway, type TestGateway } from './gateway.js';
import { type LooseJson, readJson } from './json.js';

export interface PostgresReplicas {
  /** An admin API call on the first gateway: its status and JSON body. */
  adminOnFirst(method: string, path: string, body?: unknown): Promise<{ status: number; json: LooseJson }>;
  /** The status the second gateway answers a Messages request with this credential and model. */
  statusOnSecond(secret: string, model?: string): Promise<number>;
  /** Asks the second gateway until it answers `expected`, for at most 2 s; the statuses it gave on the way. */
  untilSecondAnswers(expected: number, secret: string, model?: string): Promise<number[]>;
}

/** Registers the two gateways for this test file; `name` keeps its schema apart from other files'. */
export function usePostgresReplicas(name: string, adminKey: string): PostgresReplicas {
  const schema = `cgw_test_${process.pid}_${randomBytes(4).toString('hex')}_${name}`;
  let database: postgres.Sql | Error = new Error('not connected');
  let first: TestGateway;
  let second: TestGateway;

  beforeAll(async () => {
    database = await connectTestPostgres();
    if (database instanceof Error) throw database;
    const config = {
      server: { adminKey },
      store: { url: `${TEST_POSTGRES_URL}?schema=${schema}` },
      routes: [{ models: ['*'], targets: ['bedrock/global'] }],
    };
    first = await startTestGateway({ config, keys: [{ name: 'keeps-the-gateways-closed' }] });
    second = await startTestGateway({ config });
    // Both listen before anything changes (a gateway serves while LISTEN is being set up).
    expect(await first.gateway.context.callers.watchingKeyChanges).toBe(true);
    expect(await second.gateway.context.callers.watchingKeyChanges).toBe(true);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    if (database instanceof Error) return;
    await database.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await database.end({ timeout: 5 });
  });

  const statusOnSecond = async (secret: string, model = 'claude-sonnet-4-5'): Promise<number> => {
    const response = await fetch(`${second.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': secret },
      body: JSON.stringify({ model, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
    });
    await response.arrayBuffer();
    return response.status;
  };

  return {
    async adminOnFirst(method, path, body) {
      const response = await fetch(`${first.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: response.status, json: await readJson(response) };
    },
    statusOnSecond,
    async untilSecondAnswers(expected, secret, model) {
      const seen: number[] = [];
      const deadline = performance.now() + 2_000;
      for (;;) {
        const status = await statusOnSecond(secret, model);
        seen.push(status);
        if (status === expected || performance.now() >= deadline) return seen;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
}
