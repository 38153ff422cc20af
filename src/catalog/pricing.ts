import { descriptorOf } from '../platforms/descriptors.js';
import type { ModelEntry, Target, TokenPrices } from './types.js';

/** Token counts as the platforms report them (Anthropic usage field names). */
export interface TokenUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation?: {
    ephemeral_5m_input_tokens?: number | null;
    ephemeral_1h_input_tokens?: number | null;
  } | null;
}

/** The regional-endpoint premium: 10% for Claude Sonnet 4.5 and later. */
export const REGIONAL_PREMIUM = 1.1;

/**
 * Whether a target is a regional endpoint in the pricing sense (its platform's
 * descriptor says): a Bedrock geographic profile or in-region id (anything but
 * `global.`), or a Vertex location other than `global`.
 */
export function isRegionalTarget(target: Target): boolean {
  return descriptorOf(target.platform).regionalPremium(target);
}

/** A request's cost, and whether a price it used is not confirmed (then it is an estimate). */
export interface Cost {
  usd: number;
  estimate: boolean;
}

/** The prices that apply to a request of this prompt size: the highest tier it passes, else the base. */
export function pricesFor(model: ModelEntry, promptTokens: number): { prices: TokenPrices; path: string } {
  let chosen: { prices: TokenPrices; path: string } = { prices: model.prices, path: 'prices' };
  model.priceTiers.forEach((tier, index) => {
    if (promptTokens > tier.aboveInputTokens) chosen = { prices: tier, path: `priceTiers.${index}` };
  });
  return chosen;
}

/**
 * The cost of one request in USD, from the catalog's prices: the prompt-size
 * tier it falls in (Haiku 5.5 over 100K, long context), 5-minute and 1-hour
 * cache writes, cache reads, and the 10% regional premium where it applies.
 * `estimate` is set when one of the prices used is marked unconfirmed in the
 * data. Undefined for models the catalog does not know.
 *
 * @example
 * costOf({ input_tokens: 1_000_000, output_tokens: 0 }, sonnet45, { platform: 'bedrock', scope: 'us' }) // { usd: 3.3, estimate: false }
 */
export function costOf(usage: TokenUsage, model: ModelEntry | undefined, target: Target): Cost | undefined {
  if (!model || model.unpriced) return undefined;
  const input = usage.input_tokens ?? 0;
  const output = usage.output_tokens ?? 0;
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWriteTotal = usage.cache_creation_input_tokens ?? 0;
  const oneHourWrites = Math.min(cacheWriteTotal, usage.cache_creation?.ephemeral_1h_input_tokens ?? 0);
  const fiveMinuteWrites = cacheWriteTotal - oneHourWrites;
  const { prices, path } = pricesFor(model, input + cacheRead + cacheWriteTotal);
  const used: [keyof TokenPrices, number][] = [
    ['input', input],
    ['output', output],
    ['cacheWrite', fiveMinuteWrites],
    ['cacheWrite1h', oneHourWrites],
    ['cacheRead', cacheRead],
  ];
  let dollars = 0;
  let estimate = false;
  for (const [field, tokens] of used) {
    if (tokens === 0) continue;
    dollars += tokens * prices[field];
    const dataField = field === 'cacheWrite' ? 'cacheWrite5m' : field;
    if (model.unconfirmed.includes(`${path}.${dataField}`) || model.unconfirmed.includes(path))
      estimate = true;
  }
  const premium = model.regionalPremium && isRegionalTarget(target) ? REGIONAL_PREMIUM : 1;
  return { usd: roundMicros((dollars / 1_000_000) * premium), estimate };
}

/** The cost in USD alone (see costOf). */
export function costOfUsage(
  usage: TokenUsage,
  model: ModelEntry | undefined,
  target: Target,
): number | undefined {
  return costOf(usage, model, target)?.usd;
}

/** Rounds to a millionth of a dollar so sums in the log stay exact enough and readable. */
function roundMicros(value: number): number {
  return Math.round(value * 1_000_000) / 1_000_000;
}
