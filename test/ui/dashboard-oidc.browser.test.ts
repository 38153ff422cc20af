/**
 * The dashboard's sign-in through the identity provider, in a real browser
 * (Debian's Chromium driven by playwright-core): a gateway with no admin key
 * and `auth.oidc.adminGroups`, a real OIDC provider (oidc-provider) showing
 * its own login page. An administrator signs in there and lands on the
 * dashboard; a non-administrator gets the page saying which groups it needs;
 * after signing out, the old cookie replayed is refused. Screenshots go to
 * test-results/ui-screenshots/oidc-*.png.
 */

import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboardIfMissing, chromiumPath } from '../../src/test-support/dashboard.js';
import { startTestGateway, type TestGateway } from '../../src/test-support/gateway.js';
import { startTestIdp, type TestIdp } from '../../src/test-support/oidc-idp.js';

const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'ui-screenshots');
/** This test's screenshots start with it, beside the other dashboard test's. */
const PREFIX = 'oidc-';
const ACCOUNTS = [
  { sub: 'alice-sub', email: 'alice@example.com', name: 'Alice', groups: ['eng', 'platform-admins'] },
  { sub: 'bob-sub', email: 'bob@example.com', name: 'Bob', groups: ['eng'] },
];

let idp: TestIdp;
let setup: TestGateway;
let browser: Browser;
/**
 * The console errors and CSP violations the gateway's pages caused: there must
 * be none but the refusal's own 403 (the test IdP's pages are not the gateway's).
 */
const pageErrors: string[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() !== 'error' || !page.url().startsWith(setup.url)) return;
    if (/auth\/callback/.test(page.url()) && message.text().includes('status of 403')) return;
    pageErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return page;
}

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `${PREFIX}${name}.png`), fullPage: true });
}

/** From the dashboard's login page, through the IdP's own login page, as `account`. */
async function signInAt(page: Page, account: string, shots?: { login: string; idp: string }) {
  await page.goto(`${setup.url}/ui/`);
  const button = page.getByRole('link', { name: `Sign in with ${new URL(idp.issuer).host}` });
  await button.waitFor();
  if (shots) await screenshot(page, shots.login);
  await button.click();
  await page.getByLabel('Account').waitFor();
  expect(new URL(page.url()).origin).toBe(idp.issuer);
  await page.getByLabel('Account').fill(account);
  if (shots) await screenshot(page, shots.idp);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

beforeAll(async () => {
  buildDashboardIfMissing();
  const executablePath = chromiumPath();
  // Only this test's files: the other dashboard test keeps its own in the same folder.
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const file of readdirSync(SCREENSHOTS)) {
    if (file.startsWith(PREFIX)) rmSync(join(SCREENSHOTS, file), { force: true });
  }
  idp = await startTestIdp(ACCOUNTS, { dashboardSignIn: true, loginForm: true });
  setup = await startTestGateway({
    config: {
      auth: {
        oidc: {
          issuer: idp.issuer,
          clientId: idp.clientId,
          scopes: ['openid', 'email', 'profile', 'groups'],
          groupsClaim: 'groups',
          adminGroups: ['platform-admins'],
        },
      },
    },
  });
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await setup?.close();
  await idp?.close();
});

describe('the dashboard signed in through the identity provider, in Chromium', () => {
  it('lets an administrator in through the IdP login page, and after sign-out refuses the old cookie', async () => {
    const page = await newPage();
    await signInAt(page, 'alice-sub', { login: '01-sign-in-with-idp', idp: '02-idp-login-page' });
    await page.getByRole('navigation', { name: 'Dashboard' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/');
    await expect.poll(() => page.locator('.signed-in').textContent()).toContain('alice@example.com');
    await screenshot(page, '03-signed-in-dashboard');
    const cookies = await page.context().cookies(setup.url);
    const session = cookies.find((cookie) => cookie.name === 'cgw_ui');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookies.some((cookie) => cookie.name === 'cgw_ui_oidc')).toBe(false);
    const replayed = { headers: { cookie: `cgw_ui=${session?.value}` } };
    expect((await fetch(`${setup.url}/admin/keys`, replayed)).status).toBe(200);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: /^Sign in with / }).waitFor();
    await screenshot(page, '04-signed-out');
    const refused = await fetch(`${setup.url}/admin/keys`, replayed);
    expect(refused.status).toBe(401);
    // The browser given the old cookie back is signed out too.
    if (session) await page.context().addCookies([session]);
    await page.reload();
    await page.getByRole('link', { name: /^Sign in with / }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Dashboard' }).count()).toBe(0);
    await page.context().close();
  });

  it('refuses a user outside the admin groups with a page that says which groups and how to get in', async () => {
    const page = await newPage();
    await signInAt(page, 'bob-sub');
    const heading = page.getByRole('heading', { name: 'The dashboard is for administrators' });
    await heading.waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('bob@example.com');
    expect(text).toContain('platform-admins');
    expect(text).toContain('ask whoever runs your identity provider');
    await screenshot(page, '05-not-an-administrator');
    const cookies = await page.context().cookies(setup.url);
    expect(cookies.some((cookie) => cookie.name === 'cgw_ui')).toBe(false);
    await page.getByRole('link', { name: "Back to the dashboard's sign-in" }).click();
    await page.getByRole('link', { name: /^Sign in with / }).waitFor();
    await page.context().close();
  });

  it('caused no console errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
  });
});
