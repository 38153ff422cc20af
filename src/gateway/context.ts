import type { Catalog } from '../catalog/catalog.js';
import type { Clock } from '../clock.js';
import type { GatewayConfig } from '../config/schema.js';
import type { Engine } from '../engine/engine.js';
import type { ClientAddresses } from '../net/client-address.js';
import type { StoreHealth } from '../store/store-health.js';
import type { Store } from '../store/types.js';
import type { ForwardSettings } from '../telemetry/settings.js';
import type { GatewayTelemetry } from '../telemetry/telemetry.js';
import type { AdminStore } from './admin-store.js';
import type { CallerAuth } from './callers.js';
import type { InFlightRequests } from './in-flight.js';
import type { KeyLimits } from './limits.js';
import type { Logger } from './logger.js';
import type { GatewayMetrics } from './metrics.js';
import type { RoutingTable } from './routing.js';

/** Everything a request handler needs, built once at start. */
export interface GatewayContext {
  config: GatewayConfig;
  /** The models this gateway knows: built-in, discovered from the platforms, and configured. */
  catalog: Catalog;
  /** "Now" for everything date-dependent (retirements, budget months, retention). */
  clock: Clock;
  engine: Engine;
  store: Store;
  /** The store as the admin API uses it: last good reads and a clear 503 for changes while it is away. */
  adminStore?: AdminStore & { staleSince(answer: unknown): number | undefined };
  /** Whether the store answers (cached), for `/readyz`; absent: always ready. */
  storeHealth?: StoreHealth;
  callers: CallerAuth;
  limits: KeyLimits;
  routing: RoutingTable;
  metrics: GatewayMetrics;
  /** OpenTelemetry traces and metrics; absent when no OTLP endpoint is configured. */
  telemetry?: GatewayTelemetry;
  /** Where Claude Code's own telemetry is forwarded; absent unless `telemetry.forwardClaudeCode`. */
  otlpForward?: ForwardSettings;
  logger: Logger;
  /** Who a request came from: the peer, or `X-Forwarded-For` behind `server.trustedProxies`. */
  clientAddresses: ClientAddresses;
  /** Set when a stop was asked for: new requests get 503, in-flight ones finish. */
  shuttingDown: boolean;
  requestsInFlight: number;
  /** The Messages calls being answered now, for the admin API's live view. */
  inFlight: InFlightRequests;
  /** Called when a request ends (the graceful stop waits on this). */
  requestDone(): void;
}
