import { timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sameOriginWrite, uiSessionOf } from '../../gateway/admin-auth.js';
import type { GatewayContext } from '../../gateway/context.js';
import type { Exchange } from '../../gateway/exchange.js';
import { GatewayError } from '../../wire/errors/gateway-error.js';
import { tooManyFailures } from './failed-sign-ins.js';
import { OIDC_CALLBACK_PATH, OIDC_START_PATH, signInMethods } from './sign-in-methods.js';
import { signInPage } from './sign-in-page.js';
import { failedSignInsOf, openUiSession, signInAddress } from './start-ui-session.js';
import { builtAssets, type StaticAsset } from './static-assets.js';
import { apiError, secureRequest, send, sendHtml, sendJson, sendText } from './ui-responses.js';
import { sessionCookie, type UiSession } from './ui-session.js';

export { CONTENT_SECURITY_POLICY } from './ui-responses.js';

/** A failed sign-in is answered after this pause, so guessing the admin key online is slow. */
const FAILED_SIGN_IN_DELAY_MS = 500;
const MAX_LOGIN_BODY = 4096;

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

/** The request's dashboard session, or the 503 answered when the store cannot say (then undefined and `answered`). */
async function sessionOrAnswer(
  context: GatewayContext,
  exchange: Exchange,
): Promise<{ session?: UiSession; answered: boolean }> {
  try {
    const session = await uiSessionOf(context, exchange);
    return { ...(session ? { session } : {}), answered: false };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    apiError(exchange, error.status, error.message);
    return { answered: true };
  }
}

function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function login(context: GatewayContext, exchange: Exchange): Promise<void> {
  const adminKey = context.config.server.adminKey;
  if (!adminKey) return apiError(exchange, 404, 'Sign-in with the admin key is off: set server.adminKey.');
  const failures = failedSignInsOf(context);
  const address = signInAddress(exchange);
  const wait = failures.retryAfterMs(address);
  if (wait > 0) {
    const { retryAfter, message } = tooManyFailures(wait);
    return apiError(exchange, 429, message, { 'retry-after': retryAfter });
  }
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
    failures.note(address);
    await sleep(FAILED_SIGN_IN_DELAY_MS);
    return apiError(exchange, 401, 'That is not the admin key (server.adminKey).');
  }
  let opened: Awaited<ReturnType<typeof openUiSession>>;
  try {
    opened = await openUiSession(context, exchange, { subject: 'admin', via: 'admin-key' });
  } catch (error) {
    context.logger.warn({ err: error }, 'cannot record a dashboard session');
    return apiError(
      exchange,
      503,
      'The gateway cannot record your session right now: its store does not answer. Try again shortly.',
    );
  }
  if (!opened) return apiError(exchange, 404, 'Sign-in to the dashboard is off: set server.adminKey.');
  sendJson(exchange, 200, sessionAnswer(context, opened.session), { 'set-cookie': opened.cookie });
}

/**
 * Signs out: ends the session in the store (so its cookie, even if kept or
 * copied, is refused by every replica) and clears the cookie.
 */
async function logout(context: GatewayContext, exchange: Exchange): Promise<void> {
  const { session, answered } = await sessionOrAnswer(context, exchange);
  if (answered) return;
  if (session) {
    const refused = sameOriginWrite(exchange, session);
    if (refused) return apiError(exchange, 403, refused);
    try {
      await context.callers.identities?.store.endUiSession(session.id, context.clock());
      context.callers.invalidate();
    } catch (error) {
      context.logger.warn({ err: error }, 'cannot end a dashboard session');
      return apiError(
        exchange,
        503,
        'The gateway cannot end your session right now: its store does not answer. Try again shortly.',
      );
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
 * (`GET /ui/api/session`, `POST /ui/api/login` with the admin key,
 * `GET /ui/auth/oidc` and `GET /ui/auth/callback` through the identity
 * provider, `POST /ui/api/logout`). The pages read and change everything
 * through the admin API, with the session cookie this sign-in sets.
 */
export async function serveUi(context: GatewayContext, exchange: Exchange): Promise<void> {
  const { method, path } = exchange;
  if (signInMethods(context.config).length === 0) {
    return sendText(
      exchange,
      404,
      'The dashboard is off: set server.adminKey (or auth.oidc.adminGroups) in the configuration, then sign in at /ui.',
    );
  }
  if (path === '/ui') {
    return send(exchange, 308, { location: '/ui/', 'cache-control': 'no-store' }, '');
  }
  if ((path === OIDC_START_PATH || path === OIDC_CALLBACK_PATH) && method === 'GET') {
    try {
      // Loaded with the first IdP sign-in: openid-client and jose stay out of a gateway that never sees one.
      const { finishOidcSignIn, startOidcSignIn } = await import('./oidc-sign-in.js');
      return path === OIDC_START_PATH
        ? await startOidcSignIn(context, exchange)
        : await finishOidcSignIn(context, exchange);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      const page = signInPage({ title: 'The sign-in could not be finished', paragraphs: [error.message] });
      return sendHtml(exchange, error.status, page);
    }
  }
  const rest = path.slice('/ui/'.length);
  if (rest.startsWith('api/')) {
    if (rest === 'api/session' && method === 'GET') {
      const { session, answered } = await sessionOrAnswer(context, exchange);
      if (!answered) sendJson(exchange, 200, sessionAnswer(context, session));
      return;
    }
    if (rest === 'api/login' && method === 'POST') return await login(context, exchange);
    if (rest === 'api/logout' && method === 'POST') return await logout(context, exchange);
    return apiError(exchange, 404, `The dashboard has no ${method} ${path}.`);
  }
  if (method !== 'GET' && method !== 'HEAD') {
    return send(exchange, 405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, '');
  }
  const assets = builtAssets();
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
