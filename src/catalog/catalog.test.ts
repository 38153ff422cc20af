import { describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';
import { configuredCatalog } from './configured-catalog.js';
import { configuredModelSchema } from './configured-models.js';
import data from './data/models.json' with { type: 'json' };
import { builtInModels, defaultCatalog } from './default-catalog.js';
import { deprecationNotice, isRetired } from './deprecation.js';
import { parseModelDataFile } from './model-data.js';
import { costOf, costOfUsage } from './pricing.js';
import { CatalogError, findModel, modelIdForTarget, resolveModel } from './resolve.js';
import type { ModelEntry } from './types.js';

const DAY = (day: string) => Date.parse(`${day}T12:00:00Z`);

function model(name: string): ModelEntry {
  const found = findModel(name);
  if (!found) throw new Error(`${name} is not in the catalog`);
  return found;
}

describe('the data file', () => {
  const models = builtInModels();

  it('validates, and every row cites a source', () => {
    expect(models.length).toBeGreaterThanOrEqual(20);
    for (const entry of models) expect(entry.sources.length, entry.name).toBeGreaterThan(0);
  });

  it('marks only facts that exist in the row as unconfirmed', () => {
    const rows = data.models as Record<string, unknown>[];
    for (const row of rows) {
      for (const path of (row['unconfirmed'] as string[]) ?? []) {
        const top = path.split('.')[0] ?? '';
        expect(top in row, `${String(row['name'])}: ${path}`).toBe(true);
      }
    }
  });

  it('points each family alias at the newest released model of that family', () => {
    for (const family of ['opus', 'sonnet', 'haiku', 'fable']) {
      const newest = models
        .filter((entry) => entry.family === family && entry.released)
        .sort((a, b) => (b.released ?? '').localeCompare(a.released ?? ''))[0];
      expect(resolveModel(family).model?.name, family).toBe(newest?.name);
      expect(resolveModel(`claude-${family}-latest`).model?.name).toBe(newest?.name);
    }
  });

  it('names a replacement that exists for every deprecated or retired model', () => {
    for (const entry of models.filter((candidate) => candidate.deprecated || candidate.retires)) {
      expect(entry.replacement, entry.name).toBeDefined();
      expect(findModel(entry.replacement ?? ''), `${entry.name} → ${entry.replacement}`).toBeDefined();
    }
  });

  it('refuses a malformed row, naming the row and the field', () => {
    const broken = { models: [{ ...data.models[0], prices: { input: 'four' } }] };
    expect(() => parseModelDataFile(broken, 'built-in', 'models.json')).toThrow(
      /models\.json: models\.0\.prices/,
    );
    const twice = [...models, { ...models[0], name: 'claude-other' } as ModelEntry];
    expect(() => new Catalog(twice)).toThrow(/names two models/);
  });
});

describe('resolving today’s names', () => {
  it.each([
    ['opus', 'claude-opus-5-5'],
    ['sonnet', 'claude-sonnet-5-5'],
    ['haiku', 'claude-haiku-5-5'],
    ['fable', 'claude-fable-5-2'],
    ['us.anthropic.claude-opus-5-5', 'claude-opus-5-5'],
    ['global.anthropic.claude-opus-4-6-v1', 'claude-opus-4-6'],
    ['claude-sonnet-4-5@20250929', 'claude-sonnet-4-5'],
    [
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-opus-5-5',
      'claude-opus-5-5',
    ],
  ])('%s → %s', (name, expected) => {
    expect(resolveModel(name).model?.name).toBe(expected);
  });

  it('takes Claude Code’s [1m] suffix off, so it never reaches a platform', () => {
    const resolved = resolveModel('claude-opus-4-8[1m]');
    expect(resolved.model?.name).toBe('claude-opus-4-8');
    expect(resolved.context1m).toBe(true);
    expect(modelIdForTarget(resolved, { platform: 'anthropic' })).toBe('claude-opus-4-8');
    expect(modelIdForTarget(resolved, { platform: 'bedrock', scope: 'global' })).toBe(
      'global.anthropic.claude-opus-4-8',
    );
    expect(resolveModel('sonnet[1M]').model?.name).toBe('claude-sonnet-5-5');
    expect(modelIdForTarget(resolveModel('claude-nova-1[1m]'), { platform: 'vertex' })).toBe('claude-nova-1');
  });

  it('offers a profile-only model on Bedrock only through its profiles', () => {
    const opus = resolveModel('claude-opus-5-5');
    expect(modelIdForTarget(opus, { platform: 'bedrock', scope: 'us' })).toBe('us.anthropic.claude-opus-5-5');
    expect(() => modelIdForTarget(opus, { platform: 'bedrock', region: 'us-east-1' })).toThrow(
      /only through inference profiles/,
    );
    expect(() => modelIdForTarget(opus, { platform: 'bedrock', scope: 'eu' })).toThrow(CatalogError);
  });

  it('skips a platform that does not offer the model, saying where it is', () => {
    expect(() => modelIdForTarget(resolveModel('claude-opus-4-1'), { platform: 'foundry' })).toThrow(
      /not offered on Microsoft Foundry; it is on: the Anthropic API, Amazon Bedrock, Vertex AI/,
    );
  });
});

describe('costs', () => {
  const global = { platform: 'bedrock' as const, scope: 'global' as const, region: 'us-east-1' };

  it('prices Haiku 5.5 by prompt size: over 100K tokens the whole request takes the higher tier', () => {
    const haiku = model('claude-haiku-5-5');
    expect(costOfUsage({ input_tokens: 100_000, output_tokens: 1_000 }, haiku, global)).toBeCloseTo(
      0.01 + 0.0005,
      9,
    );
    // 60K fresh + 50K cache read = 110K prompt tokens: every token at the >100K prices.
    expect(
      costOfUsage(
        { input_tokens: 60_000, cache_read_input_tokens: 50_000, output_tokens: 1_000 },
        haiku,
        global,
      ),
    ).toBeCloseTo(0.03 + 0.0025 + 0.0025, 9);
  });

  it('prices 5-minute and 1-hour cache writes and cache reads apart', () => {
    const usage = {
      input_tokens: 1_000,
      output_tokens: 2_000,
      cache_read_input_tokens: 100_000,
      cache_creation_input_tokens: 30_000,
      cache_creation: { ephemeral_5m_input_tokens: 10_000, ephemeral_1h_input_tokens: 20_000 },
    };
    // Opus 5.5: $4 in, $20 out, $5 5-minute writes, $8 1-hour writes, $0.20 reads.
    expect(costOfUsage(usage, model('claude-opus-5-5'), { platform: 'anthropic' })).toBeCloseTo(
      0.004 + 0.04 + 0.05 + 0.16 + 0.02,
      9,
    );
  });

  it('adds the 10% regional premium on regional endpoints only, and never for Opus 4.1', () => {
    const usage = { input_tokens: 1_000_000, output_tokens: 0 };
    const opus = model('claude-opus-5-5');
    expect(costOfUsage(usage, opus, global)).toBeCloseTo(4, 9);
    expect(costOfUsage(usage, opus, { platform: 'bedrock', scope: 'us', region: 'us-east-1' })).toBeCloseTo(
      4.4,
      9,
    );
    expect(costOfUsage(usage, opus, { platform: 'vertex', region: 'europe-west1' })).toBeCloseTo(4.4, 9);
    expect(costOfUsage(usage, model('claude-opus-4-1'), { platform: 'bedrock', scope: 'us' })).toBeCloseTo(
      15,
      9,
    );
  });

  it('flags a cost computed from an unconfirmed price as an estimate, never $0 or missing', () => {
    // Sonnet 5.5's cache read price is unconfirmed in the data; its input price is not.
    const sonnet = model('claude-sonnet-5-5');
    expect(costOf({ input_tokens: 1_000, output_tokens: 10 }, sonnet, global)).toEqual({
      usd: 0.0021,
      estimate: false,
    });
    const withReads = costOf(
      { input_tokens: 1_000, cache_read_input_tokens: 1_000, output_tokens: 10 },
      sonnet,
      global,
    );
    expect(withReads?.estimate).toBe(true);
    expect(withReads?.usd).toBeGreaterThan(0);
    expect(costOf({ input_tokens: 10 }, undefined, global)).toBeUndefined();
  });
});

describe('lifecycle, on a pinned clock', () => {
  it('warns for a retired model and names its replacement', () => {
    const sonnet45 = model('claude-sonnet-4-5');
    expect(deprecationNotice(sonnet45, DAY('2026-12-05'))).toBe(
      'Claude Sonnet 4.5 (claude-sonnet-4-5) retired on 2026-11-30; platforms may reject it. Move to claude-sonnet-5-5.',
    );
    expect(deprecationNotice(sonnet45, DAY('2026-10-15'))).toContain(
      'is deprecated (since 2026-09-30) and retires on 2026-11-30',
    );
    expect(deprecationNotice(sonnet45, DAY('2026-01-01'))).toBeUndefined();
    expect(deprecationNotice(model('opus'), DAY('2031-01-01'))).toBeUndefined();
  });

  it('retires a model on Anthropic-operated platforms by their dates, not on clouds that set their own', () => {
    const sonnet45 = model('claude-sonnet-4-5');
    expect(isRetired(sonnet45, DAY('2026-12-05'), 'anthropic')).toBe(true);
    expect(isRetired(sonnet45, DAY('2026-12-05'), 'bedrock')).toBe(false);
    expect(isRetired(sonnet45, DAY('2026-11-29'), 'anthropic')).toBe(false);
    // Offered on Bedrock and Vertex still: not retired everywhere.
    expect(isRetired(sonnet45, DAY('2026-12-05'))).toBe(false);
    expect(isRetired(model('claude-3-5-sonnet'), DAY('2026-12-05'))).toBe(true);
  });
});

describe('configured models (models: in claude-gateway.yaml)', () => {
  const configure = (rows: unknown[]) =>
    configuredCatalog(defaultCatalog(), { models: rows.map((row) => configuredModelSchema.parse(row)) });

  it('corrects a built-in price and keeps the rest of the row', () => {
    const catalog = configure([{ name: 'sonnet', prices: { input: 2, output: 10, cacheRead: 0.1 } }]);
    const sonnet = catalog.find('claude-sonnet-5-5');
    expect(sonnet?.prices).toEqual({
      input: 2,
      output: 10,
      cacheWrite: 2.5,
      cacheWrite1h: 4,
      cacheRead: 0.1,
    });
    expect(sonnet?.origin).toBe('configured');
    expect(sonnet?.bedrock?.baseId).toBe('anthropic.claude-sonnet-5-5');
    expect(
      costOf({ input_tokens: 1_000, cache_read_input_tokens: 1_000 }, sonnet, { platform: 'anthropic' }),
    ).toEqual({ usd: 0.0021, estimate: false });
    // The built-in catalog is untouched.
    expect(defaultCatalog().find('claude-sonnet-5-5')?.origin).toBe('built-in');
  });

  it('adds a model the data lacks, routable with the ids it gives and priced', () => {
    const catalog = configure([
      {
        name: 'claude-nova-1',
        aliases: ['nova'],
        prices: { input: 3, output: 15 },
        bedrockId: 'anthropic.claude-nova-1-v2',
        bedrockScopes: ['global', 'eu'],
      },
    ]);
    const nova = catalog.resolve('nova');
    expect(nova.model?.name).toBe('claude-nova-1');
    expect(modelIdForTarget(nova, { platform: 'bedrock', scope: 'eu' })).toBe(
      'eu.anthropic.claude-nova-1-v2',
    );
    expect(catalog.resolve('eu.anthropic.claude-nova-1-v2').model?.name).toBe('claude-nova-1');
    expect(nova.model?.prices.cacheWrite).toBe(3.75);
    expect(catalog.list().map((entry) => entry.name)).toContain('claude-nova-1');
  });

  it('refuses a row without prices, naming the field', () => {
    const parsed = configuredModelSchema.safeParse({ name: 'claude-nova-1' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['prices']);
  });
});

describe('discovered models', () => {
  it('adds what a platform lists that the data lacks, and nothing for a known one', () => {
    const catalog = defaultCatalog().clone();
    const [template] = builtInModels();
    if (!template) throw new Error('empty catalog');
    const discovered: ModelEntry = {
      ...template,
      name: 'claude-nova-2',
      displayName: 'Claude Nova 2',
      aliases: [],
      anthropicId: 'claude-nova-2',
      firstPartyAliases: [],
      origin: 'discovered',
    };
    for (const field of ['bedrock', 'vertexId', 'foundryId', 'claudePlatformAwsId'] as const)
      delete discovered[field];
    // Shares a Bedrock id with a known model under another name: adds nothing.
    const alias = {
      ...discovered,
      name: 'claude-other',
      bedrock: template.bedrock,
      origin: 'discovered' as const,
    };
    catalog.setDiscovered([discovered, alias]);
    expect(catalog.find('claude-nova-2')?.origin).toBe('discovered');
    expect(catalog.find(template.name)?.origin).toBe('built-in');
    expect(catalog.find('claude-other')).toBeUndefined();
    expect(catalog.list().length).toBe(builtInModels().length + 1);
  });
});
