import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, TEST_NOW, type TestGateway } from '../test-support/gateway.js';
import { startTestIdp, type TestIdp } from '../test-support/oidc-idp.js';
import type { CommandContext } from './command.js';
import { main } from './main.js';

let now = Date.parse(TEST_NOW);
const clock = () => now;
let idp: TestIdp;
let setup: TestGateway;
let home: string;

beforeAll(async () => {
  idp = await startTestIdp([
    { sub: 'carol-sub', email: 'carol@example.com', name: 'Carol', groups: ['eng'] },
  ]);
  setup = await startTestGateway({
    clock,
    config: {
      auth: {
        oidc: {
          issuer: idp.issuer,
          clientId: idp.clientId,
          scopes: ['openid', 'email', 'groups'],
          groupsClaim: 'groups',
          adminGroups: [],
          tokenTtl: '10m',
        },
      },
    },
  });
  home = mkdtempSync(join(tmpdir(), 'claude-gateway-login-'));
});
afterAll(async () => {
  await setup?.close();
  await idp?.close();
  rmSync(home, { recursive: true, force: true });
});

/** Runs the CLI with HOME in the temp folder; `onLine` sees each line as it is printed. */
async function cli(argv: string[], onLine: (line: string) => void = () => {}) {
  const out: string[] = [];
  const errors: string[] = [];
  const context: CommandContext = {
    out: (line) => {
      out.push(line);
      onLine(line);
    },
    error: (line) => errors.push(line),
    env: { HOME: home },
    clock,
    sleep: () => new Promise((resolve) => setTimeout(resolve, 20)),
    untilStopped: () => new Promise(() => {}),
  };
  const code = await main(argv, context);
  return { code, out, errors };
}

describe('claude-gateway login and token', () => {
  it('signs in by the device flow, keeps the tokens private, and configures Claude Code by merging', async () => {
    const settingsPath = join(home, '.claude', 'settings.json');
    mkdirSync(join(home, '.claude'), { recursive: true });
    writeFileSync(
      settingsPath,
      JSON.stringify({ model: 'opus', env: { CLAUDE_CODE_USE_VERTEX: '1', KEEP: 'me' } }),
    );
    let approval: Promise<void> | undefined;
    const run = await cli(
      ['login', '--gateway', `${setup.url}/`, '--configure-claude-code', 'bedrock'],
      (line) => {
        const url = /^To sign in, open (\S+)/.exec(line)?.[1];
        if (url) approval = idp.approve(url, 'carol-sub');
      },
    );
    await approval;
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.out.join('\n')).toContain(`Signed in to ${setup.url} as carol@example.com (groups: eng).`);
    const credentialsFile = join(home, '.config', 'claude-gateway', 'credentials.json');
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
    const credentials = JSON.parse(readFileSync(credentialsFile, 'utf8'));
    expect(credentials.current).toBe(setup.url);
    const settings = JSON.parse(readFileSync(settingsPath, 'utf8'));
    expect(settings.model).toBe('opus');
    expect(settings.apiKeyHelper).toMatch(/main\.js' token --gateway '/);
    expect(settings.env).toEqual({
      KEEP: 'me',
      CLAUDE_CODE_USE_BEDROCK: '1',
      ANTHROPIC_BEDROCK_BASE_URL: setup.url,
      CLAUDE_CODE_SKIP_BEDROCK_AUTH: '1',
      AWS_REGION: 'us-east-1',
      CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '300000',
    });

    const token = await cli(['token']);
    expect(token.code).toBe(0);
    expect(token.out).toEqual([credentials.gateways[setup.url].accessToken]);
    // Past half its lifetime the token is renewed first.
    now += 6 * 60_000;
    const renewed = await cli(['token', '--gateway', setup.url]);
    expect(renewed.code).toBe(0);
    expect(renewed.out[0]).not.toBe(token.out[0]);
    const answer = await fetch(`${setup.url}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${renewed.out[0]}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'claude-haiku-5-5',
        max_tokens: 16,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(answer.status).toBe(200);
  });

  it('says to sign in when there is no sign-in, or it cannot be renewed', async () => {
    const missing = await cli(['token', '--gateway', 'http://127.0.0.1:9']);
    expect(missing.code).toBe(1);
    expect(missing.errors[0]).toBe(
      'claude-gateway token: not signed in to http://127.0.0.1:9: run claude-gateway login --gateway http://127.0.0.1:9',
    );
    // Ended by an administrator: every session of the user is revoked.
    await setup.store.identity.updateUser('carol@example.com', { disabled: true }, now);
    setup.gateway.context.callers.invalidate();
    now += 6 * 60_000;
    const refused = await cli(['token']);
    expect(refused.code).toBe(1);
    expect(refused.errors[0]).toContain('Sign in again: claude-gateway login --gateway');
  });
});
