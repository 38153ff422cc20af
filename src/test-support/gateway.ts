/**
 * Test-only: an emulator and a gateway in front of it, both on free loopback
 * ports, with an in-memory (or temp-file) SQLite activity log and a logger
 * whose lines the test can read.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type Clock, fixedClock } from '../clock.js';
import { EMULATED_DEFAULT_TARGETS, emulatedPlatforms, emulatedRoutes } from '../config/emulated-platforms.js';
import { parseConfig } from '../config/load.js';
import type { EmulatorConfig, RunningEmulator } from '../emulator/server.js';
import { startEmulator } from '../emulator/server.js';
import { type Logger, REDACTED_PATHS } from '../gateway/logger.js';
import { type RunningGateway, startGateway } from '../gateway/server.js';
import { type OpenStoreOptions, openStore } from '../store/open-store.js';
import type { AttemptRecord, CreatedApiKey, NewApiKey, RequestRecord, Store } from '../store/types.js';

/** The configuration file's sections a test may set (validated like the file). */
export interface TestGatewayConfig {
  server?: Record<string, unknown>;
  store?: Record<string, unknown>;
  routes?: unknown[];
  defaultTargets?: string[];
  clientGeography?: 'prefer' | 'require';
  retry?: Record<string, unknown>;
  timeouts?: Record<string, unknown>;
  sessions?: Record<string, unknown>;
  limits?: Record<string, unknown>;
  models?: unknown[];
  discovery?: Record<string, unknown>;
  telemetry?: Record<string, unknown>;
  alerts?: Record<string, unknown>;
  auth?: Record<string, unknown>;
}

/** The day every test gateway and emulator take as "now", so no test depends on the real date. */
export const TEST_NOW = '2026-12-05T12:00:00Z';
export const testClock: Clock = fixedClock(TEST_NOW);

export interface TestGatewayOptions {
  config?: TestGatewayConfig;
  /** Keys created in the store before the gateway starts; their secrets come back in `keys`. */
  keys?: NewApiKey[];
  /** Keep the activity log in a SQLite file (in a temp folder) instead of memory. */
  fileStore?: boolean;
  emulator?: EmulatorConfig;
  /** "Now" for the gateway and the emulator (default: TEST_NOW). */
  clock?: Clock;
  /** How the store (`config.store.url`) is opened: a journal, a logger, batch tuning. */
  storeOptions?: OpenStoreOptions;
  /** The environment the gateway reads (OTEL_*, platform defaults); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Keep the access log's lines in `logs` (`msg: 'request'`). Off by default: they are written, as in a
   * real run, to a sink that drops them, so a test's `logs` holds what it looks for and no run prints them.
   */
  accessLog?: boolean;
}

export interface TestGateway {
  emulator: RunningEmulator;
  gateway: RunningGateway;
  store: Store;
  url: string;
  keys: CreatedApiKey[];
  /** The SQLite file when `fileStore` is set. */
  storePath?: string;
  /** Every line the gateway logged, parsed. */
  logs: Record<string, unknown>[];
  /** A request's activity row and its attempts, once the log is written. */
  activity(requestId: string): Promise<{ request: RequestRecord | undefined; attempts: AttemptRecord[] }>;
  /** Every activity row, newest first. */
  requests(): Promise<RequestRecord[]>;
  /** Stops the gateway (if not yet stopped) and the emulator, and removes temp files. */
  close(): Promise<void>;
}

/**
 * A logger whose lines are formatted as in a real run and then dropped: where
 * test gateways send their access log, and what a test that starts a gateway
 * itself (startGateway) passes as `accessLog` so no line reaches the test output.
 */
export function accessLogSink(): Logger {
  return pino(
    { level: 'info' },
    new Writable({
      write(_chunk, _encoding, done) {
        done();
      },
    }),
  );
}

/** Upstream credentials the emulated platforms use: none may ever reach a client or the log. */
export const UPSTREAM_SECRETS = ['emulator-secret', 'sk-ant-emulator', 'emulator-bedrock-key', 'PRIVATE KEY'];

/**
 * Starts an emulator and a gateway whose platforms all point at it, with the
 * emulator's default routes unless the test gives its own, and fast retries.
 *
 * @example
 * const setup = await startTestGateway({ config: { server: { maxBodyBytes: 2048 } } });
 * const client = new Anthropic({ baseURL: setup.url, apiKey: 'unused' });
 * await setup.close();
 */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const clock = options.clock ?? testClock;
  // Most of the suite was written around Claude Sonnet 4.5, retired on Anthropic-operated platforms
  // before TEST_NOW: its emulator still serves it there; retired-models.test.ts turns that off.
  const emulator = await startEmulator({ port: 0, clock, serveRetired: true, ...options.emulator });
  const folder = options.fileStore ? mkdtempSync(join(tmpdir(), 'claude-gateway-test-')) : undefined;
  const storePath = folder ? join(folder, 'gateway.db') : undefined;
  const storeUrl = storePath ? `sqlite://${storePath}` : 'sqlite::memory:';
  const { config: overrides = {} } = options;
  const config = parseConfig(
    {
      ...overrides,
      server: { host: '127.0.0.1', port: 0, ...overrides.server },
      store: { url: storeUrl, ...overrides.store },
      routes: overrides.routes ?? emulatedRoutes(),
      defaultTargets: overrides.defaultTargets ?? EMULATED_DEFAULT_TARGETS,
      retry: { baseDelayMs: 1, maxDelayMs: 5, ...overrides.retry },
      // Discovery reads the emulator's listings (and so fills its journal): tests that want it turn it on.
      discovery: { enabled: false, ...overrides.discovery },
    },
    {},
    'test configuration',
  );
  const store = await openStore(config.store.url, {
    compressBodies: config.store.compressBodies,
    ...options.storeOptions,
    batch: { flushIntervalMs: 5, ...options.storeOptions?.batch },
  });
  const keys: CreatedApiKey[] = [];
  for (const key of options.keys ?? []) keys.push(await store.createKey(key));
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = pino({ level: 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
  const accessLog = options.accessLog ? logger : accessLogSink();
  let gateway: RunningGateway;
  try {
    gateway = await startGateway({
      config,
      platforms: emulatedPlatforms(emulator),
      store,
      logger,
      accessLog,
      clock,
      ...(options.env ? { env: options.env } : {}),
    });
  } catch (error) {
    // A test of a refused start must not leave the emulator or the store open.
    await store.close();
    await emulator.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  let closed = false;
  return {
    emulator,
    gateway,
    store,
    url: gateway.url,
    keys,
    ...(storePath ? { storePath } : {}),
    logs,
    async activity(requestId) {
      await store.flush();
      return { request: await store.getRequest(requestId), attempts: await store.attemptsOf(requestId) };
    },
    async requests() {
      await store.flush();
      return store.queryRequests({ limit: 1000, includeBodies: true });
    },
    async close() {
      if (closed) return;
      closed = true;
      await gateway.stop(1_000);
      await emulator.close();
      if (folder) rmSync(folder, { recursive: true, force: true });
    },
  };
}

/**
 * The error a promise rejects with; fails the test when it resolves instead.
 *
 * @example
 * const error = await failureOf<Anthropic.APIError>(client.messages.create(params));
 */
export async function failureOf<E = Error & Record<string, unknown>>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/**
 * A test gateway for one test file (or `describe` block): started before its
 * tests, closed after them, its emulator's faults, scripts and journal
 * forgotten before each test. Read it through the returned function.
 *
 * @example
 * const gateway = useTestGateway({ config: { routes: [{ models: ['*'], targets: ['anthropic'] }] } });
 * it('answers', async () => { await fetch(`${gateway().url}/v1/messages`, …) });
 */
export function useTestGateway(options: TestGatewayOptions = {}): () => TestGateway {
  let setup: TestGateway | undefined;
  beforeAll(async () => {
    setup = await startTestGateway(options);
  });
  afterAll(async () => {
    await setup?.close();
  });
  beforeEach(() => setup?.emulator.state.reset());
  return () => {
    if (!setup) throw new Error('the test gateway is not started yet');
    return setup;
  };
}
