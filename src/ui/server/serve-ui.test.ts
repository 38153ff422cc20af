/**
 * The dashboard as the gateway serves it at /ui: its files with their content
 * types, caching and Content-Security-Policy, and its sign-in — the admin key
 * exchanged for an HttpOnly session cookie that the admin API accepts for
 * reads, and for writes only with the session's CSRF token from the same origin.
 * (The browser test in test/ui drives the pages themselves.)
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDashboardIfMissing } from '../../test-support/dashboard.js';
import { startTestGateway, useTestGateway } from '../../test-support/gateway.js';
import { type LooseJson, readJson } from '../../test-support/json.js';
import { CONTENT_SECURITY_POLICY } from './serve-ui.js';
import { UI_PUBLIC_DIR } from './static-assets.js';

const ADMIN_KEY = 'admin-key-for-the-dashboard-0123456789';
const gateway = useTestGateway({ config: { server: { adminKey: ADMIN_KEY } } });

beforeAll(() => buildDashboardIfMissing());

async function login(key = ADMIN_KEY): Promise<{ response: Response; cookie?: string; json: LooseJson }> {
  const response = await fetch(`${gateway().url}/ui/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ adminKey: key }),
  });
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  return { response, ...(cookie ? { cookie } : {}), json: await response.json() };
}

describe('the dashboard files', () => {
  it('redirects /ui to /ui/ and answers the page with a strict CSP, no caching and no sniffing', async () => {
    const redirect = await fetch(`${gateway().url}/ui`, { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/ui/');
    const response = await fetch(`${gateway().url}/ui/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const html = await response.text();
    // Nothing from elsewhere: every script and stylesheet is the gateway's own.
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script>|<style>| style=/);
  });

  it('serves the hashed script and stylesheet with their types, cached for a year', async () => {
    const html = await (await fetch(`${gateway().url}/ui/`)).text();
    const script = /src="(\/ui\/assets\/app-[A-Z0-9]+\.js)"/.exec(html)?.[1];
    const style = /href="(\/ui\/assets\/app-[A-Z0-9]+\.css)"/.exec(html)?.[1];
    expect(script && style).toBeTruthy();
    for (const [path, type] of [
      [script, 'text/javascript; charset=utf-8'],
      [style, 'text/css; charset=utf-8'],
    ]) {
      const response = await fetch(`${gateway().url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(type);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      // Bundled at build time: no module is fetched from anywhere else at run time.
      expect(await response.text()).not.toMatch(/from\s*["']https?:|import\(\s*["']https?:/);
    }
    const icon = await fetch(`${gateway().url}/ui/icon.svg`);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('answers every page path with the page, and an unknown asset or a traversal with 404', async () => {
    for (const path of ['/ui/sessions/abc', '/ui/requests?since=1h', '/ui/keys']) {
      const response = await fetch(`${gateway().url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    }
    for (const path of ['/ui/assets/missing-ABCDEFGH.js', '/ui/assets/..%2f..%2fpackage.json']) {
      expect((await fetch(`${gateway().url}${path}`)).status).toBe(404);
    }
    const post = await fetch(`${gateway().url}/ui/`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('are built into the package folder the server reads', () => {
    expect(existsSync(join(UI_PUBLIC_DIR, 'index.html'))).toBe(true);
  });
});

describe('signing in', () => {
  it('refuses a wrong admin key without setting a cookie', async () => {
    const { response, json } = await login('not-the-admin-key-0123456789');
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(json.error.message).toContain('not the admin key');
  });

  it('refuses a sign-in that is not JSON (a form posted from another site)', async () => {
    const response = await fetch(`${gateway().url}/ui/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `adminKey=${ADMIN_KEY}`,
    });
    expect(response.status).toBe(415);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('exchanges the admin key for an HttpOnly, SameSite=Strict cookie and a CSRF token, never echoing the key', async () => {
    const { response, cookie, json } = await login();
    expect(response.status).toBe(200);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^cgw_ui=[\w-]+\.[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    expect(setCookie).not.toContain(ADMIN_KEY);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(json).toMatchObject({
      signedIn: true,
      subject: 'admin',
      via: 'admin-key',
      methods: [{ kind: 'admin-key' }],
    });
    expect(json.csrfToken).toEqual(expect.any(String));
    expect(JSON.stringify(json)).not.toContain(ADMIN_KEY);
    const state = await fetch(`${gateway().url}/ui/api/session`, { headers: { cookie: cookie ?? '' } });
    expect(await state.json()).toMatchObject({ signedIn: true, csrfToken: json.csrfToken });
    const anonymous = await (await fetch(`${gateway().url}/ui/api/session`)).json();
    expect(anonymous).toEqual({ signedIn: false, methods: [{ kind: 'admin-key' }] });
  });

  it('lets the cookie read the admin API, and write only with the CSRF token from the same origin', async () => {
    const { cookie, json } = await login();
    const headers = { cookie: cookie ?? '', 'content-type': 'application/json' };
    expect((await fetch(`${gateway().url}/admin/keys`, { headers })).status).toBe(200);
    const create = (extra: Record<string, string>, name: string) =>
      fetch(`${gateway().url}/admin/keys`, {
        method: 'POST',
        headers: { ...headers, ...extra },
        body: JSON.stringify({ name }),
      });
    const withoutToken = await create({}, 'no-token');
    expect(withoutToken.status).toBe(403);
    expect((await readJson(withoutToken)).error.message).toContain('x-csrf-token');
    expect((await create({ 'x-csrf-token': 'forged' }, 'forged-token')).status).toBe(403);
    expect(
      (await create({ 'x-csrf-token': json.csrfToken, origin: 'https://evil.example' }, 'other-origin'))
        .status,
    ).toBe(403);
    expect(
      (await create({ 'x-csrf-token': json.csrfToken, 'sec-fetch-site': 'cross-site' }, 'cross-site')).status,
    ).toBe(403);
    // A proxy in front that keeps its own host in X-Forwarded-Host.
    const proxied = await create(
      {
        'x-csrf-token': json.csrfToken,
        origin: 'https://gateway.example.com',
        'x-forwarded-host': 'gateway.example.com',
      },
      'through-a-proxy',
    );
    expect(proxied.status).toBe(201);
    const sameOrigin = await create(
      { 'x-csrf-token': json.csrfToken, origin: gateway().url, 'sec-fetch-site': 'same-origin' },
      'from-the-dashboard',
    );
    expect(sameOrigin.status).toBe(201);
    const names = (await gateway().store.listKeys()).map((key) => key.name);
    expect(names).toContain('from-the-dashboard');
    expect(names).not.toContain('no-token');
  });

  it('refuses a changed cookie, and a wrong bearer key even with a good cookie', async () => {
    const { cookie } = await login();
    const tampered = `${cookie?.slice(0, -2)}xx`;
    const answer = await fetch(`${gateway().url}/admin/keys`, { headers: { cookie: tampered } });
    expect(answer.status).toBe(401);
    expect((await readJson(answer)).error.message).toContain('sign in to the dashboard at /ui');
    const wrongBearer = await fetch(`${gateway().url}/admin/keys`, {
      headers: { cookie: cookie ?? '', authorization: 'Bearer wrong-admin-key-0123456789' },
    });
    expect(wrongBearer.status).toBe(401);
  });

  it('signs out by clearing the cookie (with the CSRF token)', async () => {
    const { cookie, json } = await login();
    const refused = await fetch(`${gateway().url}/ui/api/logout`, {
      method: 'POST',
      headers: { cookie: cookie ?? '' },
    });
    expect(refused.status).toBe(403);
    const response = await fetch(`${gateway().url}/ui/api/logout`, {
      method: 'POST',
      headers: { cookie: cookie ?? '', 'x-csrf-token': json.csrfToken },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toContain(
      'cgw_ui=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0',
    );
  });
});

describe('without server.adminKey', () => {
  it('says the dashboard is off and how to turn it on', async () => {
    const setup = await startTestGateway();
    try {
      const response = await fetch(`${setup.url}/ui/`);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('set server.adminKey');
      const login = await fetch(`${setup.url}/ui/api/login`, { method: 'POST', body: '{}' });
      expect(login.status).toBe(404);
    } finally {
      await setup.close();
    }
  });
});
