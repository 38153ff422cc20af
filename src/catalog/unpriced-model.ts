import type { ModelEntry } from './types.js';

/**
 * A model the catalog's data does not describe, known only by name (a
 * platform's listing, an emulator extra): no price (its cost is unknown, never
 * $0), the common context and output limits marked unconfirmed, offered
 * nowhere until the caller says where.
 */
export function unpricedModel(name: string, source: string, displayName?: string): ModelEntry {
  return {
    name,
    displayName: displayName ?? name,
    family: /^claude-([a-z]+)/.exec(name)?.[1] ?? 'unknown',
    aliases: [],
    anthropicId: name,
    offeredBy: [],
    firstPartyAliases: [],
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    prices: { input: 0, output: 0, cacheWrite: 0, cacheWrite1h: 0, cacheRead: 0 },
    priceTiers: [],
    regionalPremium: false,
    platformLifecycle: {},
    sources: [source],
    unconfirmed: ['prices', 'contextWindow', 'maxOutputTokens'],
    unpriced: true,
    origin: 'discovered',
  };
}
