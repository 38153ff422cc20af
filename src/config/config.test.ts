/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${VAR} in configuration files */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  effectivePlatforms,
  loadConfigFile,
  parseConfig,
  substituteEnvironment,
} from './load.js';

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems, error.message];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('fills in defaults', () => {
    const config = parseConfig({});
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 4000 });
    expect(config.store).toEqual({
      url: 'sqlite://./.claude-gateway/gateway.db',
      retentionDays: 30,
      bodies: 'full',
      compressBodies: false,
      journal: { enabled: true, fsync: false },
    });
    expect(config.routes).toEqual([]);
  });

  it('accepts the design sketch', () => {
    const config = parseConfig({
      server: { host: '127.0.0.1', port: 4000 },
      store: { url: 'postgres://gateway@db/gateway', retentionDays: 45, bodies: 'metadata' },
      platforms: {
        bedrock: { region: 'us-east-1' },
        vertex: { projectId: 'my-project', region: 'global' },
        anthropic: { apiKey: 'sk-ant-x' },
      },
      routes: [
        {
          models: ['claude-sonnet-4-5', 'sonnet'],
          targets: ['bedrock/global', 'vertex/global', 'bedrock/us', 'anthropic'],
        },
      ],
    });
    expect(config.routes[0]?.targets).toHaveLength(4);
  });

  it('names the bad key and the expected form', () => {
    const problems = problemsOf(() => parseConfig({ server: { port: 'eighty' } }));
    expect(problems[0]).toMatch(/^server\.port: .*number/i);
    const target = problemsOf(() =>
      parseConfig({ routes: [{ models: ['sonnet'], targets: ['bedrok/us'] }] }),
    );
    expect(target[0]).toContain('routes.0.targets.0');
    expect(target[0]).toContain('bedrock/<scope>');
  });

  it('takes budget alerts with an HTTP(S) webhook and thresholds in (0, 1], naming a bad one', () => {
    expect(parseConfig({}).alerts).toEqual({ thresholds: [0.8, 1] });
    expect(
      parseConfig({
        alerts: { webhookUrl: 'https://hooks.example.com/x', thresholds: [0.5], headers: { a: 'b' } },
      }).alerts,
    ).toEqual({ webhookUrl: 'https://hooks.example.com/x', thresholds: [0.5], headers: { a: 'b' } });
    expect(problemsOf(() => parseConfig({ alerts: { webhookUrl: 'ftp://hooks.example.com/x' } }))[0]).toBe(
      'alerts.webhookUrl: must be an http:// or https:// URL',
    );
    expect(problemsOf(() => parseConfig({ alerts: { thresholds: [0.8, 1.5] } }))[0]).toMatch(
      /^alerts\.thresholds\.1: /,
    );
    expect(problemsOf(() => parseConfig({ alerts: { thresholds: [0.8, 0.8] } }))[0]).toBe(
      'alerts.thresholds: a threshold is given twice',
    );
    expect(
      problemsOf(() => parseConfig({ alerts: { webhookUrl: 'https://h.example.com', treshold: 1 } }))[0],
    ).toBe('alerts.treshold: unknown key; did you mean "thresholds"?');
  });

  it('suggests the intended spelling of an unknown key', () => {
    const problems = problemsOf(() => parseConfig({ platforms: { bedrock: { regoin: 'us-east-1' } } }));
    expect(problems[0]).toBe('platforms.bedrock.regoin: unknown key; did you mean "region"?');
    const top = problemsOf(() => parseConfig({ rouets: [] }));
    expect(top[0]).toBe('rouets: unknown key; did you mean "routes"?');
  });

  it('requires AWS keys in pairs and weights per target', () => {
    expect(problemsOf(() => parseConfig({ platforms: { bedrock: { accessKeyId: 'AKID' } } }))[0]).toContain(
      'accessKeyId and secretAccessKey go together',
    );
    expect(
      problemsOf(() =>
        parseConfig({ routes: [{ models: ['x'], targets: ['anthropic', 'foundry'], weights: [1] }] }),
      )[0],
    ).toContain('one number per target');
  });
});

describe('environment substitution', () => {
  it('replaces ${VAR} and ${VAR:-default}, and names a missing variable', () => {
    const env = { KEY: 'secret' };
    expect(substituteEnvironment({ a: '${KEY}', b: ['x-${MISSING:-fallback}'] }, env)).toEqual({
      a: 'secret',
      b: ['x-fallback'],
    });
    expect(() => substituteEnvironment({ platforms: { anthropic: { apiKey: '${NOPE}' } } }, env)).toThrow(
      'platforms.anthropic.apiKey: environment variable NOPE is not set',
    );
  });
});

describe('loadConfigFile', () => {
  it('reads YAML, and reports bad YAML and a missing file clearly', () => {
    const folder = mkdtempSync(join(tmpdir(), 'cgw-config-'));
    const good = join(folder, 'good.yaml');
    writeFileSync(good, 'server:\n  port: 4100\nplatforms:\n  anthropic:\n    apiKey: ${TEST_KEY}\n');
    expect(loadConfigFile(good, { TEST_KEY: 'k' }).config.platforms.anthropic?.apiKey).toBe('k');
    const bad = join(folder, 'bad.yaml');
    writeFileSync(bad, 'server: [port: 1\n');
    expect(() => loadConfigFile(bad, {})).toThrow(/bad\.yaml is not valid YAML/);
    expect(() => loadConfigFile(join(folder, 'missing.yaml'), {})).toThrow(
      /cannot read the configuration file .*ENOENT/,
    );
  });
});

describe('${VAR} in flow maps and lists', () => {
  it('substitutes inside `{ … }` and `[ … ]`, defaults with colons and commas included', () => {
    const folder = mkdtempSync(join(tmpdir(), 'cgw-config-'));
    const file = join(folder, 'flow.yaml');
    writeFileSync(
      file,
      [
        'sessions: { redisUrl: ${REDIS_URL:-redis://127.0.0.1:6379} }',
        'store: { url: ${STORE_URL}, journal: { dir: ${JOURNAL_DIR:-./j} } }',
        'defaultTargets: [${FIRST:-anthropic}, vertex/global]',
        'platforms: { anthropic: { apiKey: "k-${KEY}" } }',
        '',
      ].join('\n'),
    );
    const env = { STORE_URL: 'postgres://gateway@db:5432/gw?schema=a', KEY: 'v,{x}: y' };
    const { config } = loadConfigFile(file, env);
    expect(config.sessions.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.store.url).toBe('postgres://gateway@db:5432/gw?schema=a');
    expect(config.store.journal.dir).toBe('./j');
    expect(config.defaultTargets).toEqual(['anthropic', 'vertex/global']);
    // A value is substituted into the parsed string: its braces, colons and commas stay text.
    expect(config.platforms.anthropic?.apiKey).toBe('k-v,{x}: y');
    expect(loadConfigFile(file, { ...env, REDIS_URL: 'redis://cache:6380/2' }).config.sessions.redisUrl).toBe(
      'redis://cache:6380/2',
    );
    expect(() => loadConfigFile(file, {})).toThrow('store.url: environment variable STORE_URL is not set');
  });
});

describe('effectivePlatforms', () => {
  it('adds platforms the usual environment variables point at, and says where each came from', () => {
    const { platforms, sources } = effectivePlatforms(
      { vertex: { projectId: 'p' } },
      { ANTHROPIC_API_KEY: 'sk', AWS_PROFILE: 'dev', ANTHROPIC_FOUNDRY_RESOURCE: 'res' },
    );
    expect(Object.keys(platforms).sort()).toEqual(['anthropic', 'bedrock', 'foundry', 'vertex']);
    expect(sources).toEqual({
      vertex: 'config',
      anthropic: 'environment',
      bedrock: 'environment',
      foundry: 'environment',
    });
    expect(Object.keys(effectivePlatforms({}, {}).platforms)).toEqual([]);
  });
});

describe('the store the gateway opens', () => {
  it('writes rows without bodies on the main thread and full bodies from a worker, unless the URL says', async () => {
    const { storeUrlFor } = await import('../gateway/server.js');
    const url = (store: Record<string, unknown>) => storeUrlFor(parseConfig({ store }));
    expect(url({ url: 'sqlite://./a.db', bodies: 'metadata' })).toBe('sqlite://./a.db?writer=inline');
    expect(url({ url: 'sqlite://./a.db', bodies: 'full' })).toBe('sqlite://./a.db');
    expect(url({ url: 'sqlite://./a.db?writer=worker', bodies: 'none' })).toBe(
      'sqlite://./a.db?writer=worker',
    );
    expect(url({ url: 'postgres://db/gateway', bodies: 'none' })).toBe('postgres://db/gateway');
  });
});
