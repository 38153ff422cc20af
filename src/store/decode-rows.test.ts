import { describe, expect, it } from 'vitest';
import { fullRequest } from './__fixtures__/records.js';
import { encodeRow, POSTGRES_ENCODING, REQUEST_COLUMNS, SQLITE_ENCODING } from './columns.js';
import { decodeKey, decodeRequest, number } from './decode-rows.js';

/** A row as a driver would return it, from values encoded in column order. */
function asRow(values: unknown[]): Record<string, unknown> {
  return Object.fromEntries(REQUEST_COLUMNS.map((column, index) => [column.name, values[index]]));
}

describe('rows', () => {
  it('round-trips a request through each encoding', () => {
    const record = fullRequest();
    expect(decodeRequest(asRow(encodeRow(REQUEST_COLUMNS, record, SQLITE_ENCODING)))).toStrictEqual(record);
    expect(decodeRequest(asRow(encodeRow(REQUEST_COLUMNS, record, POSTGRES_ENCODING)))).toStrictEqual(record);
  });

  it('binds what each driver accepts, and makes odd numbers harmless', () => {
    const record = fullRequest({
      inputTokens: 12.6,
      costUsd: Number.POSITIVE_INFINITY,
      errorMessage: 'a\u0000b',
    });
    const sqlite = asRow(encodeRow(REQUEST_COLUMNS, record, SQLITE_ENCODING));
    expect(sqlite).toMatchObject({ stream: 1, client_disconnected: 0, input_tokens: 13, cost_usd: null });
    expect(sqlite.changes).toBe(JSON.stringify(record.changes));
    expect(sqlite.error_message).toBe('a\u0000b');
    const postgres = asRow(encodeRow(REQUEST_COLUMNS, record, POSTGRES_ENCODING));
    expect(postgres).toMatchObject({ stream: true, changes: record.changes, error_message: 'a\uFFFDb' });
  });

  it('reads int8 strings, bigints and Postgres booleans, and tolerates bad JSON', () => {
    expect(number('1718000000000')).toBe(1718000000000);
    expect(number(5n)).toBe(5);
    expect(number('')).toBeUndefined();
    expect(number('abc')).toBeUndefined();
    const decoded = decodeRequest({
      id: 'x',
      time: '5',
      stream: 't',
      changes: '{not json',
      dialect: 'klingon',
    });
    expect(decoded).toMatchObject({ time: 5, stream: true, changes: [], dialect: 'anthropic' });
    const key = decodeKey({ id: 'k', allowed_models: ['a', 1], residency: 'moon', metadata: '[1]' });
    expect(key.allowedModels).toEqual(['a']);
    expect(key).not.toHaveProperty('residency');
    expect(key).not.toHaveProperty('metadata');
  });
});
