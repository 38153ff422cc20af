import { type Placeholder, type SqlText, whereClause } from './activity-sql.js';
import { number, type StoredRow } from './decode-rows.js';
import type { SessionQuery, SessionSummary } from './types.js';

export const DEFAULT_SESSION_LIMIT = 100;

/**
 * One row per session (`x-claude-code-session-id` or `metadata.user_id`) of
 * the requests matching the filter, the most recently active first.
 *
 * @example
 * sessionsSql('requests', { since: 0, limit: 20 }, SQLITE_PLACEHOLDER).text // 'SELECT session_id, MIN(time) AS first_time, … GROUP BY session_id …'
 */
export function sessionsSql(table: string, query: SessionQuery, placeholder: Placeholder): SqlText {
  const where = whereClause(query, placeholder);
  const condition = where.text ? `${where.text} AND session_id IS NOT NULL` : 'WHERE session_id IS NOT NULL';
  const limit = Math.max(1, Math.floor(query.limit ?? DEFAULT_SESSION_LIMIT));
  const text = [
    'SELECT session_id, MIN(time) AS first_time, MAX(time) AS last_time,',
    'MAX(time + COALESCE(duration_ms, 0)) AS end_time, COUNT(*) AS requests,',
    "SUM(CASE WHEN operation = 'messages' THEN 1 ELSE 0 END) AS turns,",
    "SUM(CASE WHEN stop_reason = 'tool_use' THEN 1 ELSE 0 END) AS tool_turns,",
    'SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors,',
    'COUNT(DISTINCT agent_id) AS agents, MAX(key_id) AS key_id, MAX(key_name) AS key_name,',
    'MAX(user_name) AS user_name, MAX(group_name) AS group_name,',
    'MAX(COALESCE(model, requested_model)) AS model,',
    'SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,',
    'SUM(cache_read_tokens) AS cache_read_tokens, SUM(cache_write_tokens) AS cache_write_tokens,',
    'SUM(cost_usd) AS cost_usd, SUM(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END) AS unpriced_requests',
    `FROM ${table} ${condition} GROUP BY session_id`,
    `ORDER BY MAX(time) DESC, session_id LIMIT ${placeholder(where.parameters.length + 1)}`,
  ].join(' ');
  return { text, parameters: [...where.parameters, limit] };
}

/** A session summary from a row as `sessionsSql` selects it (Postgres sums arrive as strings). */
export function decodeSession(row: StoredRow): SessionSummary {
  const firstTime = number(row.first_time) ?? 0;
  return {
    sessionId: String(row.session_id),
    firstTime,
    lastTime: number(row.last_time) ?? firstTime,
    endTime: number(row.end_time) ?? firstTime,
    requests: number(row.requests) ?? 0,
    turns: number(row.turns) ?? 0,
    toolTurns: number(row.tool_turns) ?? 0,
    errors: number(row.errors) ?? 0,
    agents: number(row.agents) ?? 0,
    ...(row.key_id ? { keyId: String(row.key_id) } : {}),
    ...(row.key_name ? { keyName: String(row.key_name) } : {}),
    ...(row.user_name ? { userName: String(row.user_name) } : {}),
    ...(row.group_name ? { group: String(row.group_name) } : {}),
    ...(row.model ? { model: String(row.model) } : {}),
    inputTokens: number(row.input_tokens) ?? 0,
    outputTokens: number(row.output_tokens) ?? 0,
    cacheReadTokens: number(row.cache_read_tokens) ?? 0,
    cacheWriteTokens: number(row.cache_write_tokens) ?? 0,
    costUsd: number(row.cost_usd) ?? 0,
    unpricedRequests: number(row.unpriced_requests) ?? 0,
  };
}
