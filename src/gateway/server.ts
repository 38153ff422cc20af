import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { Catalog } from '../catalog/catalog.js';
import { configuredCatalog } from '../catalog/configured-catalog.js';
import { defaultCatalog } from '../catalog/default-catalog.js';
import { type Clock, systemClock } from '../clock.js';
import type { GatewayConfig, PlatformsConfig } from '../config/schema.js';
import { createEngine } from '../engine/create-engine.js';
import type { Engine } from '../engine/engine.js';
import { Identities } from '../identity/identities.js';
import type { IdentityProvider } from '../identity/identity-provider.js';
import { IdentityProviderError } from '../identity/identity-provider-error.js';
import { ClientAddresses } from '../net/client-address.js';
import {
  createDualProtocolServer,
  type ErrorRenderer,
  type ListenerTls,
} from '../net/dual-protocol-server.js';
import { openStore } from '../store/open-store.js';
import { startRetention } from '../store/retention.js';
import { StoreHealth } from '../store/store-health.js';
import type { Store, StoreLogEntry } from '../store/types.js';
import { forwardSettings, telemetrySettings } from '../telemetry/settings.js';
import { startTelemetry } from '../telemetry/telemetry.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { guardAdminStore } from './admin-store.js';
import { BudgetAlerts } from './budget-alerts.js';
import { CallerAuth, isLoopbackHost } from './callers.js';
import type { GatewayContext } from './context.js';
import { renderDialectError } from './egress/index.js';
import { exchangeOf, type NodeResponse } from './exchange.js';
import { dialectOfPath, handleRequest } from './handle-request.js';
import { InFlightRequests } from './in-flight.js';
import { KeyLimits } from './limits.js';
import { accessLogger, createLogger, type Logger } from './logger.js';
import { GatewayMetrics } from './metrics.js';
import { startModelDiscovery } from './model-discovery.js';
import { closeGrpcForwarders } from './otlp-forward-grpc.js';
import { buildRoutingTable } from './routing.js';
import { newRequestId } from './serve-call.js';
import { guardKeyReads } from './store-guard.js';
import { WebhookSender } from './webhook-sender.js';

export interface StartGatewayOptions {
  config: GatewayConfig;
  /** The platforms to serve (the file's, with environment defaults applied). */
  platforms: PlatformsConfig;
  logger?: Logger;
  /** Where the access log (`server.accessLog`) goes; default `logger`. Tests send it to a sink. */
  accessLog?: Logger;
  /** A store to use instead of opening `config.store.url` (tests). */
  store?: Store;
  engine?: Engine;
  /** "Now" for date-dependent decisions; the wall clock by default (tests pin it). */
  clock?: Clock;
  /** The catalog to start from (the built-in one by default); `models:` and discovery are applied to a copy. */
  catalog?: Catalog;
  /** The environment platform defaults are read from (AWS_REGION, CLOUD_ML_REGION…); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface RunningGateway {
  url: string;
  port: number;
  context: GatewayContext;
  /** Settles when the first model discovery run has been applied (at once when discovery is off). */
  modelsDiscovered: Promise<void>;
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

/**
 * The errors the connection layer answers itself (a malformed request, headers
 * or a body that stop arriving), in the dialect the request's path belongs to
 * (the Anthropic shape when no path could be read).
 */
const connectionErrorRenderer: ErrorRenderer = (status, message, path) => {
  const type =
    status === 408 ? 'timeout_error' : status === 413 ? 'request_too_large' : 'invalid_request_error';
  // Vertex answers Claude's own errors in the Anthropic shape too; its rpc.Status shape would carry a
  // 504 DEADLINE_EXCEEDED code for a 408, a server fault for a client's slow body.
  const dialect = path ? dialectOfPath(path) : 'anthropic';
  const rendered = renderDialectError(
    dialect === 'vertex' ? 'anthropic' : dialect,
    new GatewayError({ status, type, message }),
    newRequestId(),
  );
  return { headers: rendered.headers, body: rendered.body };
};

/** Thrown when the gateway must not start as configured; the message says why and what to do. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/**
 * The listener's certificate, key and CA from `server.tls`, read and checked
 * before anything else starts: a file that cannot be read, or a key that does
 * not fit the certificate, stops the start naming the setting.
 */
export function readListenerTls(settings: GatewayConfig['server']['tls']): ListenerTls | undefined {
  if (!settings) return undefined;
  const read = (name: 'cert' | 'key' | 'ca', path: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new StartupError(`server.tls.${name}: cannot read ${path}: ${(error as Error).message}`);
    }
  };
  const files: ListenerTls = { cert: read('cert', settings.cert), key: read('key', settings.key) };
  if (settings.ca) files.ca = read('ca', settings.ca);
  try {
    createSecureContext(files);
  } catch (error) {
    throw new StartupError(
      `server.tls: the certificate ${settings.cert} and key ${settings.key} cannot be used together ` +
        `(they must be PEM, and the key must be the certificate's): ${(error as Error).message}`,
    );
  }
  return files;
}

/**
 * Starts the gateway: the three dialects on one port (HTTP/1.1 and cleartext
 * HTTP/2, or HTTPS with h2 and http/1.1 when `server.tls` is set), the engine over the configured platforms, the activity log with
 * its retention, and graceful stop.
 */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const { config } = options;
  const listenerTls = readListenerTls(config.server.tls);
  const env = options.env ?? process.env;
  // Telemetry settings are checked before anything starts: a bad sampler or protocol stops the start, naming it.
  let otlpForward: ReturnType<typeof forwardSettings>;
  try {
    telemetrySettings(config.telemetry, env);
    otlpForward = forwardSettings(config.telemetry, env);
  } catch (error) {
    throw new StartupError((error as Error).message);
  }
  const logger = options.logger ?? createLogger();
  const clock = options.clock ?? systemClock;
  const catalog = configuredCatalog(options.catalog ?? defaultCatalog(), config);
  const routing = buildRoutingTable(config, options.platforms, options.env, catalog);
  // The store's own warnings in the gateway's JSON log, like everything else it says.
  const storeLogger = (entry: StoreLogEntry) =>
    logger[entry.level](
      {
        component: 'store',
        ...(entry.error ? { err: entry.error } : {}),
        ...(entry.dropped ? { dropped: entry.dropped } : {}),
      },
      entry.message,
    );
  const store =
    options.store ??
    (await openStore(storeUrlFor(config), {
      journal: config.store.journal,
      compressBodies: config.store.compressBodies,
      logger: storeLogger,
    }));
  // Key and budget reads on the request path never turn a store outage into a 500 (see guardKeyReads);
  // /readyz says 503 while the store does not answer.
  const storeHealth = new StoreHealth(store);
  const requestPathStore = guardKeyReads(store, { health: storeHealth, logger });
  // Sign-in: the identity provider's discovery document is read now, so a wrong issuer stops the start.
  const oidc = config.auth.oidc;
  let provider: IdentityProvider | undefined;
  if (oidc) {
    try {
      // jose and openid-client load only when sign-in is configured.
      const { IdentityProvider } = await import('../identity/identity-provider.js');
      provider = await IdentityProvider.discover(oidc);
    } catch (error) {
      if (!options.store) await store.close();
      throw error instanceof IdentityProviderError ? new StartupError(error.message) : error;
    }
  }
  const identities = new Identities(requestPathStore.identity, {
    clock,
    ...(oidc ? { oidc } : {}),
    ...(provider ? { provider } : {}),
  });
  const callers = new CallerAuth(requestPathStore, {
    identities,
    host: config.server.host,
    clock,
    onWatchError: (error) =>
      logger.warn(
        { err: error },
        "cannot listen for key changes in the store: other replicas' key changes reach this one within 30 seconds",
      ),
  });
  const host = config.server.host;
  if (!isLoopbackHost(host) && !(await callers.keysRequired())) {
    if (!options.store) await store.close();
    throw new StartupError(
      `refusing to listen on ${host} without gateway keys: anyone who can reach it could spend your cloud credits. ` +
        'Create a key first (claude-gateway keys create NAME), or listen on 127.0.0.1.',
    );
  }
  const metrics = new GatewayMetrics();
  // Replicas share session stickiness through Redis; one process keeps it in memory.
  // ioredis is loaded only then: it costs several MB of memory a single process never uses.
  // Redis is never on the critical path: short command timeouts, and each replica's own table while it is down.
  const sharedSessions = config.sessions.redisUrl
    ? new (await import('../engine/redis-session-affinity.js')).RedisSessionAffinity(
        config.sessions.redisUrl,
        {
          commandTimeoutMs: config.sessions.commandTimeoutMs,
          connectTimeoutMs: config.sessions.connectTimeoutMs,
          logger: (level, message, fields) => logger[level](fields ?? {}, message),
          onError: () => metrics.redisError('sessions'),
        },
      )
    : undefined;
  if (sharedSessions) metrics.usesRedis('sessions');
  await sharedSessions?.start();
  // Budget alerts: told budgets' spend as requests settle; one webhook per threshold crossed per period.
  const alertsSender = config.alerts.webhookUrl
    ? new WebhookSender({
        url: config.alerts.webhookUrl,
        ...(config.alerts.headers ? { headers: config.alerts.headers } : {}),
        logger: (level, message, fields) => logger[level]({ component: 'alerts', ...fields }, message),
      })
    : undefined;
  const budgetAlerts = alertsSender
    ? new BudgetAlerts({
        thresholds: config.alerts.thresholds,
        send: (body) => alertsSender.send(body),
        store: requestPathStore,
        // Claimed in Redis when the limits are shared there (called only once requests flow, after `limits` exists).
        redisClaim: (name, ttlMs): Promise<boolean | undefined> => limits.claimOnce(name, ttlMs),
        clock,
        logger: (level, message, fields) => logger[level]({ component: 'alerts', ...fields }, message),
      })
    : undefined;
  // Key limits: in Redis when there is one (every replica counts in one place), else per process.
  const limitsRedisUrl =
    config.limits.redisUrl === false ? undefined : (config.limits.redisUrl ?? config.sessions.redisUrl);
  const limits: KeyLimits = limitsRedisUrl
    ? new (await import('./redis-limits.js')).RedisKeyLimits(limitsRedisUrl, requestPathStore, clock, {
        keyPrefix: config.limits.keyPrefix,
        commandTimeoutMs: config.limits.commandTimeoutMs,
        connectTimeoutMs: config.limits.connectTimeoutMs,
        reconcileMs: config.limits.reconcileSeconds * 1000,
        reservationTtlMs: config.limits.reservationTtlSeconds * 1000,
        logger: (level, message, fields) => logger[level](fields ?? {}, message),
        ...(budgetAlerts ? { budgets: budgetAlerts } : {}),
        onError: () => metrics.redisError('limits'),
      })
    : new KeyLimits(requestPathStore, clock, config.limits.reservationTtlSeconds * 1000, budgetAlerts);
  if (limitsRedisUrl) metrics.usesRedis('limits');
  await limits.start();
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
  // The OpenTelemetry SDK is loaded only when an OTLP endpoint is configured.
  const telemetry = await startTelemetry(config.telemetry, env, logger);
  let waiters: (() => void)[] = [];
  const context: GatewayContext = {
    config,
    catalog,
    clock,
    engine,
    store,
    adminStore: guardAdminStore(store, { health: storeHealth, logger }),
    storeHealth,
    callers,
    limits,
    routing,
    metrics,
    ...(telemetry ? { telemetry } : {}),
    ...(otlpForward ? { otlpForward } : {}),
    logger,
    clientAddresses: new ClientAddresses(config.server.trustedProxies),
    shuttingDown: false,
    requestsInFlight: 0,
    inFlight: new InFlightRequests(),
    requestDone: () => {
      if (context.requestsInFlight > 0) return;
      const done = waiters;
      waiters = [];
      for (const resolve of done) resolve();
    },
  };
  const discovery = config.discovery.enabled
    ? startModelDiscovery({
        catalog,
        engine,
        platforms: options.platforms,
        logger,
        intervalMs: config.discovery.intervalMinutes * 60_000,
        onChange: () => routing.planCache.clear(),
      })
    : undefined;
  context.metrics.observe({
    requestsInFlight: () => context.requestsInFlight,
    storeStats: () => store.stats(),
    ...(config.server.accessLog ? { onRequest: accessLogger(options.accessLog ?? logger) } : {}),
  });
  const stopRetention = startRetention(store, { retentionDays: config.store.retentionDays, now: clock });
  // Answers not yet complete, so a stop can end them properly when its grace period runs out.
  const open = new Set<NodeResponse>();
  const server = createDualProtocolServer(
    (request, response) => {
      open.add(response);
      response.once('close', () => open.delete(response));
      void handleRequest(context, request, response);
    },
    {
      ...config.server.clientTimeouts,
      maxConnectionsPerClient: config.server.maxConnectionsPerClient,
      maxStreamsPerConnection: config.server.maxStreamsPerConnection,
      uncapped: (address) => context.clientAddresses.isTrusted(address),
      renderError: connectionErrorRenderer,
      ...(listenerTls ? { tls: listenerTls } : {}),
    },
  );
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
  const url = `${listenerTls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    context,
    modelsDiscovered: discovery?.first ?? Promise.resolve(),
    stop(graceMs = config.server.shutdownGraceMs) {
      stopping ??= (async () => {
        context.shuttingDown = true;
        const closed = server.close(Number.POSITIVE_INFINITY);
        const drained = (withinMs: number) =>
          context.requestsInFlight > 0
            ? Promise.race([
                new Promise<void>((resolve) => waiters.push(resolve)),
                new Promise<void>((resolve) => setTimeout(resolve, withinMs).unref()),
              ])
            : Promise.resolve();
        await drained(graceMs);
        stopRetention();
        discovery?.stop();
        // The grace period ran out: each unfinished answer ends with the dialect's error (a stream
        // with its error event or exception frame, never a silent cut), is logged as stopped by the
        // gateway, and its upstream request is cancelled. Then every connection is closed.
        if (context.requestsInFlight > 0) {
          const error = new GatewayError({
            status: 503,
            type: 'overloaded_error',
            code: 'SHUTTING_DOWN',
            platform: 'gateway',
            message: `The gateway stopped this request while shutting down: it was still running when the shutdown grace period (${graceMs} ms) ran out. Retry the request.`,
          });
          for (const response of open) exchangeOf(response)?.stop(error);
          await drained(1_000);
        }
        server.cut();
        await Promise.race([closed, new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref())]);
        // Requests cut with their connections write their rows: let them.
        await drained(1_000);
        // Alerts already claimed get a moment to reach their webhook.
        await alertsSender?.close();
        await store.close();
        await engine.transport.close();
        await sharedSessions?.close();
        await limits.close();
        await closeGrpcForwarders(context);
        // Last: the spans of requests cut above are ended by now and go out with the final export.
        await telemetry?.shutdown();
      })();
      return stopping;
    },
  };
}
