/**
 * The larger fuzz run (the suite's `src/gateway/fuzz.test.ts` sends 2,000):
 * the emulator and claude-gateway each in its own process, N seeded fuzz
 * cases (src/test-support/fuzz.ts) sent 8 at a time over raw HTTP/1.1, each
 * with a deadline that only detects hangs. Prints requests, the status
 * histogram, 5xx, hangs, every other problem, the gateway's RSS (after a
 * full GC) before and after, and the Messages requests missing from its
 * activity log (read from its SQLite file after a graceful stop).
 *
 * npx tsc -p tsconfig.bench.json && node bench/.out/bench/fuzz.js --requests 10000 [--seed N] [--keyless] [--bodies full|metadata|none]
 *
 * Exits 1 when anything is wrong.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../src/store/open-store.js';
import {
  checkAnswer,
  type FuzzResult,
  fuzzCase,
  runCases,
  sendRaw,
  statusHistogram,
} from '../src/test-support/fuzz.js';
import { ProcessGroup } from './launcher.js';
import type { FuzzGatewayOptions } from './servers/fuzz-gateway.js';
import { serveNodeFlags } from './systems.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '20261205' },
    concurrency: { type: 'string', default: '8' },
    'deadline-ms': { type: 'string', default: '15000' },
    keyless: { type: 'boolean', default: false },
    bodies: { type: 'string', default: 'full' },
    /** Node flags for the gateway, space-separated; by default those `claude-gateway serve` runs with. */
    'node-flags': { type: 'string' },
  },
});
const requests = Number(values.requests);
const seed = Number(values.seed);
const concurrency = Number(values.concurrency);
const deadlineMs = Number(values['deadline-ms']);
const WARM_UP = 300;

const here = import.meta.dirname;
const folder = mkdtempSync(join(tmpdir(), 'claude-gateway-fuzz-'));
const group = new ProcessGroup(folder);
const watchdog = setTimeout(() => {
  console.error('fuzz: the watchdog ended the run after 20 minutes');
  process.exit(2);
}, 20 * 60_000);
watchdog.unref();

const mb = (bytes: number | undefined) =>
  bytes === undefined ? '?' : `${(bytes / 1_048_576).toFixed(1)} MB`;

try {
  const emulator = await group.launch({ name: 'emulator', script: join(here, 'servers', 'emulator.js') });
  const storeUrl = `sqlite://${join(folder, 'gateway.db')}`;
  const gatewayOptions: FuzzGatewayOptions = {
    upstream: emulator.url,
    storeUrl,
    keyed: !values.keyless,
    bodies: values.bodies as 'full' | 'metadata' | 'none',
  };
  const gateway = await group.launch({
    name: 'gateway',
    script: join(here, 'servers', 'fuzz-gateway.js'),
    args: [JSON.stringify(gatewayOptions)],
    nodeFlags:
      values['node-flags'] === undefined ? serveNodeFlags() : values['node-flags'].split(' ').filter(Boolean),
  });
  const key = typeof gateway.info['key'] === 'string' ? gateway.info['key'] : undefined;
  const published = (await (await fetch(`${emulator.url}/_emulator/credentials`)).json()) as {
    aws: { secretAccessKey: string; bedrockApiKey: string };
    anthropic: { apiKey: string };
    vertex: { serviceAccount: { private_key: string } };
  };
  const secrets = [
    published.aws.secretAccessKey,
    published.aws.bedrockApiKey,
    published.anthropic.apiKey,
    'PRIVATE KEY',
    published.vertex.serviceAccount.private_key.split('\n')[1] ?? 'PRIVATE KEY',
  ];
  const send = (cases: ReturnType<typeof fuzzCase>[]) =>
    runCases(
      cases,
      (fuzz) => sendRaw(gateway.url, fuzz, deadlineMs),
      (fuzz, answer) => checkAnswer(fuzz, answer, secrets),
      concurrency,
    );
  const casesFrom = (first: number, count: number) =>
    Array.from({ length: count }, (_, index) => fuzzCase(seed, first + index, key ? { key } : {}));

  console.log(
    `fuzz: seed ${seed}, ${requests} requests (+${WARM_UP} warm-up), ${concurrency} at a time, deadline ${deadlineMs} ms, ${key ? 'keyed' : 'keyless'} gateway, store.bodies ${values.bodies}, Node ${process.version}`,
  );
  // Warm-up: code paths compiled, pools and caches filled, before the first RSS reading.
  const warmUp = await send(casesFrom(1_000_000_000, WARM_UP));
  const heapBefore = await gateway.collectGarbage();
  const rssBefore = gateway.rssBytes();
  const memoryBefore = gateway.lastMemory;

  const started = performance.now();
  const results: FuzzResult[] = [];
  const batch = 1_000;
  for (let first = 0; first < requests; first += batch) {
    results.push(...(await send(casesFrom(first, Math.min(batch, requests - first)))));
    process.stdout.write(
      `  ${results.length} sent, ${Math.round((performance.now() - started) / 1000)} s, RSS ${mb(gateway.rssBytes())}\n`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const heapAfter = await gateway.collectGarbage();
  const rssAfter = gateway.rssBytes();
  const memoryAfter = gateway.lastMemory;
  const newSpace = gateway.lastSpaces?.find((space) => space.name === 'new_space');
  const healthz = await fetch(`${gateway.url}/healthz`).then(
    (response) => response.status,
    () => 0,
  );

  // A graceful stop flushes the log; then read it from the file.
  await gateway.stop(5_000);
  const store = await openStore(`${storeUrl}?writer=inline`);
  const rows = await store.queryRequests({ limit: 10_000_000 });
  await store.close();
  const all = [...warmUp, ...results];
  const ids = new Set(rows.map((row) => row.id));
  const answeredIds = all
    .map((result) => result.answer.headers['x-claude-gateway-request-id'])
    .filter((id): id is string => id !== undefined);
  const missingIds = answeredIds.filter((id) => !ids.has(id));
  const expectedMessages = all.filter(
    (result) => result.fuzz.messagesPath && result.fuzz.reachesHandler,
  ).length;
  const loggedMessages = rows.filter(
    (row) => row.operation === 'messages' || row.operation === 'count_tokens',
  ).length;

  const histogram = statusHistogram(results);
  const fiveHundreds = results.filter((result) => result.answer.status >= 500).length;
  const hangs = results.filter((result) => result.answer.timedOut).length;
  const failed = all.filter((result) => result.problems.length > 0);
  const byProblem = new Map<string, number>();
  for (const result of failed)
    for (const problem of result.problems) {
      const kind = problem.slice(0, 60);
      byProblem.set(kind, (byProblem.get(kind) ?? 0) + 1);
    }
  const valid = results.filter((result) => result.fuzz.valid).length;
  const streamed = results.filter((result) => result.fuzz.valid && result.fuzz.stream).length;

  console.log('');
  console.log(
    `requests            ${requests} in ${seconds.toFixed(1)} s (${Math.round(requests / seconds)}/s); ${valid} valid (${streamed} streamed), ${requests - valid} malformed or edge-case`,
  );
  console.log(
    `status histogram    ${Object.entries(histogram)
      .map(([status, count]) => `${status}: ${count}`)
      .join(', ')}`,
  );
  console.log(`5xx                 ${fiveHundreds}`);
  console.log(`hangs               ${hangs} (no answer and not closed within ${deadlineMs} ms)`);
  console.log(`problems            ${failed.length} requests with any problem${failed.length ? ':' : ''}`);
  for (const [kind, count] of byProblem) console.log(`                      ${count} × ${kind}`);
  for (const result of failed.slice(0, 10))
    console.log(
      `                      e.g. #${result.fuzz.index} ${result.fuzz.label} ${result.fuzz.method} ${result.fuzz.path.slice(0, 80)} → ${result.answer.status}: ${result.problems.join('; ').slice(0, 200)}`,
    );
  console.log(
    `gateway RSS         ${mb(rssBefore)} before, ${mb(rssAfter)} after (${rssAfter >= rssBefore ? '+' : ''}${mb(rssAfter - rssBefore)}), after a full GC; V8 heap ${mb(heapBefore)} → ${mb(heapAfter)} in use, ${mb(memoryBefore?.heapTotal)} → ${mb(memoryAfter?.heapTotal)} committed (young generation ${mb(newSpace?.physical)} resident of ${mb(newSpace?.size)}); external ${mb(memoryBefore?.external)} → ${mb(memoryAfter?.external)}`,
  );
  console.log(
    `activity log        ${loggedMessages} Messages rows for ${expectedMessages} Messages requests that reached the handler (${expectedMessages - loggedMessages} missing); ${missingIds.length} of ${answeredIds.length} answered request ids missing`,
  );
  console.log(`/healthz after      ${healthz}`);
  const ok =
    failed.length === 0 && missingIds.length === 0 && loggedMessages === expectedMessages && healthz === 200;
  console.log(ok ? 'fuzz: OK' : 'fuzz: PROBLEMS FOUND');
  await group.stopAll();
  rmSync(folder, { recursive: true, force: true });
  process.exit(ok ? 0 : 1);
} catch (error) {
  console.error(error);
  await group.stopAll();
  console.error(`logs kept in ${folder}`);
  process.exit(2);
}
