import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import type { ApiKeyRecord, RequestRecord } from '../store/types.js';
import { runCli, temporaryFolder, writeConfig } from './__fixtures__/run-cli.js';

let folder: { path: string; remove: () => void };
let config: string;
let ci: ApiKeyRecord;

function request(overrides: Partial<RequestRecord>): RequestRecord {
  return {
    id: `req_${Math.random().toString(16).slice(2)}`,
    time: Date.now(),
    dialect: 'anthropic',
    operation: 'messages',
    requestedModel: 'sonnet',
    model: 'claude-sonnet-4-5',
    platform: 'bedrock',
    region: 'us-east-1',
    scope: 'global',
    upstreamModelId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    stream: true,
    status: 200,
    inputTokens: 100,
    outputTokens: 20,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0.0006,
    durationMs: 840,
    attemptCount: 1,
    changes: [],
    clientDisconnected: false,
    ...overrides,
  };
}

beforeAll(async () => {
  folder = temporaryFolder();
  const url = `sqlite://${join(folder.path, 'gateway.db')}`;
  config = writeConfig(folder.path, { store: { url } });
  const store = await openStore(`${url}?writer=inline`);
  ci = (await store.createKey({ name: 'ci' })).record;
  const deploy = (await store.createKey({ name: 'deploy' })).record;
  const now = Date.now();
  await store.recordRequest(
    request({ id: 'req_ci_1', time: now - 60_000, keyId: ci.id, keyName: 'ci', sessionId: 'session-a' }),
  );
  await store.recordRequest(
    request({
      id: 'req_ci_2',
      time: now - 30_000,
      keyId: ci.id,
      keyName: 'ci',
      sessionId: 'session-b',
      dialect: 'vertex',
      platform: 'vertex',
      region: 'global',
      scope: undefined,
      status: 429,
      errorType: 'rate_limit_error',
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
    }),
  );
  await store.recordRequest(
    request({
      id: 'req_deploy_old',
      time: now - 2 * 86_400_000,
      keyId: deploy.id,
      keyName: 'deploy',
      dialect: 'bedrock',
      requestedModel: 'claude-future-9',
      model: undefined,
      platform: 'anthropic',
      region: undefined,
      scope: undefined,
      costUsd: undefined,
      inputTokens: 7,
      outputTokens: 3,
    }),
  );
  await store.close();
});
afterAll(() => folder.remove());

describe('logs', () => {
  it('prints the newest requests as a table, and a summary line', async () => {
    const run = await runCli(['logs', '--config', config]);
    expect(run.error).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.out[0]).toMatch(
      /^TIME \(UTC\)\s+KEY\s+USER\s+GROUP\s+DIALECT\s+MODEL\s+TARGET\s+STATUS\s+TOKENS IN \/ OUT\s+COST\s+MS$/,
    );
    expect(run.out).toHaveLength(5);
    expect(run.out[1]).toMatch(
      /ci\s+-\s+-\s+vertex\s+claude-sonnet-4-5\s+vertex\/global\s+429 rate_limit_error\s+0 \/ 0/,
    );
    expect(run.out[2]).toMatch(
      /ci\s+-\s+-\s+anthropic\s+claude-sonnet-4-5\s+bedrock\/global@us-east-1\s+200\s+100 \/ 20\s+\$0\.000600\s+840$/,
    );
    expect(run.out[3]).toMatch(/deploy\s+-\s+-\s+bedrock\s+claude-future-9\s+anthropic\s+200\s+7 \/ 3\s+-/);
    expect(run.out[4]).toBe(
      '3 requests, 1 error, 107 input / 23 output tokens, $0.000600, 1 without a known price',
    );
  });

  it('filters by --since, --key (name, id or prefix) and --session', async () => {
    const recent = await runCli(['logs', '--since', '1h', '--config', config]);
    expect(recent.out.at(-1)).toMatch(/^2 requests, 1 error, /);
    const byName = await runCli(['logs', '--key', 'ci', '--config', config]);
    expect(byName.out.at(-1)).toMatch(/^2 requests, /);
    const byPrefix = await runCli(['logs', '--key', ci.prefix, '--since', '7d', '--config', config]);
    expect(byPrefix.out.at(-1)).toMatch(/^2 requests, /);
    const bySession = await runCli(['logs', '--session', 'session-a', '--config', config]);
    expect(bySession.out).toHaveLength(3);
    expect(bySession.out.at(-1)).toBe('1 request, 0 errors, 100 input / 20 output tokens, $0.000600');
    const none = await runCli(['logs', '--session', 'nobody', '--config', config]);
    expect(none.out).toEqual([
      'No requests match.',
      '0 requests, 0 errors, 0 input / 0 output tokens, $0.000000',
    ]);
  });

  it('says how many it shows under --limit', async () => {
    const run = await runCli(['logs', '--limit', '1', '--config', config]);
    expect(run.out).toHaveLength(3);
    expect(run.out.at(-1)).toMatch(/^3 requests \(showing the newest 1\), /);
  });

  it('prints JSON lines with --json, the summary on stderr', async () => {
    const run = await runCli(['logs', '--json', '--config', config]);
    const records = run.out.map((line) => JSON.parse(line) as RequestRecord);
    expect(records.map((record) => record.id)).toEqual(['req_ci_2', 'req_ci_1', 'req_deploy_old']);
    expect(records[0]).toMatchObject({ status: 429, errorType: 'rate_limit_error', keyName: 'ci' });
    expect(run.error).toEqual([
      '3 requests, 1 error, 107 input / 23 output tokens, $0.000600, 1 without a known price',
    ]);
  });

  it.each([
    [['--since', '1x'], 2, '--since must be like 30m, 1h, 7d or an ISO date; got "1x"'],
    [['--since', '12'], 2, '--since must be like 30m, 1h, 7d or an ISO date; got "12"'],
    [['--limit', '0'], 2, '--limit must be a whole number from 1 to 100000; got "0"'],
    [['--key', 'nobody'], 1, 'no gateway key matches "nobody"'],
    [['--tail'], 2, "Unknown option '--tail'"],
  ])('refuses %j with one clear line', async (flags, code, expected) => {
    const run = await runCli(['logs', ...flags, '--config', config]);
    expect(run.code).toBe(code);
    expect(run.error).toHaveLength(1);
    expect(run.error[0]).toContain(`claude-gateway logs: ${expected}`);
  });

  it('says there is no log rather than creating an empty one', async () => {
    const empty = temporaryFolder();
    try {
      const file = writeConfig(empty.path, {
        store: { url: `sqlite://${join(empty.path, 'none', 'g.db')}` },
      });
      const run = await runCli(['logs', '--config', file]);
      expect(run.code).toBe(1);
      expect(run.error[0]).toContain('there is no activity log at');
    } finally {
      empty.remove();
    }
  });

  it('names a bad configuration key in one error', async () => {
    const file = writeConfig(folder.path, { store: { ulr: 'x' } }, 'bad.yaml');
    const run = await runCli(['logs', '--config', file]);
    expect(run.code).toBe(1);
    expect(run.error.join('\n')).toContain('store.ulr: unknown key; did you mean "url"?');
  });
});

describe('logs through a pipe (the built command, as a shell runs it)', () => {
  it('prints every line before it exits, past the 64 KB a pipe takes at once', async () => {
    const cli = join(import.meta.dirname, '../../dist/cli/main.js');
    expect(existsSync(cli), `${cli} is missing: \`npm test\` builds it first (npm run build)`).toBe(true);
    const many = temporaryFolder();
    try {
      const url = `sqlite://${join(many.path, 'gateway.db')}`;
      const manyConfig = writeConfig(many.path, { store: { url } });
      const store = await openStore(`${url}?writer=inline`);
      const now = Date.now();
      for (let index = 0; index < 800; index++) {
        await store.recordRequest(request({ id: `req_pipe_${index}`, time: now - index * 1000 }));
      }
      await store.close();
      // A reader that waits before it reads, as a pager does: the command must not exit until the pipe took everything.
      const child = spawn(
        process.execPath,
        [cli, 'logs', '--json', '--limit', '1000', '--config', manyConfig],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      child.stdout.pause();
      await Promise.race([once(child, 'exit'), sleep(1500)]);
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.stdout.resume();
      await once(child, 'close');
      const stdout = Buffer.concat(chunks).toString('utf8');
      expect(stdout.length).toBeGreaterThan(128 * 1024);
      const lines = stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(800);
      expect(JSON.parse(lines.at(-1) ?? '')).toMatchObject({ id: 'req_pipe_799' });
    } finally {
      many.remove();
    }
  });
});
