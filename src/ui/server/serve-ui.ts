import { timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sameOriginWrite, uiSessionOf, uiSigningKey } from '../../gateway/admin-auth.js';
import type { GatewayContext } from '../../gateway/context.js';
import type { Exchange } from '../../gateway/exchange.js';
import { signInMethods } from './sign-in-methods.js';
import { loadStaticAssets, type StaticAsset } from './static-assets.js';
import { issueSessionToken, sessionCookie, type UiPrincipal, type UiSession } from './ui-session.js';

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

/** A failed sign-in is answered after this pause, so guessing the admin key online is slow. */
const FAILED_SIGN_IN_DELAY_MS = 500;
const MAX_LOGIN_BODY = 4096;

let assets: Map<string, StaticAsset> | undefined;

function send(
  exchange: Exchange,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer,
): void {
  exchange.send(status, { ...SECURITY_HEADERS, ...headers }, body);
}

function sendJson(
  exchange: Exchange,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  send(
    exchange,
    status,
    { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    JSON.stringify(body),
  );
}

function sendText(exchange: Exchange, status: number, text: string): void {
  send(
    exchange,
    status,
    { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    `${text}\n`,
  );
}

function apiError(exchange: Exchange, status: number, message: string): void {
  sendJson(exchange, status, { type: 'error', error: { message } });
}

/** Whether the page was reached over HTTPS (the listener's TLS, or a proxy in front that says so). */
function secureRequest(context: GatewayContext, exchange: Exchange): boolean {
  return context.config.server.tls !== undefined || exchange.header('x-forwarded-proto') === 'https';
}

/** What the page needs to know about its sign-in. */
function sessionAnswer(context: GatewayContext, session: UiSession | undefined) {
  return {
    signedIn: session !== undefined,
    ...(session
      ? {
          subject: session.subject,
          via: session.via,
          expiresAt: new Date(session.expiresAt).toISOString(),
          csrfToken: session.csrfToken,
        }
      : {}),
    methods: signInMethods(context.config),
  };
}

/**
 * Starts a dashboard session for someone a sign-in method has verified: sets
 * the session cookie and answers the page with its CSRF token. The admin-key
 * form uses it; an OIDC callback will too.
 */
export function startUiSession(context: GatewayContext, exchange: Exchange, principal: UiPrincipal): void {
  const key = uiSigningKey(context);
  if (!key) {
    apiError(exchange, 404, 'Sign-in to the dashboard is off: set server.adminKey.');
    return;
  }
  const { token, session } = issueSessionToken(key, principal, context.clock());
  sendJson(exchange, 200, sessionAnswer(context, session), {
    'set-cookie': sessionCookie(token, { secure: secureRequest(context, exchange) }),
  });
}

function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function login(context: GatewayContext, exchange: Exchange): Promise<void> {
  const adminKey = context.config.server.adminKey;
  if (!adminKey) return apiError(exchange, 404, 'Sign-in with the admin key is off: set server.adminKey.');
  if (!(exchange.header('content-type') ?? '').startsWith('application/json')) {
    return apiError(exchange, 415, 'Send the sign-in as JSON: {"adminKey": "…"}.');
  }
  const body = await exchange.readBody(MAX_LOGIN_BODY);
  if (!body.ok) return apiError(exchange, 400, 'Send the sign-in as JSON: {"adminKey": "…"}.');
  let presented: unknown;
  try {
    presented = (JSON.parse(body.bytes.toString('utf8')) as { adminKey?: unknown })?.adminKey;
  } catch {
    presented = undefined;
  }
  if (typeof presented !== 'string' || presented === '') {
    return apiError(exchange, 400, 'Send the sign-in as JSON: {"adminKey": "…"}.');
  }
  if (!sameSecret(presented, adminKey)) {
    await sleep(FAILED_SIGN_IN_DELAY_MS);
    return apiError(exchange, 401, 'That is not the admin key (server.adminKey).');
  }
  startUiSession(context, exchange, { subject: 'admin', via: 'admin-key' });
}

function logout(context: GatewayContext, exchange: Exchange): void {
  const session = uiSessionOf(context, exchange);
  if (session) {
    const refused = sameOriginWrite(exchange, session);
    if (refused) {
      apiError(exchange, 403, refused);
      return;
    }
  }
  sendJson(exchange, 200, sessionAnswer(context, undefined), {
    'set-cookie': sessionCookie(undefined, { secure: secureRequest(context, exchange) }),
  });
}

function serveAsset(exchange: Exchange, asset: StaticAsset): void {
  send(
    exchange,
    200,
    {
      'content-type': asset.contentType,
      'cache-control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    },
    asset.bytes,
  );
}

/**
 * The dashboard at `/ui`: its built pages and assets, and its sign-in
 * (`GET /ui/api/session`, `POST /ui/api/login`, `POST /ui/api/logout`). The
 * pages read and change everything through the admin API, with the session
 * cookie this sign-in sets.
 */
export async function serveUi(context: GatewayContext, exchange: Exchange): Promise<void> {
  const { method, path } = exchange;
  if (signInMethods(context.config).length === 0) {
    return sendText(
      exchange,
      404,
      'The dashboard is off: set server.adminKey in the configuration, then sign in at /ui with it.',
    );
  }
  if (path === '/ui') {
    return send(exchange, 308, { location: '/ui/', 'cache-control': 'no-store' }, '');
  }
  const rest = path.slice('/ui/'.length);
  if (rest.startsWith('api/')) {
    if (rest === 'api/session' && method === 'GET') {
      return sendJson(exchange, 200, sessionAnswer(context, uiSessionOf(context, exchange)));
    }
    if (rest === 'api/login' && method === 'POST') return await login(context, exchange);
    if (rest === 'api/logout' && method === 'POST') return logout(context, exchange);
    return apiError(exchange, 404, `The dashboard has no ${method} ${path}.`);
  }
  if (method !== 'GET' && method !== 'HEAD') {
    return send(exchange, 405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, '');
  }
  assets ??= loadStaticAssets();
  if (!assets) {
    return sendText(
      exchange,
      503,
      "The dashboard's files are not built: run `npm run build` (they go to dist/ui/public).",
    );
  }
  const asset = assets.get(rest);
  if (asset && rest !== 'index.html') return serveAsset(exchange, asset);
  if (rest.startsWith('assets/')) return sendText(exchange, 404, `No dashboard file ${path}.`);
  // Every other path is a page of the dashboard: the page itself decides what to show.
  const index = assets.get('index.html') as StaticAsset;
  return serveAsset(exchange, index);
}
