import { describe, expect, it } from 'vitest';
import {
  assembleSummary,
  POSTGRES_PLACEHOLDER,
  SQLITE_PLACEHOLDER,
  selectRequests,
  upsertSql,
  whereClause,
} from './activity-sql.js';

describe('activity SQL', () => {
  it('builds a WHERE clause with parameters in order, in each placeholder style', () => {
    expect(whereClause({}, SQLITE_PLACEHOLDER)).toEqual({ text: '', parameters: [] });
    expect(whereClause({ since: 1, keyId: 'k', model: 'm', errorsOnly: true }, POSTGRES_PLACEHOLDER)).toEqual(
      {
        text: 'WHERE time >= $1 AND key_id = $2 AND (model = $3 OR requested_model = $4) AND status >= 400',
        parameters: [1, 'k', 'm', 'm'],
      },
    );
  });

  it('leaves bodies out of listings unless asked, and bounds the limit', () => {
    const listing = selectRequests('requests', { limit: 0 }, POSTGRES_PLACEHOLDER);
    expect(listing.text).not.toContain('request_body');
    expect(listing.text).toMatch(/ORDER BY time DESC, id DESC LIMIT \$1$/);
    expect(listing.parameters).toEqual([1]);
    const withBodies = selectRequests(
      'requests',
      { includeBodies: true, sessionId: 's' },
      SQLITE_PLACEHOLDER,
    );
    expect(withBodies.text).toContain('request_body, response_body');
    expect(withBodies.parameters).toEqual(['s', 100]);
  });

  it('builds a multi-row upsert that updates every column but the key', () => {
    expect(upsertSql('t', ['id', 'a', 'b'], ['id'], 2, POSTGRES_PLACEHOLDER)).toBe(
      'INSERT INTO t (id, a, b) VALUES ($1, $2, $3), ($4, $5, $6) ON CONFLICT (id) DO UPDATE SET a = excluded.a, b = excluded.b',
    );
  });

  it('reads driver values of either backend into a summary', () => {
    const summary = assembleSummary(
      {},
      {
        total: [{ requests: '3', errors: '1', input_tokens: '10', cost_usd: null, unpriced_requests: 3 }],
        key: [{ key_id: null, key_name: null, requests: 3 }],
        model: [],
        platform: [{ platform: 'bedrock', requests: 3n }],
      },
    );
    expect(summary).toStrictEqual({
      total: {
        requests: 3,
        errors: 1,
        inputTokens: 10,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0,
        unpricedRequests: 3,
      },
      byKey: [expect.objectContaining({ requests: 3 })],
      byModel: [],
      byPlatform: [expect.objectContaining({ platform: 'bedrock', requests: 3 })],
    });
    expect(summary.byKey[0]).not.toHaveProperty('keyId');
  });
});
