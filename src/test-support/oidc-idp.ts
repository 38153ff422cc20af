/**
 * Test-only: a real OpenID Connect provider (`oidc-provider`, the reference
 * implementation in Node) on a free 127.0.0.1 port, with the device
 * authorization flow on and one client for the gateway, and a scripted
 * "browser" that approves a sign-in as one of its accounts. With
 * `dashboardSignIn`, the client may also use the authorization code flow
 * (the dashboard's sign-in) back to any 127.0.0.1 port; with `loginForm`, the
 * IdP shows a login page a real browser fills in.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

/** An account of the test IdP: what its ID tokens say about the person. */
export interface IdpAccount {
  sub: string;
  email: string;
  name: string;
  groups: string[];
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  /** Approves the sign-in a verification URL (with its user code) names, as `account`. */
  approve(verificationUriComplete: string, account: string): Promise<void>;
  /** Denies it (the "Abort" button). */
  deny(verificationUriComplete: string): Promise<void>;
  /** The account the next sign-in without a login form is finished as. */
  signInAs(account: string): void;
  close(): Promise<void>;
}

/** Cookies as a browser keeps them for one host (names only; the test IdP sets no paths that matter). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair?.indexOf('=') ?? -1;
      if (!pair || at < 0) continue;
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** GET or POST as a browser would, following redirects (keeping cookies); the last page's HTML. */
async function browse(jar: CookieJar, url: string, form?: Record<string, string>): Promise<string> {
  let next: string | undefined = url;
  let body: URLSearchParams | undefined = form ? new URLSearchParams(form) : undefined;
  for (let hop = 0; hop < 15 && next; hop += 1) {
    const response: Response = await fetch(next, {
      method: body ? 'POST' : 'GET',
      headers: {
        cookie: jar.header(),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body ? { body } : {}),
      redirect: 'manual',
    });
    jar.take(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      next = new URL(location, next).href;
      body = undefined;
      await response.arrayBuffer();
      continue;
    }
    const text = await response.text();
    if (response.status >= 400)
      throw new Error(`the test IdP answered ${response.status} at ${next}: ${text.slice(0, 300)}`);
    return text;
  }
  throw new Error('the test IdP redirected too often');
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The action and hidden fields of a page's form (`formId`, or its first form). */
function formOf(html: string, formId?: string): { action: string; fields: Record<string, string> } {
  const pattern = formId
    ? new RegExp(`<form id="${formId.replace('.', '\\.')}"[\\s\\S]*?</form>`)
    : /<form[\s\S]*?<\/form>/;
  const form = pattern.exec(html)?.[0];
  if (!form) throw new Error(`the test IdP's page has no form ${formId ?? ''}: ${html.slice(0, 300)}`);
  const fields: Record<string, string> = {};
  for (const match of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)) {
    fields[match[1] as string] = unescapeHtml(match[2] as string);
  }
  return { action: unescapeHtml(/action="([^"]*)"/.exec(form)?.[1] ?? ''), fields };
}

/** A page, after the auto-submitting form posts (`form_post`) a browser would run. */
async function settledPage(jar: CookieJar, url: string): Promise<string> {
  let page = await browse(jar, url);
  for (let hop = 0; hop < 5 && page.includes('document.forms[0].submit()'); hop += 1) {
    const { action, fields } = formOf(page);
    page = await browse(jar, new URL(action, url).href, fields);
  }
  return page;
}

/** The account name a login form posted. */
async function postedAccount(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('account') ?? '';
}

/** The test IdP's own login page: one field, the account (its subject). */
function loginPage(action: string, refused: string | undefined): string {
  const escapeHtml = (text: string) =>
    text.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);
  return `<!doctype html><html><head><title>Test IdP: sign in</title></head><body>
<h1>Test IdP</h1>
${refused === undefined ? '' : `<p id="login-error">No account ${escapeHtml(refused)}.</p>`}
<form method="post" action="${escapeHtml(action)}">
<label for="account">Account</label> <input id="account" name="account" autocomplete="username">
<button type="submit">Sign in</button>
</form></body></html>`;
}

/**
 * Starts the IdP. Its ID tokens carry `email`, `name` and `groups` (the
 * claim the gateway is configured to read) and last `idTokenTtlSeconds`.
 */
export async function startTestIdp(
  accounts: IdpAccount[],
  options: {
    clientId?: string;
    idTokenTtlSeconds?: number;
    /** The client may also use the authorization code flow, back to `http://127.0.0.1:<any port>/ui/auth/callback`. */
    dashboardSignIn?: boolean;
    /** Sign-ins show a login page (an account name field) instead of finishing at once. */
    loginForm?: boolean;
  } = {},
): Promise<TestIdp> {
  const clientId = options.clientId ?? 'claude-gateway';
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const byId = new Map(accounts.map((account) => [account.sub, account]));
  let signingInAs: string | undefined;

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        token_endpoint_auth_method: 'none',
        grant_types: [
          'urn:ietf:params:oauth:grant-type:device_code',
          'refresh_token',
          ...(options.dashboardSignIn ? ['authorization_code'] : []),
        ],
        response_types: options.dashboardSignIn ? ['code'] : [],
        // A native client's loopback redirect URI matches on any port (RFC 8252 §7.3): the gateway's is picked at start.
        ...(options.dashboardSignIn
          ? { application_type: 'native', redirect_uris: ['http://127.0.0.1/ui/auth/callback'] }
          : { redirect_uris: [] }),
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-idp-cookie-key'] },
    features: { deviceFlow: { enabled: true }, devInteractions: { enabled: false } },
    scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    // The groups, e-mail and name in the ID token itself (what the gateway reads), not only at userinfo.
    conformIdTokenClaims: false,
    ttl: { IdToken: options.idTokenTtlSeconds ?? 3600, DeviceCode: 600, AccessToken: 3600 },
    interactions: { url: (_context, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_context, sub) => {
      const account = byId.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          email: account.email,
          email_verified: true,
          name: account.name,
          groups: account.groups,
        }),
      };
    },
  });
  const callback = provider.callback();
  // The login and consent "pages": finished at once, as the account the test asked for.
  server.on('request', (request, response) => {
    if (!request.url?.startsWith('/interaction/')) {
      callback(request, response);
      return;
    }
    void (async () => {
      try {
        const details = await provider.interactionDetails(request, response);
        if (details.prompt.name === 'login' && options.loginForm) {
          const account = request.method === 'POST' ? await postedAccount(request) : undefined;
          if (account === undefined || !byId.has(account)) {
            response.setHeader('content-type', 'text/html; charset=utf-8');
            response.end(loginPage(request.url ?? '/', account));
            return;
          }
          await provider.interactionFinished(
            request,
            response,
            { login: { accountId: account } },
            { mergeWithLastSubmission: false },
          );
          return;
        }
        if (details.prompt.name === 'login') {
          await provider.interactionFinished(
            request,
            response,
            { login: { accountId: signingInAs ?? '' } },
            { mergeWithLastSubmission: false },
          );
          return;
        }
        const grant = new provider.Grant({
          accountId: details.session?.accountId ?? '',
          clientId: String(details.params['client_id']),
        });
        grant.addOIDCScope(String(details.params['scope'] ?? 'openid'));
        const grantId = await grant.save();
        await provider.interactionFinished(
          request,
          response,
          { consent: { grantId } },
          { mergeWithLastSubmission: true },
        );
      } catch (error) {
        response.statusCode = 500;
        response.end(String(error));
      }
    })();
  });

  const confirmPage = async (jar: CookieJar, verificationUriComplete: string) => {
    const page = await settledPage(jar, verificationUriComplete);
    const { action, fields } = formOf(page, 'op.deviceConfirmForm');
    return { fields, action: new URL(action || '/device', issuer).href };
  };
  return {
    issuer,
    clientId,
    async approve(verificationUriComplete, account) {
      if (!byId.has(account)) throw new Error(`the test IdP has no account ${account}`);
      signingInAs = account;
      const jar = new CookieJar();
      const { fields, action } = await confirmPage(jar, verificationUriComplete);
      const done = await browse(jar, action, fields);
      if (!/Sign-in Success|success/i.test(done))
        throw new Error(`the sign-in did not succeed: ${done.slice(0, 300)}`);
    },
    signInAs(account) {
      if (!byId.has(account)) throw new Error(`the test IdP has no account ${account}`);
      signingInAs = account;
    },
    async deny(verificationUriComplete) {
      const jar = new CookieJar();
      const { fields, action } = await confirmPage(jar, verificationUriComplete);
      const { confirm: _confirm, ...rest } = fields;
      await browse(jar, action, { ...rest, abort: 'yes' });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What `POST /auth/token` answers once a sign-in is approved. */
export interface GatewaySignIn {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  user: { id: string; name: string; email?: string; groups?: string[] };
}

/** Signs `account` in to a gateway through its device flow, approving at the test IdP as a browser would. */
export async function signInThroughGateway(
  gatewayUrl: string,
  idp: TestIdp,
  account: string,
): Promise<GatewaySignIn> {
  const started = await fetch(`${gatewayUrl}/auth/device`, { method: 'POST' });
  const device = (await started.json()) as { device_code: string; verification_uri_complete: string };
  if (!started.ok) throw new Error(`POST /auth/device answered ${started.status}: ${JSON.stringify(device)}`);
  await idp.approve(device.verification_uri_complete, account);
  const answer = await fetch(`${gatewayUrl}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      device_code: device.device_code,
    }),
  });
  const body = (await answer.json()) as GatewaySignIn;
  if (!answer.ok) throw new Error(`POST /auth/token answered ${answer.status}: ${JSON.stringify(body)}`);
  return body;
}
