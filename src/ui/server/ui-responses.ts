import type { GatewayContext } from '../../gateway/context.js';
import type { Exchange } from '../../gateway/exchange.js';

/**
 * What the dashboard's pages may load and do: only the gateway's own scripts,
 * styles and API, no inline script or style, no framing, no form posts elsewhere.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** Any answer of the dashboard's, with its security headers. */
export function send(
  exchange: Exchange,
  status: number,
  headers: Record<string, string | string[]>,
  body: string | Buffer,
): void {
  exchange.send(status, { ...SECURITY_HEADERS, ...headers } as Record<string, string>, body);
}

export function sendJson(
  exchange: Exchange,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  send(
    exchange,
    status,
    { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    JSON.stringify(body),
  );
}

export function sendText(exchange: Exchange, status: number, text: string): void {
  send(
    exchange,
    status,
    { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    `${text}\n`,
  );
}

export function sendHtml(
  exchange: Exchange,
  status: number,
  html: string,
  headers: Record<string, string | string[]> = {},
): void {
  send(
    exchange,
    status,
    { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers },
    html,
  );
}

/** The dashboard API's error shape. */
export function apiError(
  exchange: Exchange,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(exchange, status, { type: 'error', error: { message } }, headers);
}

/** Whether the page was reached over HTTPS (the listener's TLS, or a proxy in front that says so). */
export function secureRequest(context: GatewayContext, exchange: Exchange): boolean {
  return context.config.server.tls !== undefined || exchange.header('x-forwarded-proto') === 'https';
}
