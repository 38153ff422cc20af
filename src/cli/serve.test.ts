/**
 * `claude-gateway serve` at start: the configuration checked first, each
 * configured platform's credentials looked up, and a start refused, saying
 * what to fix, when one cannot be found (never a fallback to the emulator).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClock } from '../test-support/gateway.js';
import { runCli, temporaryFolder, writeConfig } from './__fixtures__/run-cli.js';
import type { CommandContext } from './command.js';
import { main } from './main.js';

let folder: { path: string; remove: () => void };
const store = () => ({ url: `sqlite://${join(folder.path, 'gateway.db')}` });

beforeAll(() => {
  folder = temporaryFolder();
});
afterAll(() => folder.remove());

describe('serve at start', () => {
  it('refuses to start when a configured platform has no credentials, saying what to fix', async () => {
    const config = writeConfig(folder.path, {
      store: store(),
      platforms: {
        bedrock: { region: 'us-east-1', profile: 'no-such-profile-for-tests' },
        anthropic: { apiKey: 'sk-ant-test' },
      },
    });
    const run = await runCli(['serve', '--config', config, '--port', '0']);
    expect(run.code).toBe(1);
    expect(run.out).toContainEqual(expect.stringMatching(/^ {2}ok {3}anthropic: API key/));
    expect(run.out).toContainEqual(
      expect.stringMatching(/^ {2}FAIL bedrock: .*profile "no-such-profile-for-tests".*aws sso login/),
    );
    expect(run.error.join('\n')).toMatch(
      /cannot start: no usable credentials for bedrock .*never falls back to the emulator/,
    );
    expect(run.text).not.toMatch(/listening/);
  });

  it('reports a mistake in the routes before looking up any credentials', async () => {
    const config = writeConfig(folder.path, {
      store: store(),
      platforms: { bedrock: { region: 'us-east-1', profile: 'no-such-profile-for-tests' } },
      routes: [{ models: ['sonnet'], targets: ['bedrock/mars'] }],
    });
    const run = await runCli(['serve', '--config', config, '--port', '0']);
    expect(run.code).toBe(1);
    expect(run.out).toEqual([]);
    expect(run.error).toEqual([
      'claude-gateway serve: routes[0].targets[0]: target "bedrock/mars": "mars" is neither a Bedrock scope (global, us, eu, jp, apac, au) nor an AWS region',
    ]);
  });

  it('starts with credentials found, noting route targets on platforms it does not set up', async () => {
    const config = writeConfig(folder.path, {
      store: store(),
      platforms: { anthropic: { apiKey: 'sk-ant-test', baseUrl: 'http://127.0.0.1:9' } },
      routes: [
        { models: ['sonnet'], targets: ['vertex/global', 'anthropic'] },
        { models: ['claude-sonnet-4-5'], targets: ['anthropic'] },
      ],
    });
    const out: string[] = [];
    const error: string[] = [];
    const { promise: stopRequested, resolve: stop } = Promise.withResolvers<NodeJS.Signals>();
    const { promise: started, resolve: listening } = Promise.withResolvers<void>();
    const context: CommandContext = {
      out: (line) => {
        out.push(line);
        if (line.startsWith('claude-gateway listening on')) listening();
      },
      error: (line) => error.push(line),
      env: {},
      untilStopped: () => stopRequested,
      clock: testClock,
    };
    const exited = main(['serve', '--config', config, '--port', '0'], context);
    await Promise.race([started, exited]);
    expect(out).toContain('  note routes[0] (sonnet): vertex/global is skipped, vertex is not configured');
    expect(out).toContain(
      '  note routes[1] (claude-sonnet-4-5): anthropic serves Claude Sonnet 4.5, retired there on 2026-11-30; move to claude-sonnet-5-5',
    );
    expect(out).toContainEqual(
      expect.stringMatching(/^claude-gateway listening on http:\/\/127\.0\.0\.1:\d+/),
    );
    stop('SIGTERM');
    expect(await exited).toBe(0);
    expect(error).toEqual([]);
  });
});

describe('serve --emulate at start', () => {
  it("names the platforms as users know them (their descriptors' display names), not by configuration section", async () => {
    const config = writeConfig(folder.path, { store: store() }, 'emulate.yaml');
    const out: string[] = [];
    const { promise: stopRequested, resolve: stop } = Promise.withResolvers<NodeJS.Signals>();
    const { promise: started, resolve: listening } = Promise.withResolvers<void>();
    const context: CommandContext = {
      out: (line) => {
        out.push(line);
        if (line.startsWith('  platforms:')) listening();
      },
      error: () => {},
      env: {},
      untilStopped: () => stopRequested,
      clock: testClock,
    };
    const exited = main(['serve', '--emulate', '--config', config, '--port', '0'], context);
    await Promise.race([started, exited]);
    stop('SIGTERM');
    expect(await exited).toBe(0);
    const line = out.find((item) => item.startsWith('  platforms:'));
    expect(line).toMatch(
      /^ {2}platforms: the Anthropic API, Amazon Bedrock, Claude Platform on AWS, Vertex AI, Microsoft Foundry; activity log: /,
    );
    expect(out.join('\n')).not.toMatch(/claudePlatformAws/);
  });
});
