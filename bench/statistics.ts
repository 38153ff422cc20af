/** Order statistics over samples in milliseconds. */
export interface Summary {
  count: number;
  median: number;
  p99: number;
  mean: number;
  max: number;
}

/** The `fraction` quantile of sorted samples, interpolated between the two nearest ranks. */
export function quantile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * fraction;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  return low + (high - low) * (position - below);
}

/**
 * Median, p99, mean and max of samples.
 *
 * @example
 * summarize([1, 2, 3]).median; // 2
 */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((left, right) => left - right);
  let total = 0;
  for (const sample of sorted) total += sample;
  return {
    count: sorted.length,
    median: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    mean: sorted.length > 0 ? total / sorted.length : Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}
