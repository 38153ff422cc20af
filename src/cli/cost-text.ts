/**
 * A cost as the CLI prints it: six decimals under a dollar (test budgets and
 * single requests), cents above; `-` when unknown; ` (est.)` when it used a
 * price the catalog marks unconfirmed.
 *
 * @example
 * costText(0.0006) // '$0.000600'
 * costText(12.5, true) // '$12.50 (est.)'
 */
export function costText(usd: number | undefined, estimated = false): string {
  if (usd === undefined) return '-';
  return `$${usd.toFixed(usd < 1 ? 6 : 2)}${estimated ? ' (est.)' : ''}`;
}
