import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatedPlatforms } from '../config/emulated-platforms.js';
import { type RunningEmulator, startEmulator } from '../emulator/server.js';
import { runCli, temporaryFolder, writeConfig } from './__fixtures__/run-cli.js';

function rowOf(lines: string[], model: string): string {
  const row = lines.find((line) => line.startsWith(`${model} `));
  if (!row) throw new Error(`no row for ${model} in:\n${lines.join('\n')}`);
  return row;
}

describe('models (the catalog)', () => {
  it('prints every model with its ids, scopes, context, price and deprecation', async () => {
    const run = await runCli(['models']);
    expect(run.code).toBe(0);
    expect(run.out[0]).toMatch(
      /^MODEL\s+ANTHROPIC ID\s+BEDROCK BASE ID \(SCOPES\)\s+VERTEX ID\s+CONTEXT\s+\$\/MTOK IN \/ OUT\s+DEPRECATION\s+SOURCE$/,
    );
    const sonnet = rowOf(run.out, 'claude-sonnet-4-5');
    for (const part of [
      'claude-sonnet-4-5-20250929',
      'anthropic.claude-sonnet-4-5-20250929-v1:0 (global, us, eu, jp)',
      'claude-sonnet-4-5@20250929',
      '200K',
      '$3 / $15',
      '2026-11-30',
      'built-in',
    ]) {
      expect(sonnet).toContain(part);
    }
    expect(rowOf(run.out, 'claude-opus-5-5')).toMatch(
      /claude-opus-5-5\s+anthropic\.claude-opus-5-5 \(global, jp, us\)\s+claude-opus-5-5\s+1M\s+\$4 \/ \$20/,
    );
    // A price the data marks unconfirmed is shown as an estimate.
    expect(rowOf(run.out, 'claude-fable-5-2')).toContain('$8 / $40 (est.)');
    expect(rowOf(run.out, 'claude-3-haiku')).toContain('$0.25 / $1.25');
  });

  it('shows the Bedrock ids and the scopes callable from a region', async () => {
    const run = await runCli(['models', '--platform', 'bedrock', '--region', 'eu-west-1']);
    expect(run.code).toBe(0);
    expect(run.out[0]).toContain('CALLABLE FROM eu-west-1');
    expect(rowOf(run.out, 'claude-sonnet-4-5')).toMatch(
      /global, us, eu, jp \(profiles only\)\s+global, eu\s+global\.anthropic\.claude-sonnet-4-5-20250929-v1:0/,
    );
    expect(rowOf(run.out, 'claude-sonnet-4')).toMatch(
      /us, eu, apac \(profiles only\)\s+global, eu\s+global\.anthropic\.claude-sonnet-4/,
    );
    // Profile-only with no profile callable from eu-west-1: there is no id to use there.
    expect(rowOf(run.out, 'claude-opus-4-1')).toMatch(
      /\bus \(profiles only\)\s+none: base id, if hosted here\s+none from this region/,
    );
    expect(run.out.some((line) => line.startsWith('claude-3-haiku '))).toBe(false);
  });

  it("adds the configuration's models: rows, marked configured, and refuses a malformed one naming the key", async () => {
    const folder = temporaryFolder();
    try {
      const config = writeConfig(folder.path, {
        models: [
          { name: 'claude-nova-1', displayName: 'Claude Nova 1', prices: { input: 3, output: 15 } },
          { name: 'sonnet', prices: { input: 2, output: 10, cacheRead: 0.1 } },
        ],
      });
      const run = await runCli(['models', '--config', config]);
      expect(run.code).toBe(0);
      expect(rowOf(run.out, 'claude-nova-1')).toMatch(/\$3 \/ \$15\s+configured$/);
      expect(rowOf(run.out, 'claude-sonnet-5-5')).toMatch(/\$2 \/ \$10\s+configured$/);
      expect(rowOf(run.out, 'claude-opus-5-5')).toMatch(/built-in$/);
      const broken = writeConfig(
        folder.path,
        { models: [{ name: 'claude-nova-1', prices: { input: 'three' } }] },
        'broken.yaml',
      );
      const refused = await runCli(['models', '--config', broken]);
      expect(refused.code).not.toBe(0);
      expect(refused.error.join('\n')).toMatch(/models\.0\.prices/);
    } finally {
      folder.remove();
    }
  });

  it('gives the same view as JSON', async () => {
    const run = await runCli(['models', '--platform', 'bedrock', '--region', 'us-west-2', '--json']);
    const models = JSON.parse(run.text) as { name: string; callableScopes: string[]; idToUse: string }[];
    expect(models.find((model) => model.name === 'claude-opus-4-1')).toMatchObject({
      callableScopes: ['us'],
      idToUse: 'us.anthropic.claude-opus-4-1-20250805-v1:0',
    });
  });

  it('shows Vertex ids with the regional premium outside global', async () => {
    const run = await runCli(['models', '--platform', 'vertex', '--region', 'europe-west1']);
    expect(rowOf(run.out, 'claude-sonnet-4-5')).toMatch(
      /claude-sonnet-4-5@20250929\s+200K\s+\$3 \/ \$15 \+10%/,
    );
    expect(rowOf(run.out, 'claude-haiku-5-5')).toMatch(/claude-haiku-5-5\s+1M\s+\$0\.1 \/ \$0\.5 \+10%/);
    expect(rowOf(run.out, 'claude-sonnet-4')).not.toContain('+10%');
  });

  it('shows Foundry deployments only for the models Foundry offers', async () => {
    const run = await runCli(['models', '--platform', 'foundry']);
    expect(run.out.some((line) => line.startsWith('claude-haiku-4-5 '))).toBe(true);
    expect(run.out.some((line) => line.startsWith('claude-3-haiku '))).toBe(false);
  });

  it.each([
    [
      ['--platform', 'azure'],
      '--platform must be one of anthropic, bedrock, bedrock-messages, claude-platform-aws, vertex, foundry; got "azure"',
    ],
    [['--region', 'eu-west-1'], '--region goes with --platform bedrock, bedrock-messages, vertex'],
    [['--emulate'], '--emulate only makes sense with --live'],
    [['--wide'], "Unknown option '--wide'"],
  ])('refuses %j with one clear line', async (flags, expected) => {
    const run = await runCli(['models', ...flags]);
    expect(run.code).toBe(2);
    expect(run.error).toEqual([expect.stringContaining(`claude-gateway models: ${expected}`)]);
  });

  it('has --help', async () => {
    const run = await runCli(['models', '--help']);
    expect(run.code).toBe(0);
    expect(run.text).toContain('Usage: claude-gateway models');
  });
});

describe('models --live', () => {
  let emulator: RunningEmulator;
  let folder: { path: string; remove: () => void };

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, serveRetired: true });
    folder = temporaryFolder();
  });
  afterAll(async () => {
    await emulator.close();
    folder.remove();
  });

  it('asks every platform of an in-process emulator', async () => {
    const run = await runCli(['models', '--live', '--emulate']);
    expect(run.error).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.out[0]).toMatch(/^PLATFORM\s+ID\s+KIND\s+MODEL\s+STATUS\s+DEPRECATION$/);
    expect(run.text).toMatch(
      /bedrock\s+global\.anthropic\.claude-haiku-4-5-20251001-v1:0\s+profile \(global\)\s+claude-haiku-4-5/,
    );
    expect(run.text).toMatch(/anthropic\s+claude-haiku-4-5-20251001\s+claude-haiku-4-5/);
    expect(run.text).toMatch(/vertex\s+claude-haiku-4-5@20251001/);
    expect(run.out.at(-1)).toBe(
      'Sources: anthropic (platform), bedrock (platform), claude-platform-aws (catalog), vertex (catalog), foundry (catalog).',
    );
  });

  it('lists one platform of a configuration as JSON lines, in the region asked for', async () => {
    const platforms = emulatedPlatforms(emulator);
    const config = writeConfig(folder.path, { platforms: { bedrock: platforms.bedrock } }, 'bedrock.yaml');
    const run = await runCli([
      'models',
      '--live',
      '--platform',
      'bedrock',
      '--region',
      'ap-northeast-1',
      '--json',
      '--config',
      config,
    ]);
    expect(run.code).toBe(0);
    const items = run.out.map((line) => JSON.parse(line) as { id: string; region: string; model?: string });
    expect(items.every((item) => item.region === 'ap-northeast-1')).toBe(true);
    expect(items.map((item) => item.id)).toContain('jp.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(items.find((item) => item.id === 'jp.anthropic.claude-sonnet-4-5-20250929-v1:0')?.model).toBe(
      'claude-sonnet-4-5',
    );
    expect(items.find((item) => item.id === 'jp.anthropic.claude-opus-5-5')?.model).toBe('claude-opus-5-5');
  });

  it('reports a platform that refuses, and exits 1', async () => {
    const config = writeConfig(
      folder.path,
      { platforms: { anthropic: { apiKey: 'sk-ant-wrong', baseUrl: emulator.url } } },
      'wrong-key.yaml',
    );
    const run = await runCli(['models', '--live', '--config', config]);
    expect(run.code).toBe(1);
    expect(run.error).toHaveLength(1);
    expect(run.error[0]).toMatch(/^✗ anthropic: .*ANTHROPIC_API_KEY/);
  });

  it('refuses a platform that is not configured', async () => {
    const config = writeConfig(
      folder.path,
      { platforms: { anthropic: { apiKey: 'sk-ant-emulator', baseUrl: emulator.url } } },
      'anthropic.yaml',
    );
    const run = await runCli(['models', '--live', '--platform', 'vertex', '--config', config]);
    expect(run.code).toBe(1);
    expect(run.error).toEqual([expect.stringContaining('claude-gateway models: vertex is not configured')]);
  });
});
