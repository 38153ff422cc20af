import type { AddressInfo } from 'node:net';
import type { GatewayConfig, PlatformsConfig } from '../config/schema.js';
import { createEngine } from '../engine/create-engine.js';
import type { Engine } from '../engine/engine.js';
import { createDualProtocolServer } from '../net/dual-protocol-server.js';
import { openStore } from '../store/open-store.js';
import { startRetention } from '../store/retention.js';
import type { Store } from '../store/types.js';
import { CallerAuth } from './callers.js';
import type { GatewayContext } from './context.js';
import { handleRequest } from './handle-request.js';
import { KeyLimits } from './limits.js';
import { createLogger, type Logger } from './logger.js';
import { GatewayMetrics } from './metrics.js';
import { buildRoutingTable } from './routing.js';

export interface StartGatewayOptions {
  config: GatewayConfig;
  /** The platforms to serve (the file's, with environment defaults applied). */
  platforms: PlatformsConfig;
  logger?: Logger;
  /** A store to use instead of opening `config.store.url` (tests). */
  store?: Store;
  engine?: Engine;
}

export interface RunningGateway {
  url: string;
  port: number;
  context: GatewayContext;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), flushes the log. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The store URL to open. Without full bodies the rows are small: written on
 * the main thread in batches they cost some tens of microseconds each, less in
 * the benchmark than a worker thread's own heap (~15 MB) and its competition
 * for the cores, which showed in the gaps between stream events. With full
 * bodies a worker keeps big writes off the request path. An explicit
 * `?writer=` in the URL wins.
 */
export function storeUrlFor(config: GatewayConfig): string {
  const url = config.store.url;
  if (!url.startsWith('sqlite:') || url === 'sqlite::memory:' || /[?&]writer=/.test(url)) return url;
  if (config.store.bodies === 'full') return url;
  return `${url}${url.includes('?') ? '&' : '?'}writer=inline`;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** Thrown when the gateway must not start as configured; the message says why and what to do. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/**
 * Starts the gateway: the three dialects on one port (HTTP/1.1 and cleartext
 * HTTP/2), the engine over the configured platforms, the activity log with
 * its retention, and graceful stop.
 */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const { config } = options;
  const logger = options.logger ?? createLogger();
  const routing = buildRoutingTable(config, options.platforms);
  const store = options.store ?? (await openStore(storeUrlFor(config), { journal: config.store.journal }));
  const callers = new CallerAuth(store);
  const host = config.server.host;
  if (!isLoopback(host) && !(await callers.keysRequired())) {
    if (!options.store) await store.close();
    throw new StartupError(
      `refusing to listen on ${host} without gateway keys: anyone who can reach it could spend your cloud credits. ` +
        'Create a key first (claude-gateway keys create --name NAME), or listen on 127.0.0.1.',
    );
  }
  // Replicas share session stickiness through Redis; one process keeps it in memory.
  // ioredis is loaded only then: it costs several MB of memory a single process never uses.
  const sharedSessions = config.sessions.redisUrl
    ? new (await import('../engine/redis-session-affinity.js')).RedisSessionAffinity(config.sessions.redisUrl)
    : undefined;
  const engine =
    options.engine ??
    createEngine(options.platforms, {
      retry: config.retry,
      ...(sharedSessions ? { affinity: sharedSessions } : {}),
      transport: {
        ...(config.timeouts.connectMs !== undefined ? { connectTimeoutMs: config.timeouts.connectMs } : {}),
        ...(config.timeouts.firstByteMs !== undefined
          ? { firstByteTimeoutMs: config.timeouts.firstByteMs }
          : {}),
        ...(config.timeouts.idleMs !== undefined ? { idleTimeoutMs: config.timeouts.idleMs } : {}),
      },
    });
  let waiters: (() => void)[] = [];
  const context: GatewayContext = {
    config,
    engine,
    store,
    callers,
    limits: new KeyLimits(store),
    routing,
    metrics: new GatewayMetrics(),
    logger,
    shuttingDown: false,
    requestsInFlight: 0,
    requestDone: () => {
      if (context.requestsInFlight > 0) return;
      const done = waiters;
      waiters = [];
      for (const resolve of done) resolve();
    },
  };
  const stopRetention = startRetention(store, { retentionDays: config.store.retentionDays });
  const server = createDualProtocolServer((request, response) => {
    void handleRequest(context, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new StartupError(
          error.code === 'EADDRINUSE'
            ? `port ${config.server.port} on ${host} is in use; pick another with --port`
            : `cannot listen on ${host}:${config.server.port}: ${error.message}`,
        ),
      ),
    );
    server.server.listen(config.server.port, host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    context,
    stop(graceMs = config.server.shutdownGraceMs) {
      stopping ??= (async () => {
        context.shuttingDown = true;
        const closed = server.close(graceMs);
        const drained = (withinMs: number) =>
          context.requestsInFlight > 0
            ? Promise.race([
                new Promise<void>((resolve) => waiters.push(resolve)),
                new Promise<void>((resolve) => setTimeout(resolve, withinMs).unref()),
              ])
            : Promise.resolve();
        await drained(graceMs);
        stopRetention();
        await Promise.race([closed, new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref())]);
        // Requests cut when the grace period ran out cancel their upstream and write their rows: let them.
        await drained(1_000);
        await store.close();
        await engine.transport.close();
        await sharedSessions?.close();
      })();
      return stopping;
    },
  };
}
