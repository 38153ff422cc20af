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
 * Whether a target is a regional endpoint in the pricing sense: a Bedrock
 * geographic profile or in-region id (anything but `global.`), or a Vertex
 * location other than `global`.
 */
export function isRegionalTarget(target: Target): boolean {
  if (target.platform === 'bedrock') return target.scope !== 'global';
  if (target.platform === 'vertex') return target.region !== undefined && target.region !== 'global';
  return false;
}

/**
 * The cost of one request in USD, from the catalog's prices: long-context
 * prices once the input passes the threshold, one-hour cache writes at 2×
 * input, and the 10% regional premium where it applies. Undefined for models
 * the catalog does not know.
 *
 * @example
 * costOfUsage({ input_tokens: 1_000_000, output_tokens: 0 }, sonnet45, { platform: 'bedrock', scope: 'us' }) // 3.3
 */
export function costOfUsage(
  usage: TokenUsage,
  model: ModelEntry | undefined,
  target: Target,
): number | undefined {
  if (!model) return undefined;
  const input = usage.input_tokens ?? 0;
  const output = usage.output_tokens ?? 0;
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWriteTotal = usage.cache_creation_input_tokens ?? 0;
  const oneHourWrites = usage.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  const fiveMinuteWrites = Math.max(0, cacheWriteTotal - oneHourWrites);
  const totalInput = input + cacheRead + cacheWriteTotal;
  const prices: TokenPrices =
    model.longContextPrices && totalInput > model.longContextPrices.thresholdTokens
      ? model.longContextPrices
      : model.prices;
  const dollars =
    (input * prices.input +
      output * prices.output +
      fiveMinuteWrites * prices.cacheWrite +
      oneHourWrites * prices.input * 2 +
      cacheRead * prices.cacheRead) /
    1_000_000;
  const premium = model.regionalPremium && isRegionalTarget(target) ? REGIONAL_PREMIUM : 1;
  return roundMicros(dollars * premium);
}

/** Rounds to a millionth of a dollar so sums in the log stay exact enough and readable. */
function roundMicros(value: number): number {
  return Math.round(value * 1_000_000) / 1_000_000;
}
