import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configuredCatalog } from '../catalog/configured-catalog.js';
import { defaultCatalog } from '../catalog/default-catalog.js';
import { buildRoutingTable } from '../gateway/routing.js';
import { loadConfigFile, parseYamlKeepingVariables } from './load.js';
import { configSchema, platformsSchema } from './schema.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/claude-gateway.yaml', import.meta.url));

/** The variables the example needs without a default. */
const ENV = {
  CLAUDE_GATEWAY_ADMIN_KEY: 'an-admin-key-of-32-characters-xx',
  METRICS_TOKEN: 'a-metrics-token-of-32-characters',
  ANTHROPIC_API_KEY: 'sk-ant-example',
  ANTHROPIC_AWS_WORKSPACE_ID: 'wrkspc_example',
  ANTHROPIC_AWS_API_KEY: 'aws-key-example',
  ANTHROPIC_VERTEX_PROJECT_ID: 'example-project',
  ANTHROPIC_FOUNDRY_RESOURCE: 'example-resource',
  ANTHROPIC_FOUNDRY_API_KEY: 'foundry-key-example',
};

describe('examples/claude-gateway.yaml', () => {
  it('is valid for the real schema', () => {
    const { config } = loadConfigFile(EXAMPLE, ENV);
    expect(config.server.adminKey).toBe(ENV.CLAUDE_GATEWAY_ADMIN_KEY);
    expect(config.store.url).toBe('sqlite://./.claude-gateway/gateway.db');
    expect(config.sessions.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.platforms.vertex?.region).toBe('global');
    // Its routes name targets of the platforms it configures, and its models: row is taken into the catalog.
    const catalog = configuredCatalog(defaultCatalog(), config);
    expect(() => buildRoutingTable(config, config.platforms, ENV, catalog)).not.toThrow();
  });

  it('shows every section and every platform', () => {
    const raw = parseYamlKeepingVariables(readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(raw).sort()).toEqual(Object.keys(configSchema.shape).sort());
    expect(Object.keys(raw['platforms'] as object).sort()).toEqual(Object.keys(platformsSchema.shape).sort());
    for (const section of ['server', 'store', 'discovery', 'retry', 'timeouts', 'sessions'] as const) {
      const shape = (configSchema.shape[section] as unknown as { def: { innerType: { shape: object } } }).def
        .innerType.shape;
      expect(Object.keys(raw[section] as object).sort(), section).toEqual(Object.keys(shape).sort());
    }
  });
});

describe("the README's configuration block", () => {
  it('is valid for the real schema (environment references in flow maps included)', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBeDefined();
    const folder = mkdtempSync(join(tmpdir(), 'cgw-readme-config-'));
    try {
      const file = join(folder, 'claude-gateway.yaml');
      writeFileSync(file, block ?? '');
      const { config } = loadConfigFile(file, { ...ENV, ANTHROPIC_FOUNDRY_API_KEY: 'k' });
      expect(config.sessions.redisUrl).toBe('redis://127.0.0.1:6379');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
