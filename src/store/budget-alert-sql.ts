/**
 * Pruning the budget alert claims (`budget_alerts`) with the activity log's
 * retention. A claim guards its budget period (one alert per threshold per
 * period, across replicas), so a row goes only once its period has ended
 * before the cutoff: then it also was crossed before it, and no gateway can
 * claim that period again. Rows of a period still running stay, whatever the
 * retention, so a short `store.retentionDays` never sends an alert twice.
 *
 * @example
 * PRUNE_BUDGET_ALERTS('budget_alerts'); // DELETE FROM budget_alerts WHERE resets_at < ?
 */
export function PRUNE_BUDGET_ALERTS(table: string, placeholder = '?'): string {
  return `DELETE FROM ${table} WHERE resets_at < ${placeholder}`;
}
