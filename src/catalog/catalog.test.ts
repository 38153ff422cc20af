import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deprecationNotice } from './deprecation.js';
import { MODELS } from './models.js';
import { costOfUsage } from './pricing.js';
import { bedrockModelId, CatalogError, findModel, modelIdForTarget, resolveModel } from './resolve.js';
import type { BedrockScope } from './types.js';

const SEEDS = join(import.meta.dirname, '../../test/fixtures/seeds');
const seedText = readdirSync(SEEDS)
  .map((file) => readFileSync(join(SEEDS, file), 'utf8'))
  .join('\n');

/** Rows of the seeds' Bedrock tables: | Model | Base id | global | us | eu | jp | apac | */
function bedrockRows() {
  const rows = new Map<
    string,
    { display: string; baseId: string; scopes: BedrockScope[]; deprecated: boolean }
  >();
  const columns: BedrockScope[] = ['global', 'us', 'eu', 'jp', 'apac'];
  for (const line of seedText.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const baseId = cells[2]?.replace(/Copied!$/, '');
    if (!baseId?.startsWith('anthropic.claude')) continue;
    const display = (cells[1] ?? '')
      .replace(/<Tooltip.*$/, '')
      .replace('⚠️', '')
      .trim();
    const scopes = columns.filter((_, index) => cells[3 + index] === 'Yes');
    rows.set(`${baseId}`, { display, baseId, scopes, deprecated: (cells[1] ?? '').includes('⚠️') });
  }
  return [...rows.values()];
}

/** Rows of the seed's Vertex table: | Model | Vertex AI API model ID | */
function vertexRows() {
  const rows: { display: string; vertexId: string }[] = [];
  for (const line of seedText.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length !== 4 || !/^claude-[a-z0-9-]+@\d{8}$/.test(cells[2] ?? '')) continue;
    rows.push({ display: (cells[1] ?? '').replace(/<Tooltip.*$/, '').trim(), vertexId: cells[2] ?? '' });
  }
  return rows;
}

describe('the catalog against the seed tables', () => {
  const rows = bedrockRows();

  it('finds the seed tables', () => {
    expect(rows.length).toBeGreaterThanOrEqual(11);
    expect(vertexRows().length).toBeGreaterThanOrEqual(9);
  });

  it.each(bedrockRows())('has $display with the seed Bedrock id and scopes', (row) => {
    const model = findModel(row.baseId);
    expect(model, row.baseId).toBeDefined();
    expect(model?.displayName).toBe(row.display);
    // The seed table's five columns must match exactly; `au` is outside the table.
    expect(model?.bedrock.scopes.filter((scope) => scope !== 'au')).toEqual(row.scopes);
    if (row.deprecated) expect(model?.deprecated).toBeDefined();
  });

  it.each(vertexRows())('has $display with the seed Vertex id', (row) => {
    const model = findModel(row.vertexId);
    expect(model?.displayName).toBe(row.display);
    expect(model?.vertexId).toBe(row.vertexId);
  });

  it('lists every model once and no seed model is missing', () => {
    const baseIds = new Set(rows.map((row) => row.baseId));
    for (const model of MODELS) expect(baseIds.has(model.bedrock.baseId), model.name).toBe(true);
  });

  it('gives Sonnet 4 and 4.5 the 1M context beta and nobody else', () => {
    const withBeta = MODELS.filter((model) => model.extendedContext).map((model) => model.name);
    expect(withBeta.sort()).toEqual(['claude-sonnet-4', 'claude-sonnet-4-5']);
    expect(findModel('sonnet')?.extendedContext).toEqual({
      beta: 'context-1m-2025-08-07',
      tokens: 1_000_000,
    });
  });

  it('applies the regional premium to Sonnet 4.5 and later only', () => {
    const premium = MODELS.filter((model) => model.regionalPremium).map((model) => model.name);
    expect(premium.sort()).toEqual(['claude-haiku-4-5', 'claude-opus-4-5', 'claude-sonnet-4-5']);
  });
});

describe('resolveModel', () => {
  it.each([
    ['sonnet', 'claude-sonnet-4-5'],
    ['claude-sonnet-4-5', 'claude-sonnet-4-5'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
    ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1%3A0', 'claude-sonnet-4-5'],
    ['claude-sonnet-4-5@20250929', 'claude-sonnet-4-5'],
    [
      'arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0',
      'claude-haiku-4-5',
    ],
    ['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0', 'claude-3-haiku'],
    ['claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
    ['CLAUDE-OPUS-4-1', 'claude-opus-4-1'],
  ])('resolves %s', (name, canonical) => {
    expect(resolveModel(name).model?.name).toBe(canonical);
  });

  it('keeps the scope and ARN region it was given', () => {
    const resolved = resolveModel(
      'arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0',
    );
    expect(resolved.bedrockScope).toBe('eu');
    expect(resolved.arnRegion).toBe('eu-west-1');
  });

  it('passes unknown names through with ids derived by platform conventions', () => {
    const fromFirstParty = resolveModel('claude-opus-4-6');
    expect(fromFirstParty.model).toBeUndefined();
    expect(fromFirstParty.ids).toEqual({
      anthropic: 'claude-opus-4-6',
      bedrockBase: 'anthropic.claude-opus-4-6-v1',
      vertex: 'claude-opus-4-6',
      foundry: 'claude-opus-4-6',
    });
    const fromBedrock = resolveModel('us.anthropic.claude-opus-4-6-v1');
    expect(fromBedrock.bedrockScope).toBe('us');
    expect(fromBedrock.ids.anthropic).toBe('claude-opus-4-6');
    expect(bedrockModelId(fromBedrock, 'eu')).toBe('eu.anthropic.claude-opus-4-6-v1');
    const dated = resolveModel('claude-foo-5-20270101');
    expect(dated.ids.vertex).toBe('claude-foo-5@20270101');
    expect(dated.ids.bedrockBase).toBe('anthropic.claude-foo-5-20270101-v1:0');
    expect(resolveModel('claude-foo-5@20270101').ids.anthropic).toBe('claude-foo-5-20270101');
    expect(resolveModel('my-deployment').ids.vertex).toBe('my-deployment');
  });

  it('keeps application inference profile ARNs on Bedrock only', () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123';
    const resolved = resolveModel(arn);
    expect(modelIdForTarget(resolved, { platform: 'bedrock', region: 'us-east-1' })).toBe(arn);
    expect(() => modelIdForTarget(resolved, { platform: 'vertex', region: 'global' })).toThrow(CatalogError);
  });
});

describe('platform ids', () => {
  it('gives the Bedrock id for a scope and refuses a scope the model lacks, listing those that exist', () => {
    const opus41 = resolveModel('claude-opus-4-1');
    expect(bedrockModelId(opus41, 'us')).toBe('us.anthropic.claude-opus-4-1-20250805-v1:0');
    expect(bedrockModelId(opus41, undefined)).toBe('anthropic.claude-opus-4-1-20250805-v1:0');
    let error: unknown;
    try {
      bedrockModelId(opus41, 'eu');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CatalogError);
    expect((error as CatalogError).message).toContain('no `eu` inference profile');
    expect((error as CatalogError).message).toContain('scopes that exist: us');
    expect((error as CatalogError).available).toEqual(['us']);
  });

  it('maps one name to every platform', () => {
    const sonnet = resolveModel('sonnet');
    expect(modelIdForTarget(sonnet, { platform: 'anthropic' })).toBe('claude-sonnet-4-5-20250929');
    expect(modelIdForTarget(sonnet, { platform: 'vertex', region: 'global' })).toBe(
      'claude-sonnet-4-5@20250929',
    );
    expect(modelIdForTarget(sonnet, { platform: 'bedrock', region: 'us-west-2', scope: 'global' })).toBe(
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    );
    expect(modelIdForTarget(sonnet, { platform: 'foundry' })).toBe('claude-sonnet-4-5');
  });
});

describe('pricing', () => {
  const sonnet45 = findModel('claude-sonnet-4-5');
  const sonnet4 = findModel('claude-sonnet-4');

  it('charges per million tokens with the 10% regional premium for Sonnet 4.5', () => {
    const usage = { input_tokens: 100_000, output_tokens: 100_000 };
    expect(costOfUsage(usage, sonnet45, { platform: 'bedrock', scope: 'global' })).toBe(1.8);
    expect(costOfUsage(usage, sonnet45, { platform: 'bedrock', scope: 'us' })).toBeCloseTo(1.98, 6);
    expect(costOfUsage(usage, sonnet45, { platform: 'bedrock', region: 'us-east-1' })).toBeCloseTo(1.98, 6);
    expect(costOfUsage(usage, sonnet45, { platform: 'vertex', region: 'global' })).toBe(1.8);
    expect(costOfUsage(usage, sonnet45, { platform: 'vertex', region: 'us-east5' })).toBeCloseTo(1.98, 6);
    expect(costOfUsage(usage, sonnet45, { platform: 'anthropic' })).toBe(1.8);
    expect(costOfUsage(usage, sonnet4, { platform: 'bedrock', scope: 'us' })).toBe(1.8);
  });

  it('prices cache reads and writes, one-hour writes at twice input', () => {
    const usage = {
      input_tokens: 0,
      output_tokens: 0,
      cache_read_input_tokens: 1_000_000,
      cache_creation_input_tokens: 2_000_000,
      cache_creation: { ephemeral_5m_input_tokens: 1_000_000, ephemeral_1h_input_tokens: 1_000_000 },
    };
    // read 0.30 + 5-minute write 3.75 + one-hour write 6.00; over 200K input, so long-context prices apply
    expect(costOfUsage({ ...usage }, findModel('claude-3-7-sonnet'), { platform: 'anthropic' })).toBeCloseTo(
      0.3 + 3.75 + 6,
      6,
    );
    expect(costOfUsage(usage, sonnet4, { platform: 'anthropic' })).toBeCloseTo(0.6 + 7.5 + 12, 6);
  });

  it('uses long-context prices past 200K input tokens', () => {
    expect(
      costOfUsage({ input_tokens: 300_000, output_tokens: 0 }, sonnet45, { platform: 'anthropic' }),
    ).toBeCloseTo(1.8, 6);
    expect(
      costOfUsage({ input_tokens: 200_000, output_tokens: 0 }, sonnet45, { platform: 'anthropic' }),
    ).toBeCloseTo(0.6, 6);
  });

  it('has no price for unknown models', () => {
    expect(costOfUsage({ input_tokens: 10 }, undefined, { platform: 'anthropic' })).toBeUndefined();
  });
});

describe('deprecationNotice', () => {
  it('warns with the retirement date', () => {
    const haiku35 = findModel('claude-3-5-haiku');
    if (!haiku35) throw new Error('missing');
    expect(deprecationNotice(haiku35, new Date('2026-01-10'))).toContain('retires on 2026-02-19');
    expect(deprecationNotice(haiku35, new Date('2026-03-01'))).toContain('retired on 2026-02-19');
    expect(deprecationNotice(haiku35, new Date('2025-01-01'))).toBeUndefined();
    const haiku45 = findModel('haiku');
    if (!haiku45) throw new Error('missing');
    expect(deprecationNotice(haiku45)).toBeUndefined();
  });
});

describe('first-party aliases', () => {
  it("sends the Anthropic API's own aliases to it as asked, and maps everything else to the dated id", () => {
    expect(modelIdForTarget(resolveModel('claude-sonnet-4-5'), { platform: 'anthropic' })).toBe(
      'claude-sonnet-4-5',
    );
    expect(modelIdForTarget(resolveModel('claude-3-7-sonnet-latest'), { platform: 'anthropic' })).toBe(
      'claude-3-7-sonnet-latest',
    );
    expect(modelIdForTarget(resolveModel('sonnet'), { platform: 'anthropic' })).toBe(
      'claude-sonnet-4-5-20250929',
    );
    expect(modelIdForTarget(resolveModel('claude-3-7-sonnet'), { platform: 'anthropic' })).toBe(
      'claude-3-7-sonnet-20250219',
    );
    expect(
      modelIdForTarget(resolveModel('us.anthropic.claude-opus-4-1-20250805-v1:0'), { platform: 'anthropic' }),
    ).toBe('claude-opus-4-1-20250805');
  });
});
