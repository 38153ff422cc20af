import { z } from 'zod';
import type { ModelPatch } from './catalog.js';
import { deriveIds } from './resolve.js';
import {
  BEDROCK_SCOPES,
  type BedrockScope,
  type ModelEntry,
  PLATFORMS,
  type Platform,
  type TokenPrices,
} from './types.js';

/*
 * The configuration's `models:` list: an operator adds a model or corrects one
 * without a release. Each row names a model (any of its names, or a new one)
 * and gives at least its prices; what it does not give comes from the known
 * model, or from the platforms' naming rules for a new one.
 */

const usd = z.number().nonnegative();
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');
const name = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/, 'letters, digits and . _ : @ / - (no spaces)');

const configuredPrices = z
  .object({
    input: usd,
    output: usd,
    cacheWrite5m: usd.optional(),
    cacheWrite1h: usd.optional(),
    cacheRead: usd.optional(),
  })
  .strict();

export const configuredModelSchema = z
  .object({
    name,
    displayName: z.string().min(1).optional(),
    family: z.string().min(1).optional(),
    aliases: z.array(name).optional(),
    /** USD per million tokens; cache prices default to 1.25× / 2× / 0.1× input. */
    prices: configuredPrices,
    priceTiers: z
      .array(configuredPrices.extend({ aboveInputTokens: z.number().int().positive() }).strict())
      .optional(),
    anthropicId: name.optional(),
    bedrockId: name.optional(),
    bedrockScopes: z.array(z.enum(BEDROCK_SCOPES as [BedrockScope, ...BedrockScope[]])).optional(),
    bedrockProfileOnly: z.boolean().optional(),
    vertexId: name.optional(),
    foundryId: name.optional(),
    claudePlatformAwsId: name.optional(),
    contextWindow: z.number().int().positive().optional(),
    maxOutputTokens: z.number().int().positive().optional(),
    regionalPremium: z.boolean().optional(),
    deprecated: isoDay.optional(),
    retires: isoDay.optional(),
    replacement: name.optional(),
    /** API versions per platform where the model's differ from the platform's (`{ vertex: ['2026-10-21'] }`). */
    apiVersions: z
      .partialRecord(z.enum(PLATFORMS as [Platform, ...Platform[]]), z.array(z.string().min(1)).min(1))
      .optional(),
  })
  .strict();

export type ConfiguredModel = z.infer<typeof configuredModelSchema>;

function fullPrices(prices: z.infer<typeof configuredPrices>, base: TokenPrices | undefined): TokenPrices {
  // Given cache prices win; else the known model's, when the input price did not change; else the usual ratios.
  const sameInput = base !== undefined && base.input === prices.input;
  return {
    input: prices.input,
    output: prices.output,
    cacheWrite: prices.cacheWrite5m ?? (sameInput ? base.cacheWrite : prices.input * 1.25),
    cacheWrite1h: prices.cacheWrite1h ?? (sameInput ? base.cacheWrite1h : prices.input * 2),
    cacheRead: prices.cacheRead ?? (sameInput ? base.cacheRead : prices.input * 0.1),
  };
}

/** The change one `models:` row makes to the catalog. */
export function patchOf(row: ConfiguredModel): ModelPatch {
  return (base: ModelEntry | undefined): ModelEntry => {
    const derived = deriveIds(row.anthropicId ?? base?.anthropicId ?? row.name);
    const bedrockId = row.bedrockId ?? base?.bedrock?.baseId ?? derived.bedrockBase;
    const entry: ModelEntry = {
      ...(base ?? {
        name: row.name,
        displayName: row.name,
        family: /claude-([a-z]+)/.exec(row.name)?.[1] ?? 'unknown',
        aliases: [],
        anthropicId: derived.anthropic,
        offeredBy: ['anthropic', 'bedrock', 'vertex', 'foundry'],
        firstPartyAliases: [],
        vertexId: derived.vertex,
        foundryId: derived.foundry,
        contextWindow: 200_000,
        maxOutputTokens: 64_000,
        regionalPremium: false,
        platformLifecycle: {},
      }),
      // The operator's word is the source: nothing it sets is an estimate.
      origin: 'configured',
      sources: ['claude-gateway.yaml (models)'],
      unconfirmed: [],
      prices: fullPrices(row.prices, base?.prices),
      priceTiers: row.priceTiers
        ? row.priceTiers.map((tier) => ({
            ...fullPrices(tier, undefined),
            aboveInputTokens: tier.aboveInputTokens,
          }))
        : base && base.prices.input === row.prices.input
          ? base.priceTiers
          : [],
    };
    if (row.displayName) entry.displayName = row.displayName;
    if (row.family) entry.family = row.family;
    if (row.aliases) entry.aliases = [...new Set([...(base?.aliases ?? []), ...row.aliases])];
    if (row.anthropicId) entry.anthropicId = row.anthropicId;
    if (row.bedrockId || row.bedrockScopes || row.bedrockProfileOnly !== undefined || !base) {
      entry.bedrock = {
        baseId: bedrockId,
        scopes: row.bedrockScopes ?? base?.bedrock?.scopes ?? [],
        profileOnly: row.bedrockProfileOnly ?? base?.bedrock?.profileOnly ?? false,
        integration: base?.bedrock?.integration ?? 'invoke',
        ...(base?.bedrock?.messagesId ? { messagesId: base.bedrock.messagesId } : {}),
      };
    }
    if (row.vertexId) entry.vertexId = row.vertexId;
    if (row.foundryId) entry.foundryId = row.foundryId;
    if (row.claudePlatformAwsId) entry.claudePlatformAwsId = row.claudePlatformAwsId;
    if (row.contextWindow) entry.contextWindow = row.contextWindow;
    if (row.maxOutputTokens) entry.maxOutputTokens = row.maxOutputTokens;
    if (row.regionalPremium !== undefined) entry.regionalPremium = row.regionalPremium;
    if (row.deprecated) entry.deprecated = row.deprecated;
    if (row.retires) entry.retires = row.retires;
    if (row.replacement) entry.replacement = row.replacement;
    if (row.apiVersions) entry.apiVersions = { ...base?.apiVersions, ...row.apiVersions };
    const offered = new Set(entry.offeredBy);
    if (entry.bedrock) offered.add('bedrock');
    if (entry.bedrock && entry.bedrock.integration !== 'invoke') offered.add('bedrock-messages');
    if (entry.claudePlatformAwsId) offered.add('claude-platform-aws');
    if (entry.vertexId) offered.add('vertex');
    if (entry.foundryId) offered.add('foundry');
    if (row.anthropicId) offered.add('anthropic');
    entry.offeredBy = [...offered];
    return entry;
  };
}
