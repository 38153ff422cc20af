/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core
 * (no browser download). A test gateway over the emulator gets requests from
 * the official Anthropic SDK — plain ones, a Claude-Code-like session with a
 * subagent and tool calls, a slow stream — then the test signs in through the
 * page and checks what a person would: the spend of those requests, the
 * session with its agents and tools, a request with its attempts and bodies,
 * the stream in flight, a key created and revoked, a group, a user, their
 * membership and a service token created, changed and deleted through the
 * forms (each change checked through the admin API). A screenshot of each page
 * goes to test-results/ui-screenshots/ (CI lists them).
 */

import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupRecord, UserRecord } from '../../src/store/identity-types.js';
import { buildDashboardIfMissing, chromiumPath } from '../../src/test-support/dashboard.js';
import { startTestGateway, type TestGateway } from '../../src/test-support/gateway.js';
import type { PublicToken } from '../../src/ui/app/types.js';

const ADMIN_KEY = 'admin-key-for-the-browser-test-0123456789';
const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'ui-screenshots');
const SESSION = 'session-browser-7f3a';

let setup: TestGateway;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** The console errors and CSP violations the pages caused: there must be none. */
const pageErrors: string[] = [];
/** Every change the pages asked of the admin API, with its CSRF header. */
const adminWrites: { request: string; csrf: string | undefined }[] = [];

function client(apiKey: string, headers: Record<string, string> = {}) {
  return new Anthropic({ baseURL: setup.url, apiKey, maxRetries: 0, defaultHeaders: headers });
}

/** One Messages call; `script` steers the emulator's answer (a tool call, a slow stream). */
function ask(apiKey: string, headers: Record<string, string>, text: string, script?: object) {
  return client(apiKey, headers).messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 200,
    messages: [{ role: 'user', content: script ? `${text} @emulator ${JSON.stringify(script)}` : text }],
  });
}

/** Follows a link of the dashboard's navigation. */
function navigate(name: string) {
  return page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name, exact: true }).click();
}

/** The admin API's own answer, with the admin key: each change made through the page is checked here too. */
async function admin<T = unknown>(path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${setup.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  return { status: response.status, body: (await response.json()) as T };
}

async function screenshot(name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  buildDashboardIfMissing();
  const executablePath = chromiumPath();
  // Only this test's own screenshots (NN-name.png): the OIDC browser test writes its own beside them.
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const file of readdirSync(SCREENSHOTS)) {
    if (/^\d\d-.*\.png$/.test(file)) rmSync(join(SCREENSHOTS, file), { force: true });
  }
  setup = await startTestGateway({
    config: { server: { adminKey: ADMIN_KEY } },
    keys: [{ name: 'team-a' }, { name: 'team-b', monthlyBudgetUsd: 50 }],
  });
  const [teamA, teamB] = setup.keys.map((key) => key.secret) as [string, string];
  // Plain requests from two keys.
  await ask(teamA, {}, 'Summarize the release notes');
  await ask(teamB, {}, 'Write a haiku about gateways');
  // A Claude-Code-like session: the main agent calls tools, starts a subagent, which starts another.
  const main = { 'x-claude-code-session-id': SESSION, 'user-agent': 'claude-cli/2.1.332 (external, cli)' };
  const explorer = { ...main, 'x-claude-code-agent-id': 'a60844a76c49fbcda' };
  const nested = {
    ...explorer,
    'x-claude-code-agent-id': 'a458c168608e8f82a',
    'x-claude-code-parent-agent-id': 'a60844a76c49fbcda',
  };
  await ask(teamA, main, 'Fix the failing test', {
    tool_use: { name: 'Bash', input: { command: 'npm test' } },
  });
  await ask(teamA, main, 'Read the file', { tool_use: { name: 'Read', input: { file_path: 'src/a.ts' } } });
  await ask(teamA, explorer, 'Find the callers', {
    tool_use: { name: 'Grep', input: { pattern: 'callers' } },
  });
  await ask(teamA, nested, 'Look deeper');
  await ask(teamA, main, 'Done?');
  await setup.store.flush();

  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
  page = await context.newPage();
  // Well within the test's own timeout, so a failure names the locator it waited for.
  page.setDefaultTimeout(15_000);
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/admin/') && request.method() !== 'GET') {
      adminWrites.push({
        request: `${request.method()} ${pathname}`,
        csrf: request.headers()['x-csrf-token'],
      });
    }
  });
});

afterAll(async () => {
  await browser?.close();
  await setup?.close();
});

describe('the dashboard in Chromium', () => {
  it('signs in with the admin key into an HttpOnly, SameSite=Strict cookie, keeping nothing in storage', async () => {
    await page.goto(`${setup.url}/ui/`);
    await page.getByLabel('Admin key').waitFor();
    await screenshot('01-sign-in');
    await page.getByLabel('Admin key').fill('not-the-admin-key-0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not the admin key' }).waitFor();
    await page.getByLabel('Admin key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Dashboard' }).waitFor();
    const cookies = await context.cookies();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ name: 'cgw_ui', httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookies[0]?.value).not.toContain(ADMIN_KEY);
    // Evaluated in the page (a string: the tests' types have no DOM).
    const stored = await page.evaluate<string>(
      'JSON.stringify({ ...localStorage, ...sessionStorage }) + document.cookie',
    );
    expect(stored).not.toContain(ADMIN_KEY);
    expect(stored).not.toContain('cgw_ui');
  });

  it('shows the spend of those requests, with charts over time by model and by key', async () => {
    const report = await setup.store.report(['model'], {});
    const total = report.totals.costUsd;
    expect(total).toBeGreaterThan(0);
    const shown = `$${total.toFixed(total < 1 ? 4 : 2)}`;
    await navigate('Spend');
    const spend = page.locator('.stat').filter({ hasText: 'Spend' });
    await expect.poll(() => spend.textContent()).toContain(shown);
    await expect
      .poll(() => page.locator('.stat').filter({ hasText: 'Requests' }).textContent())
      .toContain('7');
    expect(await page.locator('figure.chart canvas').count()).toBeGreaterThanOrEqual(2);
    await expect
      .poll(() => page.getByRole('table', { name: 'By model' }).textContent())
      .toContain('claude-sonnet-4-5');
    await screenshot('02-spend-by-model');
    await page.getByLabel('By', { exact: true }).selectOption('key');
    const byKey = page.getByRole('table', { name: 'By key' });
    await expect.poll(() => byKey.textContent()).toMatch(/team-a[\s\S]*team-b|team-b[\s\S]*team-a/);
    await screenshot('03-spend-by-key');
  });

  it('opens the session: its turns, subagents and the tools each called', async () => {
    await navigate('Sessions');
    const row = page.getByRole('row').filter({ hasText: SESSION.slice(0, 18) });
    await row.waitFor();
    // 5 turns, 3 of them stopped for tools, 2 subagents.
    expect((await row.locator('td').allTextContents()).slice(5, 8)).toEqual(['5', '3', '2']);
    await screenshot('04-sessions');
    await row.getByRole('link').click();
    await page.getByRole('heading', { name: 'Agents' }).waitFor();
    const agents = page.getByRole('table').first();
    await expect.poll(() => agents.textContent()).toContain('main agent');
    expect(await agents.textContent()).toContain('Bash ×1, Read ×1');
    expect(await agents.textContent()).toContain('subagent a60844a76c49fbcd');
    expect(await agents.textContent()).toContain('Grep ×1');
    expect(await page.locator('.stat').filter({ hasText: 'Tool calls' }).textContent()).toContain('3');
    await screenshot('05-session-detail');
  });

  it('opens a request from the session: where it went, its attempt, its bodies', async () => {
    await page.getByRole('row').filter({ hasText: 'Bash' }).getByRole('link').click();
    await page.getByRole('heading', { name: 'Attempts' }).waitFor();
    const facts = await page.locator('.facts').textContent();
    expect(facts).toContain(SESSION);
    expect(facts).toContain('tool_use');
    expect(await page.getByRole('table').textContent()).toContain('success');
    const bodies = await page.locator('.body pre').allTextContents();
    expect(bodies.join('\n')).toContain('Fix the failing test');
    expect(bodies.join('\n')).toContain('"name": "Bash"');
    await screenshot('06-request-detail');
  });

  it('lists and filters requests', async () => {
    await navigate('Requests');
    await page.getByRole('table', { name: 'Requests, newest first' }).waitFor();
    await expect.poll(() => page.getByRole('table').locator('tbody tr').count()).toBe(7);
    await page.getByLabel('Key', { exact: true }).fill('team-b');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.getByRole('table').locator('tbody tr').count()).toBe(1);
    expect(page.url()).toContain('key=team-b');
    await screenshot('07-requests-filtered');
  });

  it('shows a stream while it is in flight', async () => {
    await navigate('Live');
    await page.getByText('Nothing in flight.').waitFor();
    const [teamA] = setup.keys.map((key) => key.secret) as [string];
    const slow = client(teamA, { 'x-claude-code-session-id': 'session-live' }).messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 2000,
      messages: [
        {
          role: 'user',
          content: `Stream slowly @emulator ${JSON.stringify({ text: 'y'.repeat(600), chunk_chars: 6, delay_ms: 30 })}`,
        },
      ],
    });
    const row = page.getByRole('row').filter({ hasText: 'streaming' });
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain('team-a');
    await screenshot('08-live');
    await slow.finalMessage();
    await page.getByText('Nothing in flight.').waitFor({ timeout: 10_000 });
  });

  it('creates a key whose secret works, changes its budget, rotates its secret, and revokes it', async () => {
    await navigate('Keys');
    await page.getByRole('button', { name: 'New key' }).click();
    await page.getByLabel('Name').fill('made-in-the-browser');
    await page.getByLabel('Monthly budget (USD)').fill('25');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.locator('.secret-value').textContent()) ?? '';
    expect(secret).toMatch(/^cgw_/);
    await screenshot('09-key-created');
    // The new key works at once.
    expect((await ask(secret, {}, 'Hello from the new key')).type).toBe('message');
    await page.getByRole('button', { name: 'Done' }).click();

    const row = page.getByRole('row').filter({ hasText: 'made-in-the-browser' });
    await row.getByRole('button', { name: 'Edit made-in-the-browser' }).click();
    await page.getByLabel('Monthly budget (USD)').fill('75');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row.textContent()).toContain('$75.00/month');
    expect(
      (await setup.store.listKeys()).find((key) => key.name === 'made-in-the-browser')?.monthlyBudgetUsd,
    ).toBe(75);

    // A new secret; the old one keeps working through the grace period.
    await row.getByRole('button', { name: 'Rotate made-in-the-browser' }).click();
    await row.getByRole('button', { name: 'Yes, rotate' }).click();
    const rotated = (await page.locator('.secret-value').textContent()) ?? '';
    expect(rotated).toMatch(/^cgw_/);
    expect(rotated).not.toBe(secret);
    expect(await page.locator('.secret').textContent()).toContain('The old secret works until');
    expect((await ask(rotated, {}, 'Hello with the rotated secret')).type).toBe('message');
    await page.getByRole('button', { name: 'Done' }).click();

    await row.getByRole('button', { name: 'Revoke made-in-the-browser' }).click();
    await screenshot('10-key-revoke-confirm');
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'made-in-the-browser' }).count()).toBe(0);
    await page.getByLabel('Show revoked keys').check();
    await expect
      .poll(() => page.getByRole('row').filter({ hasText: 'made-in-the-browser' }).textContent())
      .toContain('revoked');
    await screenshot('11-keys');
    // Refused once revoked, by either secret.
    await expect(ask(rotated, {}, 'Hello again')).rejects.toMatchObject({ status: 401 });
    await expect(ask(secret, {}, 'Hello again')).rejects.toMatchObject({ status: 401 });
  });

  it('lists the groups and users there are, a user with their keys, policies as readable fields', async () => {
    const at = Date.parse('2026-12-05T12:00:00Z');
    await setup.store.identity.createGroup(
      {
        name: 'eng',
        memberPolicy: { allowedModels: ['sonnet'], dailyBudgetUsd: 10 },
        monthlyBudgetUsd: 2000,
      },
      at,
    );
    const alice = await setup.store.identity.createUser(
      { name: 'alice', email: 'alice@example.com', groups: ['eng'], policy: { requestsPerMinute: 60 } },
      at,
    );
    await setup.store.createKey(
      { name: 'alice-laptop', userId: alice.id, monthlyBudgetUsd: 30 },
      { now: at },
    );
    await navigate('Groups');
    const groups = page.getByRole('table', { name: 'Groups' });
    await expect.poll(() => groups.textContent()).toContain('sonnet · $10.00/day');
    expect(await groups.textContent()).toContain('$2000.00/month');
    await navigate('Users');
    const users = page.getByRole('table', { name: 'Users' });
    await expect.poll(() => users.textContent()).toContain('alice@example.com');
    expect(await users.textContent()).toContain('60 req/min');
    await screenshot('12-users');
    await users.getByRole('link', { name: 'alice' }).click();
    const keys = page.getByRole('table', { name: 'Keys of alice' });
    await expect.poll(() => keys.textContent()).toContain('alice-laptop');
    expect(await keys.textContent()).toContain('$30.00/month');
    // The group's rules come with the groups' list, read beside the user.
    await expect
      .poll(() => page.getByRole('table', { name: 'Groups of alice' }).textContent())
      .toContain('sonnet · $10.00/day');
    await screenshot('13-user-with-key');

    // The Keys page names each key's user, and takes a key back from them.
    await navigate('Keys');
    const row = page.getByRole('row').filter({ hasText: 'alice-laptop' });
    await row.getByRole('link', { name: 'alice', exact: true }).waitFor();
    await row.getByRole('button', { name: 'Edit alice-laptop' }).click();
    expect(await page.getByLabel('User', { exact: true }).inputValue()).toBe('alice@example.com');
    await page.getByLabel('User', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row.getByRole('link', { name: 'alice', exact: true }).count()).toBe(0);
    const stored = (await admin<{ keys: { name: string; userId?: string }[] }>('/admin/keys')).body.keys;
    expect(stored.find((key) => key.name === 'alice-laptop')?.userId).toBeUndefined();
  });

  it('creates a group with budgets, refusing an obvious mistake before sending it', async () => {
    await navigate('Groups');
    await page.getByRole('button', { name: 'New group' }).click();
    const form = page.getByRole('form', { name: 'New group' });
    await form.getByLabel('Name', { exact: true }).fill('research');
    await form.getByLabel('Description', { exact: true }).fill('The research team');
    await form.getByLabel('Whole group: monthly budget (USD)', { exact: true }).fill('500');
    await form.getByLabel('Daily budget per member (USD)', { exact: true }).fill('-5');
    await form.getByRole('button', { name: 'Create group' }).click();
    await form.getByRole('alert').filter({ hasText: 'Daily budget must be a number of 0 or more' }).waitFor();
    expect((await admin('/admin/groups/research')).status).toBe(404);
    await screenshot('14-group-form-mistake');
    await form.getByLabel('Daily budget per member (USD)', { exact: true }).fill('10');
    await form.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('heading', { name: 'research', exact: true }).waitFor();
    expect(page.url()).toContain('/ui/groups/research');
    const { group } = (await admin<{ group: GroupRecord }>('/admin/groups/research')).body;
    expect(group).toMatchObject({
      description: 'The research team',
      monthlyBudgetUsd: 500,
      memberPolicy: { dailyBudgetUsd: 10 },
    });
    expect(await page.locator('.facts').first().textContent()).toContain('$500.00');
    await screenshot('15-group-detail');
  });

  it('creates a user, opens them, and adds them to the group', async () => {
    await navigate('Users');
    await page.getByRole('button', { name: 'New user' }).click();
    const form = page.getByRole('form', { name: 'New user' });
    await form.getByLabel('Name', { exact: true }).fill('carol');
    await form.getByLabel('E-mail', { exact: true }).fill('carol-at-example');
    await form.getByRole('button', { name: 'Create user' }).click();
    await form.getByRole('alert').filter({ hasText: 'is not an e-mail address' }).waitFor();
    await form.getByLabel('E-mail', { exact: true }).fill('carol@example.com');
    await form.getByLabel('Monthly budget (USD)', { exact: true }).fill('40');
    await form.getByLabel('Allowed models', { exact: true }).fill('sonnet, haiku');
    await screenshot('16-user-form');
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('heading', { name: /^carol/ }).waitFor();
    const created = (await admin<{ user: UserRecord }>('/admin/users/carol@example.com')).body.user;
    expect(created).toMatchObject({
      name: 'carol',
      groups: [],
      policy: { monthlyBudgetUsd: 40, allowedModels: ['sonnet', 'haiku'] },
    });
    expect(page.url()).toContain(`/ui/users/${created.id}`);
    const rules = await page.locator('.facts').nth(1).textContent();
    expect(rules).toContain('sonnet, haiku');
    expect(rules).toContain('$40.00');

    await page.getByRole('button', { name: 'Add to group' }).click();
    await page.getByRole('alert').filter({ hasText: 'Choose the group to add them to.' }).waitFor();
    await page.getByLabel('Add to group', { exact: true }).selectOption('research');
    await page.getByRole('button', { name: 'Add to group' }).click();
    await expect
      .poll(() => page.getByRole('table', { name: 'Groups of carol' }).textContent())
      .toContain('research');
    expect((await admin<{ user: UserRecord }>('/admin/users/carol')).body.user.groups).toEqual(['research']);
    await screenshot('17-user-detail');
  });

  it("edits the group's budget in its form; the group lists the member", async () => {
    await page
      .getByRole('table', { name: 'Groups of carol' })
      .getByRole('link', { name: 'research' })
      .click();
    await expect
      .poll(() => page.getByRole('table', { name: 'Members of research' }).textContent())
      .toContain('carol');
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const form = page.getByRole('form', { name: 'Edit research' });
    expect(await form.getByLabel('Whole group: monthly budget (USD)', { exact: true }).inputValue()).toBe(
      '500',
    );
    await form.getByLabel('Daily budget per member (USD)', { exact: true }).fill('20');
    await form.getByLabel('Whole group: monthly budget (USD)', { exact: true }).fill('');
    await screenshot('18-group-edit');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    const { group } = (await admin<{ group: GroupRecord }>('/admin/groups/research')).body;
    expect(group.memberPolicy.dailyBudgetUsd).toBe(20);
    // Emptied: the budget is removed (the form sent null).
    expect(group.monthlyBudgetUsd).toBeUndefined();
    // The page reads the group again after saving.
    await expect.poll(() => page.locator('.facts').nth(1).textContent()).toContain('$20.00');
  });

  it('creates a service token whose secret works, cannot delete the group while it is active, revokes it', async () => {
    await page.getByRole('button', { name: 'New service token' }).click();
    const form = page.getByRole('form', { name: 'New service token' });
    await form.getByLabel('Token name', { exact: true }).fill('deploy');
    await form.getByLabel('Expires in or on', { exact: true }).fill('');
    await form.getByRole('button', { name: 'Create token' }).click();
    await form.getByRole('alert').filter({ hasText: 'A service token always expires' }).waitFor();
    await form.getByLabel('Expires in or on', { exact: true }).fill('90d');
    await form.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.locator('.secret-value').textContent()) ?? '';
    expect(secret).toMatch(/^cgwt_/);
    expect(await page.locator('.secret').textContent()).toContain('Service token deploy');
    await screenshot('19-token-created');
    // The token works at once, charged to the group.
    expect((await ask(secret, {}, 'Hello from the deploy token')).type).toBe('message');
    const tokens = (await admin<{ tokens: PublicToken[] }>('/admin/tokens')).body.tokens;
    expect(tokens.find((token) => token.name === 'deploy')).toMatchObject({ group: 'research' });
    await page.getByRole('button', { name: 'Done' }).click();
    const row = page
      .getByRole('table', { name: 'Service tokens of research' })
      .getByRole('row', { name: /deploy/ });
    await row.waitFor();

    // The API refuses to delete a group with active tokens; the page says why.
    await page.getByRole('button', { name: 'Delete group' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('alert').filter({ hasText: 'has active service tokens (deploy)' }).waitFor();
    expect((await admin('/admin/groups/research')).status).toBe(200);
    await screenshot('20-group-delete-refused');
    await page.getByRole('button', { name: 'No', exact: true }).click();

    await row.getByRole('button', { name: 'Revoke deploy' }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    await expect.poll(() => row.count()).toBe(0);
    const all = (await admin<{ tokens: PublicToken[] }>('/admin/tokens?all=true')).body.tokens;
    expect(all.find((token) => token.name === 'deploy')?.revokedAt).toEqual(expect.any(Number));
    await expect(ask(secret, {}, 'Hello again')).rejects.toMatchObject({ status: 401 });
  });

  it('disables and enables the user, edits their rules, takes them out of the group, and deletes them', async () => {
    await page
      .getByRole('table', { name: 'Members of research' })
      .getByRole('link', { name: 'carol' })
      .click();
    await page.getByRole('heading', { name: /^carol/ }).waitFor();
    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('heading', { name: 'carol disabled' }).waitFor();
    expect((await admin<{ user: UserRecord }>('/admin/users/carol')).body.user.disabledAt).toEqual(
      expect.any(Number),
    );
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByRole('heading', { name: 'carol active' }).waitFor();
    expect((await admin<{ user: UserRecord }>('/admin/users/carol')).body.user.disabledAt).toBeUndefined();

    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const form = page.getByRole('form', { name: 'Edit carol' });
    await form.getByLabel('Requests per minute', { exact: true }).fill('3.5');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('alert').filter({ hasText: 'Requests per minute must be a whole number' }).waitFor();
    await form.getByLabel('Requests per minute', { exact: true }).fill('30');
    await form.getByLabel('Allowed models', { exact: true }).fill('');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    expect((await admin<{ user: UserRecord }>('/admin/users/carol')).body.user.policy).toEqual({
      monthlyBudgetUsd: 40,
      requestsPerMinute: 30,
    });

    await page.getByRole('button', { name: 'Remove from research' }).click();
    await page.getByRole('button', { name: 'Yes, remove' }).click();
    await page.getByText('Not in any group.').waitFor();
    expect((await admin<{ user: UserRecord }>('/admin/users/carol')).body.user.groups).toEqual([]);

    await page.getByRole('button', { name: 'Delete user' }).click();
    await screenshot('21-user-delete-confirm');
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    expect((await admin('/admin/users/carol')).status).toBe(404);
    await screenshot('22-users');
  });

  it('deletes the group once its tokens are revoked', async () => {
    await navigate('Groups');
    await page.getByRole('link', { name: 'research' }).click();
    await page.getByRole('button', { name: 'Delete group' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('heading', { name: 'Groups', exact: true }).waitFor();
    expect((await admin('/admin/groups/research')).status).toBe(404);
    await screenshot('23-groups');
  });

  it('says so when the gateway disables rather than deletes a user that a key names', async () => {
    const alice = await setup.store.identity.findUser('alice');
    await setup.store.createKey(
      { name: 'alice-desktop', userId: alice?.id },
      { now: Date.parse('2026-12-05T12:00:00Z') },
    );
    await navigate('Users');
    await page.getByRole('link', { name: 'alice', exact: true }).click();
    await page.getByRole('button', { name: 'Delete user' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('status').filter({ hasText: 'alice was disabled rather than deleted' }).waitFor();
    await page.getByRole('heading', { name: 'alice disabled' }).waitFor();
    const { user } = (await admin<{ user: UserRecord }>('/admin/users/alice')).body;
    expect(user.disabledAt).toEqual(expect.any(Number));
    await screenshot('24-user-disabled-not-deleted');
  });

  it("lists every group's service tokens on their own page; creates one for a group chosen there and revokes it", async () => {
    await navigate('Service tokens');
    await page.getByRole('button', { name: 'New service token' }).click();
    const form = page.getByRole('form', { name: 'New service token' });
    await form.getByLabel('Token name', { exact: true }).fill('ci-nightly');
    await form.getByRole('button', { name: 'Create token' }).click();
    await form.getByRole('alert').filter({ hasText: 'Choose the group' }).waitFor();
    await form.getByLabel('Group', { exact: true }).selectOption('eng');
    await form.getByRole('button', { name: 'Create token' }).click();
    expect((await page.locator('.secret-value').textContent()) ?? '').toMatch(/^cgwt_/);
    await page.getByRole('button', { name: 'Done' }).click();
    const tokens = page.getByRole('table', { name: 'Service tokens' });
    const row = tokens.getByRole('row', { name: /ci-nightly/ });
    await expect.poll(() => row.textContent()).toContain('eng');
    const stored = (await admin<{ tokens: PublicToken[] }>('/admin/tokens')).body.tokens;
    expect(stored.find((token) => token.name === 'ci-nightly')).toMatchObject({ group: 'eng' });
    await row.getByRole('button', { name: 'Revoke ci-nightly' }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    await expect.poll(() => row.count()).toBe(0);
    await page.getByLabel('Show revoked tokens').check();
    await expect.poll(() => tokens.textContent()).toContain('ci-nightly');
    expect(await tokens.textContent()).toContain('deploy');
    const all = (await admin<{ tokens: PublicToken[] }>('/admin/tokens?all=true')).body.tokens;
    expect(all.find((token) => token.name === 'ci-nightly')?.revokedAt).toEqual(expect.any(Number));
    await screenshot('25-service-tokens');
  });

  it('signs out, and the cookie no longer opens the admin API', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin key').waitFor();
    expect(await context.cookies()).toHaveLength(0);
    const answer = await page.evaluate<number>("fetch('/admin/keys').then((response) => response.status)");
    expect(answer).toBe(401);
  });

  it('sent the CSRF header with every change it asked of the admin API', () => {
    // Keys, groups, users, memberships and tokens: created, changed, deleted.
    expect(adminWrites.length).toBeGreaterThan(15);
    expect(adminWrites.filter((write) => !write.csrf)).toEqual([]);
    expect(new Set(adminWrites.map((write) => write.request.split(' ')[0]))).toEqual(
      new Set(['POST', 'PATCH', 'DELETE']),
    );
  });

  it('ran without a script error or a Content-Security-Policy violation', () => {
    // The failed sign-in (401) and the refused group deletion (409) are answers the pages expect.
    const unexpected = pageErrors.filter((text) => !/status of (401|404|409)/.test(text));
    expect(unexpected).toEqual([]);
  });
});
