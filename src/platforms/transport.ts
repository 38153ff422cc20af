import { Agent, errors as undiciErrors } from 'undici';
import type { Platform } from '../catalog/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { PLATFORM_NAMES, seconds } from '../wire/errors/platform-names.js';
import { dispatchRequest } from './dispatch-response.js';
import type { UpstreamRequest } from './types.js';

/** Timeouts and pool sizes for upstream calls; every one is configurable. */
export interface TransportOptions {
  /** TCP + TLS connect. */
  connectTimeoutMs?: number;
  /** From the request being sent to the response headers (the first byte). */
  firstByteTimeoutMs?: number;
  /** Between two chunks of a response body: a stream that stalls longer is cut. */
  idleTimeoutMs?: number;
  /** How long an unused keep-alive connection stays open. */
  keepAliveTimeoutMs?: number;
  /** Connections per origin; undefined means as many as requests in flight (each stream holds one). */
  connectionsPerOrigin?: number | undefined;
}

export const DEFAULT_TRANSPORT_OPTIONS: Required<Omit<TransportOptions, 'connectionsPerOrigin'>> &
  Pick<TransportOptions, 'connectionsPerOrigin'> = {
  connectTimeoutMs: 10_000,
  firstByteTimeoutMs: 600_000,
  idleTimeoutMs: 300_000,
  keepAliveTimeoutMs: 30_000,
  // No cap: over HTTP/1.1 every open stream holds a connection, and a cap would
  // leave streams past it waiting for their first event while others stay open.
  connectionsPerOrigin: undefined,
};

/** An upstream answer whose body has not been read yet. */
export interface UpstreamResponse {
  status: number;
  headers: Headers;
  /** The body, chunk by chunk as the network delivers it. */
  body: AsyncIterable<Uint8Array>;
  /** Reads the whole body as text. */
  text(): Promise<string>;
  /** Stops reading and closes the connection's body (the client went away, or a retry starts). */
  discard(): void;
}

/**
 * Sends upstream requests over undici keep-alive pools, one pool per origin,
 * and turns connection failures and timeouts into GatewayErrors that say
 * which platform failed and how.
 */
export class HttpTransport {
  private readonly agent: Agent;
  readonly options: typeof DEFAULT_TRANSPORT_OPTIONS;

  constructor(options: TransportOptions = {}) {
    this.options = { ...DEFAULT_TRANSPORT_OPTIONS, ...options };
    this.agent = new Agent({
      connect: { timeout: this.options.connectTimeoutMs },
      headersTimeout: this.options.firstByteTimeoutMs,
      bodyTimeout: this.options.idleTimeoutMs,
      keepAliveTimeout: this.options.keepAliveTimeoutMs,
      connections: this.options.connectionsPerOrigin ?? null,
      pipelining: 1,
    });
  }

  /**
   * Sends one request.
   *
   * @example
   * const response = await transport.send(request, 'bedrock', signal);
   * if (response.status !== 200) throw adapter.parseError(response.status, response.headers, await response.text());
   */
  async send(request: UpstreamRequest, platform: Platform, signal?: AbortSignal): Promise<UpstreamResponse> {
    const translate = (error: unknown) => transportError(error, platform, this.options);
    try {
      return await dispatchRequest(this.agent, request, signal, translate);
    } catch (error) {
      throw translate(error);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** Maps a network-level failure to a retryable GatewayError naming the platform and the cause. */
export function transportError(
  error: unknown,
  platform: Platform,
  options: typeof DEFAULT_TRANSPORT_OPTIONS,
): GatewayError {
  if (error instanceof GatewayError) return error;
  const name = PLATFORM_NAMES[platform];
  if (error instanceof undiciErrors.HeadersTimeoutError) {
    return GatewayError.fromCode(
      'UPSTREAM_TIMEOUT',
      { platform: name, duration: seconds(options.firstByteTimeoutMs / 1000) },
      { platform, cause: error },
    );
  }
  if (error instanceof undiciErrors.BodyTimeoutError) {
    return GatewayError.fromCode(
      'UPSTREAM_STREAM_INTERRUPTED',
      { platform: name, reason: `no data for ${seconds(options.idleTimeoutMs / 1000)}` },
      { platform, cause: error },
    );
  }
  if (error instanceof undiciErrors.ConnectTimeoutError) {
    return GatewayError.fromCode(
      'UPSTREAM_UNREACHABLE',
      { platform: name, reason: `connect timed out after ${seconds(options.connectTimeoutMs / 1000)}` },
      { platform, cause: error },
    );
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return GatewayError.fromCode('CLIENT_CLOSED_REQUEST', {}, { platform, cause: error });
  }
  const code =
    (error as { code?: string; cause?: { code?: string } })?.code ??
    (error as { cause?: { code?: string } })?.cause?.code;
  const message = error instanceof Error ? error.message : String(error);
  return GatewayError.fromCode(
    'UPSTREAM_UNREACHABLE',
    { platform: name, reason: code ? `${code} (${message})` : message },
    { platform, cause: error },
  );
}
