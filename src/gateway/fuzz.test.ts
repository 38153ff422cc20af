/**
 * The gateway under 2,000 fuzzed requests in its three dialects (see
 * src/test-support/fuzz.ts; `bench/fuzz.ts` runs more, in its own process,
 * with RSS): broken and mistyped bodies, odd paths, methods, headers and
 * encodings, bodies cut short, malformed HTTP, valid requests (some streamed)
 * mixed in, sent 8 at a time to a keyless and a keyed gateway. No 5xx, no
 * hang, every error in the client's dialect, no upstream credential or stack
 * trace in any answer, every Messages request in the activity log, and the
 * gateway still answering after. The deadline only detects hangs: nothing
 * here asserts on time.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkAnswer,
  type FuzzCase,
  type FuzzResult,
  fuzzCase,
  runCases,
  sendRaw,
  statusHistogram,
} from '../test-support/fuzz.js';
import { startTestGateway, type TestGateway, UPSTREAM_SECRETS } from '../test-support/gateway.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261205);
const KEYLESS = 1_300;
const KEYED = 700;
/** Long enough that only a hang passes it on a loaded machine; the body and header timeouts are 1 s each. */
const DEADLINE_MS = 15_000;
const CONCURRENCY = 8;

const config = {
  server: {
    maxBodyBytes: 1_048_576,
    clientTimeouts: { headersMs: 1_000, bodyMs: 1_000, idleMs: 5_000 },
  },
};

interface Run {
  setup: TestGateway;
  cases: FuzzCase[];
  results: FuzzResult[];
}

const runs: Record<'keyless' | 'keyed', Run | undefined> = { keyless: undefined, keyed: undefined };

async function fuzz(name: 'keyless' | 'keyed', first: number, count: number): Promise<Run> {
  const setup = await startTestGateway({
    config,
    ...(name === 'keyed' ? { keys: [{ name: 'fuzz' }] } : {}),
  });
  const key = setup.keys[0]?.secret;
  const privateKey = (setup.emulator.auth.serviceAccountJson('x') as { private_key: string }).private_key;
  const secrets = [...UPSTREAM_SECRETS, privateKey.split('\n')[1] ?? 'PRIVATE KEY'];
  const cases = Array.from({ length: count }, (_, index) =>
    fuzzCase(SEED, first + index, key ? { key } : {}),
  );
  const results = await runCases(
    cases,
    (request) => sendRaw(setup.url, request, DEADLINE_MS),
    (request, answer) => checkAnswer(request, answer, secrets),
    CONCURRENCY,
  );
  return { setup, cases, results };
}

function report(results: FuzzResult[]): string {
  return results
    .filter((result) => result.problems.length > 0)
    .slice(0, 15)
    .map(
      ({ fuzz, answer, problems }) =>
        `#${fuzz.index} ${fuzz.label} ${fuzz.method} ${fuzz.path.slice(0, 100)} → ${answer.status}: ${problems.join('; ')}`,
    )
    .join('\n');
}

beforeAll(async () => {
  runs.keyless = await fuzz('keyless', 0, KEYLESS);
  runs.keyed = await fuzz('keyed', KEYLESS, KEYED);
}, 120_000);

afterAll(async () => {
  await runs.keyless?.setup.close();
  await runs.keyed?.setup.close();
});

describe.each(['keyless', 'keyed'] as const)('fuzzed requests to a %s gateway', (name) => {
  const run = () => {
    const value = runs[name];
    if (!value) throw new Error('the fuzz run did not happen');
    return value;
  };

  it('mixed valid and invalid requests of every kind', () => {
    const { results } = run();
    const valid = results.filter((result) => result.fuzz.valid).length;
    expect(valid).toBeGreaterThan(results.length * 0.15);
    expect(results.filter((result) => result.fuzz.valid && result.fuzz.stream).length).toBeGreaterThan(20);
    const labels = new Set(results.map((result) => result.fuzz.label.split(' ')[0]));
    for (const label of [
      'valid',
      'field:',
      'broken',
      'duplicate',
      'content',
      'path',
      'method',
      'header',
      'malformed',
      'delivery',
    ])
      expect(labels, label).toContain(label);
    const histogram = statusHistogram(results);
    expect(histogram['200'] ?? 0).toBeGreaterThan(0);
    expect(histogram['400'] ?? 0).toBeGreaterThan(0);
  });

  it('answered every request within its deadline, never with a 5xx, in the dialect, with no secret or stack trace', () => {
    const { results } = run();
    expect(report(results)).toBe('');
    expect(results.filter((result) => result.answer.timedOut)).toHaveLength(0);
    expect(results.filter((result) => result.answer.status >= 500)).toHaveLength(0);
  });

  it('logged every Messages request that reached the handler, and every answer it gave a request id', async () => {
    const { setup, results } = run();
    const sent = results.filter((result) => result.fuzz.messagesPath && result.fuzz.reachesHandler).length;
    const messageRows = (rows: { operation: string }[]) =>
      rows.filter((row) => row.operation === 'messages' || row.operation === 'count_tokens').length;
    // Rows of requests whose client left are written when the gateway notices: give it a moment.
    await setup.store.flush();
    let rows = await setup.store.queryRequests({ limit: 100_000 });
    for (let wait = 0; wait < 50 && messageRows(rows) < sent; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await setup.store.flush();
      rows = await setup.store.queryRequests({ limit: 100_000 });
    }
    const ids = new Set(rows.map((row) => row.id));
    const missing = results
      .map((result) => result.answer.headers['x-claude-gateway-request-id'])
      .filter((id): id is string => id !== undefined && !ids.has(id));
    expect(missing).toEqual([]);
    expect(messageRows(rows)).toBe(sent);
  });

  it('still answers /healthz and a valid request', async () => {
    const { setup } = run();
    expect((await fetch(`${setup.url}/healthz`)).status).toBe(200);
    const response = await fetch(`${setup.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(setup.keys[0] ? { 'x-api-key': setup.keys[0].secret } : {}),
      },
      body: JSON.stringify({
        model: 'haiku',
        max_tokens: 16,
        messages: [{ role: 'user', content: 'still there?' }],
      }),
    });
    expect(response.status).toBe(200);
  });
});
