import { z } from 'zod';
import {
  BEDROCK_SCOPES,
  type BedrockScope,
  type ModelEntry,
  type ModelOrigin,
  PLATFORMS,
  type Platform,
  type TokenPrices,
} from './types.js';

/*
 * The catalog's data form: what `data/models.json` holds and what a platform
 * listing or the configuration's `models:` adds. Validated at load; the code
 * reads ModelEntry, never this form.
 */

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');
const usdPerMillion = z.number().nonnegative();
const modelName = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/, 'letters, digits and . _ : @ / - (no spaces)');

const pricesData = z
  .object({
    input: usdPerMillion,
    output: usdPerMillion,
    cacheWrite5m: usdPerMillion,
    cacheWrite1h: usdPerMillion,
    cacheRead: usdPerMillion,
  })
  .strict();

const lifecycleDates = z.object({ deprecated: isoDay.nullish(), retires: isoDay.nullish() }).strict();

/** One model as the data file states it. */
export const modelDataSchema = z
  .object({
    name: modelName,
    displayName: z.string().min(1),
    family: z.string().min(1),
    aliases: z.array(modelName).default([]),
    anthropic: z
      .object({ id: modelName, aliases: z.array(modelName).default([]) })
      .strict()
      .optional(),
    bedrock: z
      .object({
        baseId: modelName,
        profiles: z.array(z.enum(BEDROCK_SCOPES as [string, ...string[]])).default([]),
        profileOnly: z.boolean().default(false),
        integration: z.enum(['invoke', 'messages', 'both']).default('invoke'),
        /** The Messages-integration id when it differs from `baseId`. */
        messagesId: modelName.optional(),
      })
      .strict()
      .optional(),
    vertex: z.object({ id: modelName }).strict().optional(),
    foundry: z.object({ id: modelName }).strict().optional(),
    claudePlatformAws: z.object({ id: modelName }).strict().optional(),
    contextWindow: z.number().int().positive(),
    maxOutputTokens: z.number().int().positive(),
    prices: pricesData,
    priceTiers: z.array(pricesData.extend({ aboveInputTokens: z.number().int().positive() })).default([]),
    extendedContext: z
      .object({ beta: z.string().min(1), tokens: z.number().int().positive() })
      .strict()
      .optional(),
    regionalPremium: z.boolean(),
    thinking: z.enum(['none', 'extended', 'adaptive', 'adaptive-always']).optional(),
    lifecycle: z
      .object({
        released: isoDay.nullish(),
        deprecated: isoDay.nullish(),
        retires: isoDay.nullish(),
        anthropic: lifecycleDates.optional(),
        bedrock: lifecycleDates.optional(),
        vertex: lifecycleDates.optional(),
        foundry: lifecycleDates.optional(),
      })
      .strict()
      .default({}),
    replacement: modelName.optional(),
    /** API versions per platform where the model's differ from the platform's (first: the one written). */
    apiVersions: z
      .partialRecord(z.enum(PLATFORMS as [Platform, ...Platform[]]), z.array(z.string().min(1)).min(1))
      .optional(),
    sources: z.array(z.string().min(1)).min(1),
    unconfirmed: z.array(z.string()).default([]),
  })
  .strict();

export type ModelData = z.input<typeof modelDataSchema>;

export const modelDataFileSchema = z.object({
  models: z.array(modelDataSchema),
  notes: z.array(z.string()).default([]),
});

function prices(data: z.output<typeof pricesData>): TokenPrices {
  return {
    input: data.input,
    output: data.output,
    cacheWrite: data.cacheWrite5m,
    cacheWrite1h: data.cacheWrite1h,
    cacheRead: data.cacheRead,
  };
}

function definedDates(dates: { deprecated?: string | null; retires?: string | null } | undefined) {
  if (!dates) return undefined;
  return {
    ...(dates.deprecated ? { deprecated: dates.deprecated } : {}),
    ...(dates.retires ? { retires: dates.retires } : {}),
  };
}

/** A validated data row as the catalog's ModelEntry. */
export function modelEntryOf(data: z.output<typeof modelDataSchema>, origin: ModelOrigin): ModelEntry {
  const offeredBy: Platform[] = [];
  if (data.anthropic) offeredBy.push('anthropic');
  if (data.bedrock) offeredBy.push('bedrock');
  // Bedrock's Messages API serves only the models of its new integration (Claude 4.7 and later).
  if (data.bedrock && data.bedrock.integration !== 'invoke') offeredBy.push('bedrock-messages');
  if (data.claudePlatformAws) offeredBy.push('claude-platform-aws');
  if (data.vertex) offeredBy.push('vertex');
  if (data.foundry) offeredBy.push('foundry');
  const platformLifecycle: ModelEntry['platformLifecycle'] = {};
  for (const platform of ['anthropic', 'bedrock', 'vertex', 'foundry'] as const) {
    const dates = definedDates(data.lifecycle[platform]);
    if (dates) platformLifecycle[platform] = dates;
  }
  const entry: ModelEntry = {
    name: data.name,
    displayName: data.displayName,
    family: data.family,
    aliases: data.aliases,
    anthropicId: data.anthropic?.id ?? data.name,
    offeredBy,
    firstPartyAliases: data.anthropic?.aliases ?? [],
    contextWindow: data.contextWindow,
    maxOutputTokens: data.maxOutputTokens,
    prices: prices(data.prices),
    priceTiers: data.priceTiers
      .map((tier) => ({ ...prices(tier), aboveInputTokens: tier.aboveInputTokens }))
      .sort((a, b) => a.aboveInputTokens - b.aboveInputTokens),
    regionalPremium: data.regionalPremium,
    platformLifecycle,
    sources: data.sources,
    unconfirmed: data.unconfirmed,
    origin,
  };
  if (data.bedrock) {
    entry.bedrock = {
      baseId: data.bedrock.baseId,
      scopes: data.bedrock.profiles as BedrockScope[],
      profileOnly: data.bedrock.profileOnly,
      integration: data.bedrock.integration,
      ...(data.bedrock.messagesId ? { messagesId: data.bedrock.messagesId } : {}),
    };
  }
  if (data.vertex) entry.vertexId = data.vertex.id;
  if (data.foundry) entry.foundryId = data.foundry.id;
  if (data.claudePlatformAws) entry.claudePlatformAwsId = data.claudePlatformAws.id;
  if (data.extendedContext) entry.extendedContext = data.extendedContext;
  if (data.thinking) entry.thinking = data.thinking;
  if (data.lifecycle.released) entry.released = data.lifecycle.released;
  if (data.lifecycle.deprecated) entry.deprecated = data.lifecycle.deprecated;
  if (data.lifecycle.retires) entry.retires = data.lifecycle.retires;
  if (data.replacement) entry.replacement = data.replacement;
  if (data.apiVersions) entry.apiVersions = data.apiVersions;
  return entry;
}

/**
 * Parses a whole data file. Throws an Error naming the row and the field
 * when the data is malformed (a broken built-in file must not start).
 */
export function parseModelDataFile(raw: unknown, origin: ModelOrigin, where: string): ModelEntry[] {
  const parsed = modelDataFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw new Error(`${where}: ${path ? `${path}: ` : ''}${issue?.message ?? 'invalid model data'}`);
  }
  return parsed.data.models.map((row) => modelEntryOf(row, origin));
}
