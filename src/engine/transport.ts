import type { HttpTransport } from '../platforms/transport.js';

/**
 * What the engine needs to reach a platform: send one request, and close
 * its connections. `HttpTransport` (undici pools) in production; a stand-in
 * answering canned responses in unit tests, so retry, failover and stream
 * handling are tested without a server.
 */
export type Transport = Pick<HttpTransport, 'send' | 'close'>;
