/**
 * The dashboard's sign-in through the identity provider (authorization code
 * flow with PKCE, state and nonce) against a real OIDC provider, on a gateway
 * with no admin key: only members of auth.oidc.adminGroups get a session, the
 * session lives in the store so signing out or an administrator ends it, and
 * failed callbacks count towards the per-address limit.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../test-support/gateway.js';
import { type LooseJson, readJson } from '../../test-support/json.js';
import { startTestIdp, type TestIdp } from '../../test-support/oidc-idp.js';
import { FAILED_SIGN_IN_LIMIT } from './failed-sign-ins.js';

const ACCOUNTS = [
  { sub: 'alice-sub', email: 'alice@example.com', name: 'Alice', groups: ['eng', 'platform-admins'] },
  { sub: 'bob-sub', email: 'bob@example.com', name: 'Bob', groups: ['eng'] },
  { sub: 'carol-sub', email: 'carol@example.com', name: 'Carol', groups: ['platform-admins'] },
];

let idp: TestIdp;
let setup: TestGateway;

function oidcConfig(issuer: string, clientId: string) {
  return {
    issuer,
    clientId,
    scopes: ['openid', 'email', 'profile', 'groups'],
    groupsClaim: 'groups',
    adminGroups: ['platform-admins'],
  };
}

beforeAll(async () => {
  idp = await startTestIdp(ACCOUNTS, { dashboardSignIn: true });
  setup = await startTestGateway({ config: { auth: { oidc: oidcConfig(idp.issuer, idp.clientId) } } });
});
afterAll(async () => {
  await setup?.close();
  await idp?.close();
});

/** Cookies as a browser keeps them for 127.0.0.1 (the IdP's and the gateway's: cookies ignore ports). */
class Jar {
  readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || /max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line))
        this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * A browser's trip: the dashboard's sign-in link, the IdP (which finishes the
 * login as `account`), and back to the callback, whose answer is returned.
 * `tamper` may change the callback URL first.
 */
async function signIn(
  account: string,
  options: { jar?: Jar; tamper?: (callback: URL) => void; gateway?: TestGateway } = {},
): Promise<{ response: Response; jar: Jar }> {
  const jar = options.jar ?? new Jar();
  const gateway = options.gateway ?? setup;
  idp.signInAs(account);
  let url = `${gateway.url}/ui/auth/oidc`;
  for (let hop = 0; hop < 20; hop += 1) {
    const isCallback = url.startsWith(`${gateway.url}/ui/auth/callback`);
    let target = url;
    if (isCallback && options.tamper) {
      const changed = new URL(url);
      options.tamper(changed);
      target = changed.href;
    }
    const response = await fetch(target, { headers: { cookie: jar.header() }, redirect: 'manual' });
    jar.take(response);
    if (isCallback) return { response, jar };
    const location = response.headers.get('location');
    if (!location)
      throw new Error(`${target} answered ${response.status} without a redirect: ${await response.text()}`);
    await response.arrayBuffer();
    url = new URL(location, target).href;
  }
  throw new Error('the sign-in redirected too often');
}

async function call(
  jar: Jar,
  method: string,
  path: string,
  options: { csrf?: string; body?: unknown } = {},
): Promise<{ status: number; json: LooseJson }> {
  const response = await fetch(`${setup.url}${path}`, {
    method,
    headers: {
      cookie: jar.header(),
      ...(options.csrf ? { 'x-csrf-token': options.csrf } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  return { status: response.status, json: await readJson(response) };
}

describe('signing in to the dashboard through the identity provider', () => {
  it('offers the IdP on the login page, named by its host', async () => {
    const state = await (await fetch(`${setup.url}/ui/api/session`)).json();
    expect(state).toEqual({
      signedIn: false,
      methods: [
        {
          kind: 'redirect',
          id: 'oidc',
          label: `Sign in with ${new URL(idp.issuer).host}`,
          url: '/ui/auth/oidc',
        },
      ],
    });
  });

  it('sends the browser to the IdP with PKCE (S256), state and nonce, and the callback on this origin', async () => {
    const response = await fetch(`${setup.url}/ui/auth/oidc`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.origin).toBe(idp.issuer);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: idp.clientId,
      redirect_uri: `${setup.url}/ui/auth/callback`,
      code_challenge_method: 'S256',
    });
    for (const name of ['state', 'nonce', 'code_challenge'])
      expect(location.searchParams.get(name)).toBeTruthy();
    const cookie = response.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/^cgw_ui_oidc=[^;]+; Path=\/ui\/auth\/; HttpOnly; SameSite=Lax; Max-Age=600$/);
  });

  it('gives an administrator a session that the dashboard and the admin API accept', async () => {
    const { response, jar } = await signIn('alice-sub');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/ui/');
    expect(jar.cookies.has('cgw_ui')).toBe(true);
    expect(jar.cookies.has('cgw_ui_oidc')).toBe(false);
    const state = await call(jar, 'GET', '/ui/api/session');
    expect(state.json).toMatchObject({ signedIn: true, via: 'oidc', subject: 'alice@example.com' });
    expect((await call(jar, 'GET', '/admin/keys')).status).toBe(200);
    const sessions = await call(jar, 'GET', '/admin/ui-sessions');
    expect(sessions.json.sessions).toContainEqual(
      expect.objectContaining({ via: 'oidc', subject: 'alice@example.com', active: true }),
    );
    const users = await call(jar, 'GET', '/admin/users/alice@example.com');
    expect(users.json.user).toMatchObject({ source: 'oidc', groups: ['eng', 'platform-admins'] });
  });

  it('refuses a non-administrator with a page naming the groups it needs, and records the user', async () => {
    const { response, jar } = await signIn('bob-sub');
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toContain('text/html');
    const page = await response.text();
    expect(page).toContain('The dashboard is for administrators');
    expect(page).toContain('bob@example.com');
    expect(page).toContain('<code>platform-admins</code>');
    expect(jar.cookies.has('cgw_ui')).toBe(false);
    const admin = (await signIn('alice-sub')).jar;
    const bob = await call(admin, 'GET', '/admin/users/bob@example.com');
    expect(bob.json.user).toMatchObject({ source: 'oidc', groups: ['eng'] });
  });

  it('refuses a callback whose state was changed, or that this browser did not start', async () => {
    const changed = await signIn('alice-sub', {
      tamper: (callback) => callback.searchParams.set('state', 'not-the-state'),
    });
    expect(changed.response.status).toBe(401);
    expect(await changed.response.text()).toContain('The sign-in was not accepted');
    expect(changed.jar.cookies.has('cgw_ui')).toBe(false);
    const cancelled = await signIn('alice-sub', {
      tamper: (callback) => {
        const state = callback.searchParams.get('state') ?? '';
        callback.search = new URLSearchParams({
          error: 'access_denied',
          error_description: 'the user cancelled',
          state,
          iss: idp.issuer,
        }).toString();
      },
    });
    expect(cancelled.response.status).toBe(401);
    expect(await cancelled.response.text()).toContain(
      'refused the sign-in (access_denied: the user cancelled)',
    );
    const stranger = await fetch(`${setup.url}/ui/auth/callback?code=abc&state=def`);
    expect(stranger.status).toBe(400);
    expect(await stranger.text()).toContain('was not started in this browser');
  });

  it('ends the session on sign-out: the old cookie, replayed, is refused', async () => {
    const { jar } = await signIn('alice-sub');
    const copy = jar.header();
    const state = await call(jar, 'GET', '/ui/api/session');
    const out = await call(jar, 'POST', '/ui/api/logout', { csrf: String(state.json.csrfToken) });
    expect(out.status).toBe(200);
    const replay = await fetch(`${setup.url}/admin/keys`, { headers: { cookie: copy } });
    expect(replay.status).toBe(401);
    const again = await readJson(await fetch(`${setup.url}/ui/api/session`, { headers: { cookie: copy } }));
    expect(again.signedIn).toBe(false);
  });

  it("lets an administrator end a session, and ends a user's sessions when the user is disabled", async () => {
    const alice = (await signIn('alice-sub')).jar;
    const carol = (await signIn('carol-sub')).jar;
    const csrf = String((await call(alice, 'GET', '/ui/api/session')).json.csrfToken);
    const listed = await call(alice, 'GET', '/admin/ui-sessions');
    const carols = (listed.json.sessions as LooseJson[]).find(
      (session) => session.subject === 'carol@example.com',
    );
    expect(carols).toBeDefined();
    const ended = await call(alice, 'DELETE', `/admin/ui-sessions/${carols?.id}`, { csrf });
    expect(ended.status).toBe(200);
    expect(ended.json.session).toMatchObject({ active: false });
    expect((await call(carol, 'GET', '/admin/keys')).status).toBe(401);
    expect((await call(alice, 'DELETE', '/admin/ui-sessions/uis_0000000000000000', { csrf })).status).toBe(
      404,
    );

    const carolAgain = (await signIn('carol-sub')).jar;
    expect((await call(carolAgain, 'GET', '/admin/keys')).status).toBe(200);
    const disabled = await call(alice, 'PATCH', '/admin/users/carol@example.com', {
      csrf,
      body: { disabled: true },
    });
    expect(disabled.status).toBe(200);
    expect((await call(carolAgain, 'GET', '/admin/keys')).status).toBe(401);
    const refused = await signIn('carol-sub');
    expect(refused.response.status).toBe(403);
    expect(await refused.response.text()).toContain('is disabled on this gateway');
  });
});

describe('configured for a gateway behind a proxy', () => {
  it('sends the registered redirect URI whatever the Host, and labels the button as told', async () => {
    const proxied = await startTestGateway({
      config: {
        auth: {
          oidc: {
            ...oidcConfig(idp.issuer, idp.clientId),
            dashboardRedirectUri: 'https://gateway.example.com/ui/auth/callback',
            dashboardLabel: 'Example SSO',
          },
        },
      },
    });
    try {
      const state = await readJson(await fetch(`${proxied.url}/ui/api/session`));
      expect(state.methods).toEqual([
        { kind: 'redirect', id: 'oidc', label: 'Sign in with Example SSO', url: '/ui/auth/oidc' },
      ]);
      const response = await fetch(`${proxied.url}/ui/auth/oidc`, {
        redirect: 'manual',
        headers: { 'x-forwarded-proto': 'https' },
      });
      const location = new URL(response.headers.get('location') ?? '');
      expect(location.searchParams.get('redirect_uri')).toBe('https://gateway.example.com/ui/auth/callback');
      expect(response.headers.getSetCookie()[0]).toContain('; Secure');
    } finally {
      await proxied.close();
    }
  });
});

describe('failed sign-ins', () => {
  it(`answers 429 with Retry-After after ${FAILED_SIGN_IN_LIMIT} failed callbacks from one address, for the admin key too`, async () => {
    const limited = await startTestGateway({
      config: {
        server: { adminKey: 'admin-key-0123456789abcdef' },
        auth: { oidc: oidcConfig(idp.issuer, idp.clientId) },
      },
    });
    try {
      for (let failure = 0; failure < FAILED_SIGN_IN_LIMIT; failure += 1) {
        const refused = await fetch(`${limited.url}/ui/auth/callback?code=abc&state=def`);
        expect(refused.status).toBe(400);
      }
      const blocked = await fetch(`${limited.url}/ui/auth/callback?code=abc&state=def`);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await blocked.text()).toContain('Too many failed sign-ins');
      const form = await fetch(`${limited.url}/ui/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ adminKey: 'admin-key-0123456789abcdef' }),
      });
      expect(form.status).toBe(429);
      expect(form.headers.get('retry-after')).toBeTruthy();
      expect((await readJson(form)).error.message).toMatch(
        /^Too many failed sign-ins from your address: try again in \d+ minutes?\.$/,
      );
      const admin = (await signIn('alice-sub', { gateway: limited })).response;
      expect(admin.status).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
