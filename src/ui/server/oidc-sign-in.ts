import * as oauth from 'openid-client';
import { uiSigningKey } from '../../gateway/admin-auth.js';
import type { GatewayContext } from '../../gateway/context.js';
import type { Exchange } from '../../gateway/exchange.js';
import { IdentityProviderError } from '../../identity/identity-provider-error.js';
import { tooManyFailures } from './failed-sign-ins.js';
import {
  openPendingSignIn,
  PENDING_COOKIE,
  PENDING_TTL_MS,
  pendingCookie,
  sealPendingSignIn,
} from './pending-sign-in.js';
import { OIDC_CALLBACK_PATH } from './sign-in-methods.js';
import { signInPage } from './sign-in-page.js';
import { failedSignInsOf, openUiSession, signInAddress } from './start-ui-session.js';
import { secureRequest, send, sendHtml, sendText } from './ui-responses.js';
import { readCookie } from './ui-session.js';

/**
 * The redirect URI the IdP sends the browser back to: `auth.oidc.dashboardRedirectUri`
 * when set (what is registered at the IdP, whatever Host a proxy passes on),
 * else this page's own origin (`X-Forwarded-Proto`/`-Host` behind a proxy).
 */
export function dashboardRedirectUri(context: GatewayContext, exchange: Exchange): string {
  const configured = context.config.auth.oidc?.dashboardRedirectUri;
  if (configured) return configured;
  const host =
    exchange.header('x-forwarded-host') ?? exchange.header('host') ?? exchange.header(':authority');
  const scheme = secureRequest(context, exchange) ? 'https' : 'http';
  return `${scheme}://${host ?? `${context.config.server.host}:${context.config.server.port}`}${OIDC_CALLBACK_PATH}`;
}

/**
 * `GET /ui/auth/oidc`: sends the browser to the IdP's sign-in (authorization
 * code flow, PKCE S256, `state`, `nonce`) with what the callback must check in
 * a short-lived signed cookie, so any replica can answer the callback.
 */
export async function startOidcSignIn(context: GatewayContext, exchange: Exchange): Promise<void> {
  const provider = context.callers.identities?.options.provider;
  const key = await uiSigningKey(context);
  if (!provider || !key) {
    return sendText(
      exchange,
      404,
      'Signing in to the dashboard through the identity provider is off: set auth.oidc with adminGroups.',
    );
  }
  const codeVerifier = oauth.randomPKCECodeVerifier();
  const pending = {
    state: oauth.randomState(),
    nonce: oauth.randomNonce(),
    codeVerifier,
    redirectUri: dashboardRedirectUri(context, exchange),
    expiresAt: context.clock() + PENDING_TTL_MS,
  };
  const location = provider.authorizationUrl({
    redirectUri: pending.redirectUri,
    state: pending.state,
    nonce: pending.nonce,
    codeChallenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
  });
  send(
    exchange,
    302,
    {
      location: location.href,
      'cache-control': 'no-store',
      'set-cookie': pendingCookie(sealPendingSignIn(key, pending), {
        secure: secureRequest(context, exchange),
      }),
    },
    '',
  );
}

/**
 * `GET /ui/auth/callback`: the IdP's answer. Checks it against the pending
 * sign-in, redeems the code, verifies the ID token as the device flow does,
 * records the user as a device sign-in does, and starts a dashboard session
 * only for a member of `auth.oidc.adminGroups`. Anything else gets a page
 * saying why and counts as a failed sign-in from the address.
 */
export async function finishOidcSignIn(context: GatewayContext, exchange: Exchange): Promise<void> {
  const identities = context.callers.identities;
  const provider = identities?.options.provider;
  const oidc = context.config.auth.oidc;
  const key = await uiSigningKey(context);
  const secure = secureRequest(context, exchange);
  const clearPending = pendingCookie(undefined, { secure });
  if (!identities || !provider || !oidc || !key) {
    return sendText(
      exchange,
      404,
      'Signing in to the dashboard through the identity provider is off: set auth.oidc with adminGroups.',
    );
  }
  const failures = failedSignInsOf(context);
  const address = signInAddress(exchange);
  const wait = failures.retryAfterMs(address);
  if (wait > 0) {
    const { retryAfter, message } = tooManyFailures(wait);
    return sendHtml(exchange, 429, signInPage({ title: 'Too many failed sign-ins', paragraphs: [message] }), {
      'retry-after': retryAfter,
      'set-cookie': clearPending,
    });
  }
  const refuse = (
    status: number,
    title: string,
    paragraphs: string[],
    list?: { caption: string; items: string[] },
  ) => {
    failures.note(address);
    sendHtml(exchange, status, signInPage({ title, paragraphs, ...(list ? { list } : {}) }), {
      'set-cookie': clearPending,
    });
  };
  const pending = openPendingSignIn(
    key,
    readCookie(exchange.header('cookie'), PENDING_COOKIE),
    context.clock(),
  );
  if (!pending) {
    return refuse(400, 'This sign-in cannot be finished', [
      'The sign-in it answers was not started in this browser, or took longer than 10 minutes. Start it again from the dashboard.',
    ]);
  }
  const callbackUrl = new URL(pending.redirectUri);
  callbackUrl.search = exchange.query.toString();
  let user: Awaited<ReturnType<typeof identities.store.upsertSignedInUser>>;
  try {
    const who = await provider.redeemCode(callbackUrl, pending);
    user = await identities.store.upsertSignedInUser(who, context.clock());
    context.callers.invalidate();
  } catch (error) {
    if (error instanceof IdentityProviderError) {
      return refuse(401, 'The sign-in was not accepted', [
        `${capitalize(error.message)}.`,
        'Start it again from the dashboard.',
      ]);
    }
    context.logger.warn({ err: error }, 'the dashboard sign-in could not be finished');
    return sendHtml(
      exchange,
      502,
      signInPage({
        title: 'The sign-in could not be finished',
        paragraphs: [
          'The gateway could not finish the sign-in with the identity provider or its store right now. Try again shortly.',
        ],
      }),
      { 'set-cookie': clearPending },
    );
  }
  if (user.disabledAt !== undefined) {
    return refuse(403, 'Your user is disabled', [
      `${user.name} is disabled on this gateway, so it cannot sign in to the dashboard. Ask an administrator.`,
    ]);
  }
  const adminGroups = oidc.adminGroups;
  if (!user.groups.some((group) => adminGroups.includes(group))) {
    return refuse(
      403,
      'The dashboard is for administrators',
      [
        `You signed in as ${user.name}, whose groups at the identity provider are ${user.groups.length > 0 ? user.groups.join(', ') : 'none'}.`,
        `To get in, ask whoever runs your identity provider to add you to one of the groups below (auth.oidc.adminGroups), then sign in again.${context.config.server.adminKey ? " Or sign in with the gateway's admin key, if you hold it." : ''}`,
      ],
      { caption: 'The dashboard is open to members of:', items: adminGroups },
    );
  }
  const opened = await openUiSession(context, exchange, {
    subject: user.name,
    via: 'oidc',
    userId: user.id,
  }).catch((error: unknown) => {
    context.logger.warn({ err: error }, 'cannot record a dashboard session');
    return undefined;
  });
  if (!opened) {
    return sendHtml(
      exchange,
      503,
      signInPage({
        title: 'The sign-in could not be finished',
        paragraphs: [
          'The gateway cannot record your session right now: its store does not answer. Try again shortly.',
        ],
      }),
      { 'set-cookie': clearPending },
    );
  }
  send(
    exchange,
    303,
    { location: '/ui/', 'cache-control': 'no-store', 'set-cookie': [opened.cookie, clearPending] },
    '',
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
