/**
 * Claude Code (the real binary from npm) against the gateway, in its three
 * gateway modes: the Anthropic API (`ANTHROPIC_BASE_URL`), Bedrock
 * (`CLAUDE_CODE_USE_BEDROCK`) and Vertex (`CLAUDE_CODE_USE_VERTEX`). Each run
 * asks the emulator's scripted model for a Bash call; Claude Code runs it and
 * sends the result back, and the model answers with text made from it.
 *
 * The gateway and emulator run in-process, set up as `serve --emulate` does
 * them; a recorder in front of the gateway keeps the headers Claude Code sent.
 *
 * Not a test file itself: `claude-code-2-1-197.test.ts` and
 * `claude-code-newest.test.ts` each load it for one build of Claude Code
 * (`CLAUDE_CODE_TEST_BUILD`), each in its own process.
 */

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/catalog/default-catalog.js';
import { costOfUsage } from '../../src/catalog/pricing.js';
import type { BedrockScope, Platform } from '../../src/catalog/types.js';
import { main } from '../../src/cli/main.js';
import { EMULATED_DEFAULT_TARGETS, emulatedPlatforms } from '../../src/config/emulated-platforms.js';
import { parseConfig } from '../../src/config/load.js';
import type { RouteConfig } from '../../src/config/schema.js';
import type { JournalEntry } from '../../src/emulator/journal.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import { type RunningGateway, startGateway } from '../../src/gateway/server.js';
import { openStore } from '../../src/store/open-store.js';
import type { AttemptRecord, CreatedApiKey, Dialect, RequestRecord, Store } from '../../src/store/types.js';
import { testClock } from '../../src/test-support/gateway.js';
import { startTestIdp, type TestIdp } from '../../src/test-support/oidc-idp.js';
import {
  type ClaudeResult,
  type ClaudeRun,
  type ProxyTrap,
  probeClaudeCode,
  type RecordedRequest,
  type RecordingProxy,
  runClaudeCode,
  selectedBuild,
  startProxyTrap,
  startRecordingProxy,
} from './claude-code-runner.js';

/** The built CLI, which the apiKeyHelper that `login --configure-claude-code` writes runs. */
const BUILT_CLI = resolve(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');

// Probed before anything listens: a binary that cannot run here skips these tests and says why.
const probe = probeClaudeCode();
const skipReason = probe.ok ? undefined : probe.reason;
if (skipReason) console.warn(`Claude Code tests skipped: ${skipReason}`);
const runsHere = it.skipIf(skipReason !== undefined);
const named = (title: string) => (skipReason ? `${title} [skipped: ${skipReason}]` : title);

/** The shell computes this, so the answer can only contain it if the command really ran. */
const TOOL_COMMAND = 'echo "tool-ran-$((6 * 7))"';
const TOOL_OUTPUT = 'tool-ran-42';
const TOOL_PROMPT = `@emulator ${JSON.stringify({
  tool_use: { name: 'Bash', input: { command: TOOL_COMMAND, description: 'Print a marker' } },
})}`;
const TOOL_ANSWER = `The tool returned: ${TOOL_OUTPUT}`;

/** A subagent (the Agent tool) whose own prompt makes it start another subagent, which answers in text. */
const agentCall = (prompt: string) =>
  `@emulator ${JSON.stringify({
    tool_use: { name: 'Agent', input: { description: 'Delegate', prompt, subagent_type: 'general-purpose' } },
  })}`;
const NESTED_AGENTS_PROMPT = agentCall(agentCall('Say hello briefly'));

/**
 * The model ids each build asks for by default in each mode: the gateway must serve exactly these,
 * with no walk-down to older models (the newest build picks its Bedrock default from the gateway's
 * /inference-profiles, which answers from the catalog). `routed` is the catalog name of the
 * Bedrock/Vertex default, which the keyed suite routes to Vertex only.
 */
const DEFAULT_MODELS = {
  '2.1.197': {
    anthropic: 'claude-opus-4-8',
    bedrock: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    vertex: 'claude-sonnet-4-5@20250929',
    routed: 'claude-sonnet-4-5',
    anthropicModeBeta: 'mid-conversation-system-2026-04-07',
    // Sonnet 4.5 is a legacy (InvokeModel-only) model on Bedrock: Bedrock's Messages API does not offer it.
    notOnBedrockMessages: ['bedrock', 'vertex'],
  },
  newest: {
    anthropic: 'claude-opus-5-5',
    bedrock: 'us.anthropic.claude-opus-5-5',
    vertex: 'claude-opus-5-5',
    routed: 'claude-opus-5-5',
    anthropicModeBeta: 'mid-conversation-tool-changes-2026-07-01',
    notOnBedrockMessages: [],
  },
} as const;
const CLAUDE_CODE_MODELS: Record<Dialect, string> = DEFAULT_MODELS[selectedBuild()];
/** The modes whose default model Bedrock's Messages API does not offer (see the only-target suites below). */
const NOT_ON_BEDROCK_MESSAGES: readonly Dialect[] = DEFAULT_MODELS[selectedBuild()].notOnBedrockMessages;
/** A first-party-only beta the build sends in Anthropic mode (it must reach the Anthropic API as sent). */
const ANTHROPIC_MODE_BETA = DEFAULT_MODELS[selectedBuild()].anthropicModeBeta;
const ROUTED_MODEL = DEFAULT_MODELS[selectedBuild()].routed;
const UPSTREAM_PLATFORMS = new Set([
  'anthropic',
  'bedrock',
  'bedrock-messages',
  'claude-platform-aws',
  'vertex',
  'foundry',
]);

/** Each mode's environment, as the README tells users to set it. */
function modeEnvironment(dialect: Dialect, url: string): Record<string, string> {
  switch (dialect) {
    case 'anthropic':
      // Without keys the gateway takes any caller; Claude Code still needs a key to start.
      return { ANTHROPIC_BASE_URL: url, ANTHROPIC_API_KEY: 'sk-ant-not-checked-by-the-gateway' };
    case 'bedrock':
      return {
        CLAUDE_CODE_USE_BEDROCK: '1',
        ANTHROPIC_BEDROCK_BASE_URL: url,
        CLAUDE_CODE_SKIP_BEDROCK_AUTH: '1',
        AWS_REGION: 'us-east-1',
      };
    case 'vertex':
      return {
        CLAUDE_CODE_USE_VERTEX: '1',
        ANTHROPIC_VERTEX_BASE_URL: `${url}/v1`,
        CLAUDE_CODE_SKIP_VERTEX_AUTH: '1',
        CLOUD_ML_REGION: 'global',
        ANTHROPIC_VERTEX_PROJECT_ID: 'some-project',
      };
  }
}

/** A gateway over the shared emulator, with the recorder in front of it. */
interface Setup {
  gateway: RunningGateway;
  store: Store;
  recorder: RecordingProxy;
  routes: RouteConfig[];
  keys: CreatedApiKey[];
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

async function startSetup(
  emulator: RunningEmulator,
  options: {
    routes?: RouteConfig[];
    defaultTargets?: string[];
    keyNames?: string[];
    auth?: Record<string, unknown>;
  } = {},
): Promise<Setup> {
  // As serve --emulate: no routes, so each client is served by its own platform first.
  const routes = options.routes ?? [];
  const config = parseConfig(
    {
      server: { host: '127.0.0.1', port: 0 },
      store: { url: 'sqlite::memory:' },
      routes,
      defaultTargets: options.defaultTargets ?? EMULATED_DEFAULT_TARGETS,
      ...(options.auth ? { auth: options.auth } : {}),
    },
    {},
    'test configuration',
  );
  const store = await openStore(config.store.url, { batch: { flushIntervalMs: 5 } });
  const keys: CreatedApiKey[] = [];
  for (const name of options.keyNames ?? []) keys.push(await store.createKey({ name }));
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const gateway = await startGateway({
    config,
    platforms: emulatedPlatforms(emulator),
    store,
    logger: pino({ level: 'info' }, sink),
    // The gateway's and the emulator's "now" are pinned: what the listings offer never depends on the date.
    clock: testClock,
  });
  // As serve does: the platforms' model lists are read at start (here the emulator's); the runs' journal starts after.
  await gateway.modelsDiscovered;
  const recorder = await startRecordingProxy(gateway.url);
  return {
    gateway,
    store,
    recorder,
    routes,
    keys,
    logs,
    close: async () => {
      await recorder.close();
      await gateway.stop(1_000);
    },
  };
}

/** Everything one Claude Code run left behind: its result, the log rows, the journal, the headers. */
interface Observed {
  run: ClaudeRun;
  result: ClaudeResult;
  /** Activity rows of the run's Messages calls, oldest first. */
  rows: RequestRecord[];
  /** Other activity rows of the run (model listings), oldest first. */
  otherRows: RequestRecord[];
  attempts: AttemptRecord[][];
  /** Emulator journal entries for upstream platforms (not Google's token endpoint), oldest first. */
  journal: JournalEntry[];
  /** What Claude Code sent to the gateway. */
  recorded: RecordedRequest[];
  messagePosts: RecordedRequest[];
}

let emulator: RunningEmulator;
let trap: ProxyTrap;

async function journalSince(sinceId: number): Promise<JournalEntry[]> {
  const response = await fetch(`${emulator.url}/_emulator/requests?since=${sinceId}`);
  const { requests } = (await response.json()) as { requests: JournalEntry[] };
  return requests;
}

async function lastJournalId(): Promise<number> {
  return (await journalSince(0)).at(-1)?.id ?? 0;
}

async function rowsSince(store: Store, since: number, expectedMessages: number): Promise<RequestRecord[]> {
  // The last row is written when the gateway finishes the response, which may be just after Claude Code exits.
  let rows: RequestRecord[] = [];
  for (let waited = 0; waited < 3_000; waited += 25) {
    await store.flush();
    rows = await store.queryRequests({ since, includeBodies: true, limit: 100 });
    if (rows.filter((row) => row.operation === 'messages').length >= expectedMessages) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return rows.reverse();
}

function describeRun(run: ClaudeRun): string {
  return [
    `exit ${run.exitCode ?? run.signal}${run.timedOut ? ' (timed out)' : ''} after ${run.durationMs} ms`,
    `stdout: ${run.stdout.slice(0, 2_000)}`,
    `stderr: ${run.stderr.slice(0, 2_000)}`,
  ].join('\n');
}

/** Runs Claude Code once with the tool prompt (or another) and collects what it left behind. */
async function toolTurn(
  setup: Setup,
  env: Record<string, string>,
  options: { expectedRows?: number; prompt?: string; allowedTools?: string[]; timeoutMs?: number } = {},
): Promise<Observed> {
  const journalStart = await lastJournalId();
  const recordedStart = setup.recorder.requests.length;
  const trapStart = trap.attempts.length;
  const run = await runClaudeCode({
    prompt: options.prompt ?? TOOL_PROMPT,
    env,
    allowedTools: options.allowedTools ?? ['Bash'],
    proxyUrl: trap.url,
    timeoutMs: options.timeoutMs ?? 60_000,
  });
  const result = run.result;
  if (!result) expect.fail(`Claude Code printed no JSON result:\n${describeRun(run)}`);
  const allRows = await rowsSince(setup.store, run.startedAt, options.expectedRows ?? 2);
  const rows = allRows.filter((row) => row.operation === 'messages');
  const otherRows = allRows.filter((row) => row.operation !== 'messages');
  const attempts = await Promise.all(rows.map((row) => setup.store.attemptsOf(row.id)));
  const journal = (await journalSince(journalStart)).filter((entry) =>
    UPSTREAM_PLATFORMS.has(entry.platform),
  );
  const recorded = setup.recorder.requests.slice(recordedStart);
  expect(trap.attempts.slice(trapStart), 'Claude Code tried to reach a non-loopback host').toEqual([]);
  expect(setup.logs.filter((line) => Number(line['level']) >= 50)).toEqual([]);
  return {
    run,
    result,
    rows,
    otherRows,
    attempts,
    journal,
    recorded,
    messagePosts: recorded.filter((request) => request.method === 'POST'),
  };
}

/**
 * The platform the configured routes send a model to first (what serves it when nothing fails);
 * with no route, the client's own platform (its Bedrock profile or Vertex location comes first).
 */
function firstPlatform(routes: RouteConfig[], names: (string | undefined)[], dialect: Dialect): string {
  const route = routes.find((candidate) =>
    candidate.models.some((model) => model === '*' || names.includes(model)),
  );
  if (!route) return dialect;
  return route.targets[0]?.split('/')[0] ?? '';
}

/**
 * What every mode must show: the run succeeded with the answer made from the
 * tool's output; two turns in the activity log in the client's dialect, the
 * first stopping for the tool and the second carrying its result; one session
 * id (Claude Code's own, from `x-claude-code-session-id`) on every row and
 * request; and the emulator journal naming the platform the log says served.
 */
async function expectToolRoundTrip(observed: Observed, dialect: Dialect, setup: Setup): Promise<void> {
  const { run, result, rows, attempts, journal, messagePosts } = observed;
  expect(run.timedOut, describeRun(run)).toBe(false);
  expect(result.is_error, describeRun(run)).toBe(false);
  expect(run.exitCode, describeRun(run)).toBe(0);
  expect(result.subtype).toBe('success');
  expect(result.num_turns).toBe(2);
  expect(result.permission_denials).toEqual([]);
  expect(result.result).toContain(TOOL_ANSWER);
  expect(result.usage.output_tokens).toBeGreaterThan(0);
  expect(Object.keys(result.modelUsage).join(',')).toContain(CLAUDE_CODE_MODELS[dialect]);

  // The activity log: the two turns, in the client's dialect, grouped by Claude Code's session id.
  const sessionId = result.session_id;
  expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
  expect(rows.map((row) => [row.dialect, row.operation, row.status, row.stream])).toEqual([
    [dialect, 'messages', 200, true],
    [dialect, 'messages', 200, true],
  ]);
  expect(rows.map((row) => row.requestedModel)).toEqual([
    CLAUDE_CODE_MODELS[dialect],
    CLAUDE_CODE_MODELS[dialect],
  ]);
  expect(rows.map((row) => row.sessionId)).toEqual([sessionId, sessionId]);
  expect(rows.map((row) => row.stopReason)).toEqual(['tool_use', 'end_turn']);
  for (const row of rows) {
    expect(row.userAgent).toMatch(/^claude-cli\/\d+\.\d+\.\d+/);
    expect(row.clientDisconnected).toBe(false);
    expect(row.outputTokens).toBeGreaterThan(0);
    // A known, correct cost: the catalog's prices for the model and target that served (no estimate, never $0).
    const model = defaultCatalog().find(row.model ?? '');
    const target = {
      platform: row.platform as Platform,
      region: row.region,
      scope: row.scope as BedrockScope,
    };
    const usage = {
      input_tokens: row.inputTokens,
      output_tokens: row.outputTokens,
      cache_read_input_tokens: row.cacheReadTokens,
      cache_creation_input_tokens: row.cacheWriteTokens,
    };
    // The row keeps the cache writes' total, not their 5-minute/1-hour split: the cost lies between the two.
    const allFiveMinute = costOfUsage(usage, model, target) ?? Number.NaN;
    const allOneHour =
      costOfUsage(
        { ...usage, cache_creation: { ephemeral_1h_input_tokens: row.cacheWriteTokens } },
        model,
        target,
      ) ?? Number.NaN;
    expect(row.costUsd).toBeGreaterThan(0);
    expect(row.costUsd).toBeGreaterThanOrEqual(allFiveMinute - 1e-6);
    expect(row.costUsd).toBeLessThanOrEqual(allOneHour + 1e-6);
    expect(row.costEstimated).toBeUndefined();
  }
  // The second turn carried the tool's result back.
  const secondBody = JSON.parse(rows[1]?.requestBody ?? '{}') as {
    messages?: { role: string; content: unknown }[];
  };
  const lastUser = secondBody.messages?.filter((message) => message.role === 'user').at(-1);
  expect(JSON.stringify(lastUser?.content)).toContain('"type":"tool_result"');
  expect(JSON.stringify(lastUser?.content)).toContain(TOOL_OUTPUT);

  // What Claude Code sent: the session header on every request, the API version.
  expect(messagePosts).toHaveLength(2);
  for (const request of messagePosts) {
    expect(request.headers['x-claude-code-session-id']).toBe(sessionId);
    expect(request.headers['anthropic-version']).toBe('2023-06-01');
    expect(request.headers['anthropic-beta']).toContain('claude-code-20250219');
    expect(request.headers['user-agent']).toMatch(/^claude-cli\//);
  }

  // The platform that served: the first target of the route, per the log and per the emulator.
  const platform = firstPlatform(setup.routes, [rows[0]?.model, rows[0]?.requestedModel], dialect);
  expect(rows.map((row) => row.platform)).toEqual([platform, platform]);
  const flatAttempts = attempts.flat();
  if (platform === dialect) {
    // One upstream attempt per turn: nothing Claude Code sends is refused by its own platform.
    expect(rows.map((row) => row.attemptCount)).toEqual([1, 1]);
  } else {
    // Served by another platform: a beta only the client's own platform knows may be refused once,
    // learned and dropped (then up front on the next turn). Nothing else is retried.
    expect(rows[1]?.attemptCount).toBe(1);
    const refused = attempts[0]?.filter((attempt) => attempt.outcome !== 'success') ?? [];
    expect(refused.length).toBeLessThanOrEqual(1);
    for (const attempt of refused) expect(attempt.errorMessage).toMatch(/beta/i);
  }
  expect(flatAttempts.every((attempt) => attempt.platform === platform)).toBe(true);
  expect(flatAttempts.at(-1)?.outcome).toBe('success');
  expect(journal.map((entry) => entry.platform)).toEqual(flatAttempts.map((attempt) => attempt.platform));
  expect(journal.map((entry) => entry.model)).toEqual(flatAttempts.map((attempt) => attempt.upstreamModelId));
  expect(journal.map((entry) => entry.status)).toEqual(flatAttempts.map((attempt) => attempt.status));
  expect(journal.at(-1)?.stream).toBe(true);
  await expectSessionQuery(setup, observed);
  // One session, one place: the gateway's stickiness kept both turns on the same target.
  expect(
    new Set(rows.map((row) => `${row.platform}/${row.scope ?? row.region ?? ''}/${row.upstreamModelId}`))
      .size,
  ).toBe(1);
}

/** A run is one session: the log finds exactly its rows by Claude Code's session id. */
async function expectSessionQuery(setup: Setup, observed: Observed): Promise<void> {
  const bySession = await setup.store.queryRequests({ sessionId: observed.result.session_id, limit: 100 });
  expect(bySession.map((row) => row.id).sort()).toEqual(observed.rows.map((row) => row.id).sort());
  // Only the Bedrock mode's profile listing (the AWS SDK's, without the session header) may sit outside it.
  for (const row of observed.otherRows) {
    expect(row.sessionId).toBeUndefined();
    expect(row.dialect).toBe('bedrock');
  }
}

/** The requests a mode makes, summarized for the test output (what the report records). */
function summarize(observed: Observed): string {
  return observed.recorded
    .map(
      (request) =>
        `${request.method} ${request.url} → ${request.status} (${request.bodyBytes} B) ` +
        `beta=${request.headers['anthropic-beta'] ?? '-'}`,
    )
    .join('\n');
}

beforeAll(async () => {
  if (skipReason) return;
  // As `serve --emulate` starts it: any Claude model name is served, so newer names Claude Code asks for work.
  emulator = await startEmulator({
    port: 0,
    serveRetired: true,
    extraModels: ['claude-*'],
    clock: testClock,
  });
  trap = await startProxyTrap();
});

afterAll(async () => {
  await trap?.close();
  await emulator?.close();
});

describe(`Claude Code ${probe.ok ? probe.version : '(not runnable here)'} through the gateway, as serve --emulate sets it up`, () => {
  let setup: Setup;
  beforeAll(async () => {
    if (skipReason) return;
    setup = await startSetup(emulator);
  });
  afterAll(async () => {
    await setup?.close();
  });

  runsHere(
    named('Anthropic mode (ANTHROPIC_BASE_URL): a Bash call runs and its result goes back'),
    async () => {
      const observed = await toolTurn(setup, modeEnvironment('anthropic', setup.recorder.url));
      await expectToolRoundTrip(observed, 'anthropic', setup);
      expect(observed.recorded.map((request) => `${request.method} ${request.url}`)).toEqual([
        'POST /v1/messages?beta=true',
        'POST /v1/messages?beta=true',
      ]);
      for (const request of observed.messagePosts) {
        expect(request.headers['x-api-key']).toBe('sk-ant-not-checked-by-the-gateway');
        expect(request.headers['anthropic-beta']).toContain(ANTHROPIC_MODE_BETA);
      }
      // Claude Code puts `role: "system"` entries inside `messages`; the gateway passes them through.
      const firstBody = JSON.parse(observed.rows[0]?.requestBody ?? '{}') as { messages: { role: string }[] };
      expect(firstBody.messages.map((message) => message.role)).toContain('system');
      expect(observed.rows.map((row) => row.keyId)).toEqual([undefined, undefined]);
      console.info(`Anthropic mode sent:\n${summarize(observed)}`);
    },
  );

  runsHere(
    named('Bedrock mode (CLAUDE_CODE_USE_BEDROCK): inference profiles, then a Bash call over event-stream'),
    async () => {
      const observed = await toolTurn(setup, modeEnvironment('bedrock', setup.recorder.url));
      await expectToolRoundTrip(observed, 'bedrock', setup);
      const model = CLAUDE_CODE_MODELS.bedrock;
      expect(observed.recorded.map((request) => `${request.method} ${request.url}`)).toEqual([
        'GET /inference-profiles?type=SYSTEM_DEFINED',
        `POST /model/${model}/invoke-with-response-stream`,
        `POST /model/${model}/invoke-with-response-stream`,
      ]);
      // The gateway answers the profile listing from the catalog.
      expect(observed.recorded[0]?.status).toBe(200);
      // Betas travel in the body too, and the body carries Bedrock's version, not the model.
      const body = JSON.parse(observed.rows[0]?.requestBody ?? '{}') as Record<string, unknown>;
      expect(body['anthropic_beta']).toEqual(expect.arrayContaining(['interleaved-thinking-2025-05-14']));
      expect(body['model']).toBeUndefined();
      expect(observed.rows[0]?.model).toBe(ROUTED_MODEL);
      console.info(`Bedrock mode sent:\n${summarize(observed)}`);
    },
  );

  runsHere(
    named(
      'Subagents: each request is logged with its x-claude-code-agent-id and x-claude-code-parent-agent-id',
    ),
    async () => {
      // The main agent starts a subagent, which starts another: requests from three agents in one session.
      const observed = await toolTurn(setup, modeEnvironment('anthropic', setup.recorder.url), {
        prompt: NESTED_AGENTS_PROMPT,
        allowedTools: ['Agent'],
        expectedRows: 5,
      });
      expect(observed.result.is_error, describeRun(observed.run)).toBe(false);
      const posts = observed.messagePosts;
      const rows = (await rowsSince(setup.store, observed.run.startedAt, posts.length)).filter(
        (row) => row.operation === 'messages',
      );
      expect(rows).toHaveLength(posts.length);
      const sent = posts.map((request) => [
        request.headers['x-claude-code-agent-id'] ?? null,
        request.headers['x-claude-code-parent-agent-id'] ?? null,
      ]);
      const logged = rows.map((row) => [row.agentId ?? null, row.parentAgentId ?? null]);
      const order = (pairs: (string | string[] | null)[][]) =>
        pairs.map((pair) => JSON.stringify(pair)).sort();
      expect(order(logged)).toEqual(order(sent));
      // The main agent's requests carry neither id; the first subagent's its own; the second's also its parent's.
      const first = logged.find(([agent, parent]) => agent !== null && parent === null)?.[0];
      expect(first).toMatch(/^a[0-9a-f]+$/);
      const second = logged.find(([, parent]) => parent === first)?.[0];
      expect(second).toMatch(/^a[0-9a-f]+$/);
      expect(second).not.toBe(first);
      expect(logged).toContainEqual([null, null]);
      expect(new Set(rows.map((row) => row.sessionId))).toEqual(new Set([observed.result.session_id]));
      console.info(`Subagents sent (agent, parent): ${JSON.stringify(sent)}`);
    },
  );

  runsHere(named('Vertex mode (CLAUDE_CODE_USE_VERTEX): a Bash call over streamRawPredict'), async () => {
    const observed = await toolTurn(setup, modeEnvironment('vertex', setup.recorder.url));
    await expectToolRoundTrip(observed, 'vertex', setup);
    const path =
      '/v1/projects/some-project/locations/global/publishers/anthropic/models/' +
      `${CLAUDE_CODE_MODELS.vertex}:streamRawPredict`;
    expect(observed.recorded.map((request) => `${request.method} ${request.url}`)).toEqual([
      `POST ${path}`,
      `POST ${path}`,
    ]);
    expect(observed.rows[0]?.model).toBe(ROUTED_MODEL);
    console.info(`Vertex mode sent:\n${summarize(observed)}`);
  });
});

describe(`Claude Code ${probe.ok ? probe.version : ''} with a gateway key, and ${ROUTED_MODEL} routed to Vertex only`, () => {
  let setup: Setup;
  let secret: string;
  let keyId: string;
  beforeAll(async () => {
    if (skipReason) return;
    // What the Bedrock and Vertex modes ask for, only on Vertex: the Bedrock client gets Vertex's answer.
    setup = await startSetup(emulator, {
      keyNames: ['claude-code'],
      routes: [{ models: [ROUTED_MODEL], targets: ['vertex/global'] }],
    });
    const key = setup.keys[0] ?? expect.fail('no key created');
    secret = key.secret;
    keyId = key.record.id;
  });
  afterAll(async () => {
    await setup?.close();
  });

  runsHere(named('Anthropic mode with the key as ANTHROPIC_API_KEY (x-api-key)'), async () => {
    const observed = await toolTurn(setup, {
      ...modeEnvironment('anthropic', setup.recorder.url),
      ANTHROPIC_API_KEY: secret,
    });
    await expectToolRoundTrip(observed, 'anthropic', setup);
    for (const request of observed.messagePosts) expect(request.headers['x-api-key']).toBe(secret);
    expect(observed.rows.map((row) => [row.keyId, row.keyName])).toEqual([
      [keyId, 'claude-code'],
      [keyId, 'claude-code'],
    ]);
  });

  runsHere(named('Anthropic mode with the key as ANTHROPIC_AUTH_TOKEN (Authorization: Bearer)'), async () => {
    const { ANTHROPIC_API_KEY: _unused, ...env } = modeEnvironment('anthropic', setup.recorder.url);
    const observed = await toolTurn(setup, { ...env, ANTHROPIC_AUTH_TOKEN: secret });
    await expectToolRoundTrip(observed, 'anthropic', setup);
    for (const request of observed.messagePosts) {
      expect(request.headers.authorization).toBe(`Bearer ${secret}`);
      expect(request.headers['x-api-key']).toBeUndefined();
    }
    expect(observed.rows.map((row) => row.keyId)).toEqual([keyId, keyId]);
  });

  /** How each mode sends a wrong gateway key, and the status the gateway refuses it with there. */
  const WRONG_KEY = 'cgw_not-a-real-key';
  const wrongKeyRuns: [Dialect, Record<string, string>, number][] = [
    ['anthropic', { ANTHROPIC_API_KEY: WRONG_KEY }, 401],
    ['bedrock', { ANTHROPIC_CUSTOM_HEADERS: `x-api-key: ${WRONG_KEY}` }, 401],
    ['vertex', { ANTHROPIC_CUSTOM_HEADERS: `x-api-key: ${WRONG_KEY}` }, 403],
  ];
  for (const [dialect, keyEnv, status] of wrongKeyRuns) {
    runsHere(
      named(
        `${dialect} mode with a wrong key: Claude Code stops at once (no retries) and reports the refusal`,
      ),
      async () => {
        // Bedrock and Vertex modes take a 401/403 for expired cloud credentials and retry for minutes,
        // unless the answer says it is final: the bound is the one the issue asks for. The run itself
        // is cut at 30 s, so a regression fails here instead of hanging.
        const observed = await toolTurn(
          setup,
          { ...modeEnvironment(dialect, setup.recorder.url), ...keyEnv },
          { expectedRows: 1, timeoutMs: 30_000 },
        );
        expect(observed.run.timedOut, describeRun(observed.run)).toBe(false);
        expect(observed.run.durationMs, describeRun(observed.run)).toBeLessThan(10_000);
        expect(observed.result.is_error, describeRun(observed.run)).toBe(true);
        expect(observed.result.result).toContain('The gateway key is not valid');
        // Every request refused, none sent twice: Claude Code did not retry. (After a 403 the newest
        // build's Vertex mode checks access to older models, one small request each, all refused too.)
        const posts = observed.messagePosts;
        expect(posts.length).toBeGreaterThan(0);
        expect(posts.map((request) => request.status)).toEqual(posts.map(() => status));
        expect(new Set(posts.map((request) => request.url)).size, summarize(observed)).toBe(posts.length);
        const rows = (await rowsSince(setup.store, observed.run.startedAt, posts.length)).filter(
          (row) => row.operation === 'messages',
        );
        expect(rows.map((row) => [row.dialect, row.status])).toEqual(posts.map(() => [dialect, status]));
        expect(observed.journal).toEqual([]);
        console.info(`${dialect} mode, wrong key: ${observed.result.result}\n${summarize(observed)}`);
      },
      60_000,
    );
  }

  /** Modes whose clients take a 403 for expired cloud credentials unless the answer says it is final. */
  // The status each dialect refuses a spent budget with: Bedrock's AccessDeniedException as a 400, since
  // Claude Code's Bedrock mode retries any 403 for minutes (it takes it for expired AWS credentials).
  const budgetRuns: [Dialect, string, number][] = [
    ['anthropic', 'ANTHROPIC_API_KEY', 403],
    ['bedrock', 'ANTHROPIC_CUSTOM_HEADERS', 400],
    ['vertex', 'ANTHROPIC_CUSTOM_HEADERS', 403],
  ];
  for (const [dialect, variable, status] of budgetRuns) {
    runsHere(
      named(`${dialect} mode with a spent budget: Claude Code stops at once and shows the budget refusal`),
      async () => {
        const spent = await setup.store.createKey({ name: `spent-${dialect}`, monthlyBudgetUsd: 0 });
        const value = variable === 'ANTHROPIC_API_KEY' ? spent.secret : `x-api-key: ${spent.secret}`;
        const observed = await toolTurn(
          setup,
          { ...modeEnvironment(dialect, setup.recorder.url), [variable]: value },
          { expectedRows: 1, timeoutMs: 30_000 },
        );
        expect(observed.run.timedOut, describeRun(observed.run)).toBe(false);
        expect(observed.run.durationMs, describeRun(observed.run)).toBeLessThan(10_000);
        expect(observed.result.is_error, describeRun(observed.run)).toBe(true);
        expect(observed.result.result).toMatch(/monthly budget/);
        const posts = observed.messagePosts;
        expect(posts.length).toBeGreaterThan(0);
        // Every request refused, nothing upstream. (On a 400 the newest build's Bedrock mode tries again
        // without its betas, then older models, each refused at once: the run still ends within the bound.)
        expect(posts.map((request) => request.status)).toEqual(posts.map(() => status));
        expect(observed.journal).toEqual([]);
      },
      60_000,
    );
  }

  runsHere(named('Vertex mode with the key in ANTHROPIC_CUSTOM_HEADERS, served by Vertex'), async () => {
    const observed = await toolTurn(setup, {
      ...modeEnvironment('vertex', setup.recorder.url),
      ANTHROPIC_CUSTOM_HEADERS: `x-api-key: ${secret}`,
    });
    await expectToolRoundTrip(observed, 'vertex', setup);
    expect(observed.rows.map((row) => [row.keyId, row.platform])).toEqual([
      [keyId, 'vertex'],
      [keyId, 'vertex'],
    ]);
  });

  runsHere(
    named('Bedrock mode with the key in ANTHROPIC_CUSTOM_HEADERS, answered by Vertex as event-stream'),
    async () => {
      const observed = await toolTurn(setup, {
        ...modeEnvironment('bedrock', setup.recorder.url),
        ANTHROPIC_CUSTOM_HEADERS: `x-api-key: ${secret}`,
      });
      await expectToolRoundTrip(observed, 'bedrock', setup);
      expect(observed.rows.map((row) => [row.keyId, row.dialect, row.platform])).toEqual([
        [keyId, 'bedrock', 'vertex'],
        [keyId, 'bedrock', 'vertex'],
      ]);
      // ANTHROPIC_CUSTOM_HEADERS do not reach the AWS SDK's profile listing: the gateway answers it
      // without a key (server.listingsRequireKey is off by default), and every Messages call needs one.
      expect(observed.recorded.map((request) => [request.method, request.status])).toEqual([
        ['GET', 200],
        ['POST', 200],
        ['POST', 200],
      ]);
      expect(observed.recorded[0]?.headers['x-api-key']).toBeUndefined();
      for (const request of observed.messagePosts) expect(request.headers['x-api-key']).toBe(secret);
      console.info(`Bedrock mode with a key sent:\n${summarize(observed)}`);
    },
  );
});

/**
 * Onboarding as a developer does it: `claude-gateway login --configure-claude-code MODE` against a
 * gateway whose sign-in is a real OIDC provider (oidc-provider, in-process), then Claude Code with
 * nothing else set: its settings' apiKeyHelper runs the built `claude-gateway token`, and it sends the
 * token where each mode puts it (Bearer in all three; x-api-key too in Anthropic mode).
 */
describe(`Claude Code ${probe.ok ? probe.version : ''} signed in through OIDC, with apiKeyHelper running claude-gateway token`, () => {
  let setup: Setup;
  let idp: TestIdp;
  const homes: string[] = [];
  beforeAll(async () => {
    if (skipReason) return;
    if (!existsSync(BUILT_CLI))
      throw new Error(`${BUILT_CLI} is missing: run npm run build first (apiKeyHelper runs it)`);
    idp = await startTestIdp([
      { sub: 'dana-sub', email: 'dana@example.com', name: 'Dana', groups: ['eng'] },
      { sub: 'erin-sub', email: 'erin@example.com', name: 'Erin', groups: ['interns'] },
    ]);
    setup = await startSetup(emulator, {
      auth: {
        oidc: {
          issuer: idp.issuer,
          clientId: idp.clientId,
          scopes: ['openid', 'email', 'groups'],
          groupsClaim: 'groups',
          adminGroups: [],
        },
      },
    });
    await setup.store.identity.createGroup({ name: 'eng' }, testClock());
    await setup.store.identity.createGroup(
      { name: 'interns', memberPolicy: { allowedModels: ['claude-haiku-5-5'] } },
      testClock(),
    );
  });
  afterAll(async () => {
    await setup?.close();
    await idp?.close();
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  });

  /** A developer's HOME after `claude-gateway login --configure-claude-code MODE` as `account`. */
  async function signedInHome(mode: Dialect, account: string): Promise<Record<string, string>> {
    const home = mkdtempSync(join(tmpdir(), 'claude-gateway-developer-'));
    homes.push(home);
    let approval: Promise<void> | undefined;
    const errors: string[] = [];
    const code = await main(['login', '--gateway', setup.recorder.url, '--configure-claude-code', mode], {
      out: (line) => {
        const url = /^To sign in, open (\S+)/.exec(line)?.[1];
        if (url) approval = idp.approve(url, account);
      },
      error: (line) => errors.push(line),
      env: { HOME: home },
      sleep: () => new Promise((resolve) => setTimeout(resolve, 20)),
      untilStopped: () => new Promise(() => {}),
    });
    await approval;
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    return { HOME: home, XDG_CONFIG_HOME: join(home, '.config') };
  }

  for (const dialect of ['anthropic', 'bedrock', 'vertex'] as const) {
    runsHere(named(`${dialect} mode: a Bash call, attributed to the signed-in user and group`), async () => {
      const observed = await toolTurn(setup, await signedInHome(dialect, 'dana-sub'));
      await expectToolRoundTrip(observed, dialect, setup);
      for (const request of observed.messagePosts) {
        expect(request.headers.authorization).toMatch(/^Bearer eyJ/);
      }
      const dana = await setup.store.identity.findUser('dana@example.com');
      expect(dana).toMatchObject({ source: 'oidc', groups: ['eng'] });
      expect(observed.rows.map((row) => row.keyName)).toEqual(['dana@example.com', 'dana@example.com']);
      for (const row of observed.rows) {
        expect((await setup.store.identity.findSession(row.keyId ?? ''))?.userId).toBe(dana?.id);
      }
    });
  }

  runsHere(
    named("anthropic mode: the group's model allowlist refuses the model, saying so"),
    async () => {
      // With an apiKeyHelper, Claude Code 2.1.332 keeps retrying a final 403 (six tries in 30 s, then
      // backing off), where with ANTHROPIC_API_KEY it stops at once: the run is cut, and what the
      // gateway answered is read from its log.
      const startedAt = Date.now();
      const run = await runClaudeCode({
        prompt: TOOL_PROMPT,
        env: await signedInHome('anthropic', 'erin-sub'),
        allowedTools: ['Bash'],
        proxyUrl: trap.url,
        timeoutMs: 15_000,
      });
      const rows = (await rowsSince(setup.store, startedAt, 1)).filter((row) => row.operation === 'messages');
      expect(rows.length, describeRun(run)).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.status).toBe(403);
        expect(row.keyName).toBe('erin@example.com');
        expect(row.errorMessage).toContain(
          `Model "${CLAUDE_CODE_MODELS.anthropic}" is not allowed for erin@example.com: group "interns" allows only claude-haiku-5-5`,
        );
        expect(row.platform).toBeUndefined();
      }
    },
    60_000,
  );
});

/**
 * The two newer AWS platforms, each as the gateway's only target (a `*` route and the default
 * targets): Bedrock's Messages API ("Claude in Amazon Bedrock", `bedrock-messages/global`) and
 * Claude Platform on AWS. Each mode's default model, with a tool turn, served there whatever the
 * client's dialect. A model Bedrock's Messages API does not offer (a legacy, InvokeModel-only one:
 * 2.1.197's Sonnet 4.5 default in Bedrock and Vertex modes) is left out of the plan with the reason,
 * and Claude Code stops at once with it: nothing reaches a platform.
 */
const ONLY_TARGETS = [
  ['bedrock-messages/global', 'bedrock-messages'],
  ['claude-platform-aws', 'claude-platform-aws'],
] as const;

for (const [target, platform] of ONLY_TARGETS) {
  describe(`Claude Code ${probe.ok ? probe.version : ''} with ${target} as the gateway's only target`, () => {
    let setup: Setup;
    beforeAll(async () => {
      if (skipReason) return;
      setup = await startSetup(emulator, {
        routes: [{ models: ['*'], targets: [target] }],
        defaultTargets: [target],
      });
    });
    afterAll(async () => {
      await setup?.close();
    });

    for (const dialect of ['anthropic', 'bedrock', 'vertex'] as const) {
      const model = CLAUDE_CODE_MODELS[dialect];
      if (platform === 'bedrock-messages' && NOT_ON_BEDROCK_MESSAGES.includes(dialect)) {
        runsHere(
          named(
            `${dialect} mode: its default ${model} is not on Bedrock's Messages API, refused at once with the reason`,
          ),
          async () => {
            const observed = await toolTurn(setup, modeEnvironment(dialect, setup.recorder.url), {
              expectedRows: 1,
              timeoutMs: 30_000,
            });
            expect(observed.run.timedOut, describeRun(observed.run)).toBe(false);
            expect(observed.run.durationMs, describeRun(observed.run)).toBeLessThan(10_000);
            expect(observed.result.is_error, describeRun(observed.run)).toBe(true);
            // Claude Code words a 404 itself ("… is not available on your bedrock deployment"); the log has the reason.
            expect(observed.result.result).toContain(`${model} is not available`);
            // Every Messages call refused with the plan's reason (a 404 in the client's dialect), none upstream.
            // (Claude Code tries once more without streaming: a different path, refused the same way.)
            const posts = observed.messagePosts;
            expect(posts.length).toBeGreaterThan(0);
            expect(posts.map((request) => request.status)).toEqual(posts.map(() => 404));
            expect(new Set(posts.map((request) => request.url)).size, summarize(observed)).toBe(posts.length);
            const rows = (await rowsSince(setup.store, observed.run.startedAt, posts.length)).filter(
              (row) => row.operation === 'messages',
            );
            expect(rows.map((row) => [row.dialect, row.requestedModel, row.status, row.platform])).toEqual(
              posts.map(() => [dialect, model, 404, undefined]),
            );
            for (const row of rows) {
              expect(row.errorMessage).toContain(
                `No platform can serve model "${model}": ${target}@us-east-1: ` +
                  "Claude Sonnet 4.5 is not offered on Amazon Bedrock's Messages API",
              );
            }
            expect(observed.journal).toEqual([]);
            console.info(
              `${dialect} mode, ${target} only: ${observed.result.result}\n${summarize(observed)}`,
            );
          },
          60_000,
        );
        continue;
      }
      runsHere(
        named(`${dialect} mode: its default ${model}, a Bash call served by ${platform}`),
        async () => {
          const observed = await toolTurn(setup, modeEnvironment(dialect, setup.recorder.url));
          await expectToolRoundTrip(observed, dialect, setup);
          expect(observed.rows.map((row) => [row.dialect, row.platform])).toEqual([
            [dialect, platform],
            [dialect, platform],
          ]);
          const upstreamPaths = observed.journal.map((entry) => entry.path);
          expect(upstreamPaths).toEqual(
            upstreamPaths.map(() =>
              platform === 'bedrock-messages'
                ? '/bedrock-runtime/anthropic/v1/messages'
                : '/aws-external-anthropic/v1/messages',
            ),
          );
          if (platform === 'bedrock-messages') {
            // The Messages API takes no anthropic-beta: the gateway drops Claude Code's betas there.
            for (const entry of observed.journal) expect(entry.headers['anthropic-beta']).toBeUndefined();
            expect(observed.rows[0]?.upstreamModelId).toMatch(/^global\.anthropic\.claude-/);
          } else {
            // Claude Platform on AWS takes the first-party ids and the gateway's workspace.
            for (const entry of observed.journal) {
              expect(entry.headers['anthropic-workspace-id']).toBe(
                emulator.auth.credentials.claudePlatformAwsWorkspaceId,
              );
            }
            expect(observed.rows[0]?.upstreamModelId).toMatch(/^claude-/);
          }
          console.info(`${dialect} mode, ${target} only:\n${summarize(observed)}`);
        },
      );
    }
  });
}
