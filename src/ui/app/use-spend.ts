import { query } from './api.js';
import type { Report } from './types.js';
import { useApi } from './use-api.js';

/** What a user or group spent this UTC month and today, from the report API (the activity log). */
export function useSpend(filter: { user?: string; group?: string }): {
  month?: number;
  today?: number;
  error?: string;
} {
  const now = new Date();
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
    .toISOString()
    .slice(0, 10);
  const today = now.toISOString().slice(0, 10);
  const { data, error } = useApi<Report>(
    `/admin/report${query({ by: 'day', since: monthStart, ...filter })}`,
  );
  if (!data) return { ...(error ? { error } : {}) };
  return {
    month: data.totals.costUsd,
    today: data.rows.filter((row) => row.day === today).reduce((sum, row) => sum + row.costUsd, 0),
  };
}
