/**
 * `claude-gateway report`: the store read directly (no gateway running), a
 * table with a totals line, CSV and JSON, and one clear line for bad options.
 */

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, request, T0 } from '../store/__fixtures__/records.js';
import { openStore } from '../store/open-store.js';
import { runCli, temporaryFolder, writeConfig } from './__fixtures__/run-cli.js';

let folder: { path: string; remove: () => void };
let config: string;
const WINDOW = ['--since', '2025-01-01', '--until', '2025-01-03'];

beforeAll(async () => {
  folder = temporaryFolder();
  const url = `sqlite://${join(folder.path, 'gateway.db')}`;
  config = writeConfig(folder.path, { store: { url } });
  const store = await openStore(`${url}?writer=inline`);
  const ci = (await store.createKey({ name: 'ci' })).record;
  const ada = { userId: 'u-ada', userName: 'Ada', userEmail: 'ada@example.com', group: 'research' };
  await store.recordRequest(
    request({
      id: 'a1',
      time: T0 + 3_600_000,
      ...ada,
      model: 'claude-opus-5-5',
      platform: 'bedrock',
      inputTokens: 1000,
      outputTokens: 100,
      cacheReadTokens: 40,
      costUsd: 0.25,
    }),
  );
  await store.recordRequest(
    request({
      id: 'a2',
      time: T0 + DAY,
      ...ada,
      model: 'claude-haiku-5-5',
      platform: 'vertex',
      costUsd: 1.5,
      costEstimated: true,
    }),
  );
  await store.recordRequest(
    request({
      id: 'c1',
      time: T0 + DAY + 60_000,
      keyId: ci.id,
      keyName: 'ci, nightly',
      model: 'claude-opus-5-5',
      platform: 'anthropic',
      status: 500,
      costUsd: 0.05,
    }),
  );
  await store.close();
});
afterAll(() => folder.remove());

describe('report', () => {
  it('prints a table per user with a totals line, (est.) where a price is unconfirmed', async () => {
    const run = await runCli(['report', '--by', 'user', ...WINDOW, '--config', config]);
    expect(run.error).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.out[0]).toMatch(
      /^USER\s+REQUESTS\s+ERRORS\s+INPUT\s+OUTPUT\s+CACHE READ\s+CACHE WRITE\s+COST$/,
    );
    expect(run.out[1]).toMatch(/^Ada\s+2\s+0\s+1010\s+105\s+40\s+0\s+\$1\.75 \(est\.\)$/);
    expect(run.out[2]).toMatch(/^-\s+1\s+1\s+10\s+5\s+0\s+0\s+\$0\.050000$/);
    expect(run.out[3]).toBe(
      '3 requests, 1 error, 1020 input / 110 output tokens (40 cache read, 0 cache write), $1.80 (est.), ' +
        '2025-01-01T00:00Z to 2025-01-03T00:00Z',
    );
  });

  it('groups by day and model, and filters by key, user, group, model and platform', async () => {
    const run = await runCli(['report', '--by', 'day,model', ...WINDOW, '--config', config]);
    expect(run.out.slice(1, -1).map((line) => line.split(/\s{2,}/).slice(0, 3))).toEqual([
      ['2025-01-01', 'claude-opus-5-5', '1'],
      ['2025-01-02', 'claude-haiku-5-5', '1'],
      ['2025-01-02', 'claude-opus-5-5', '1'],
    ]);
    const byKey = await runCli(['report', '--by', 'key', '--key', 'ci', ...WINDOW, '--config', config]);
    expect(byKey.out.at(-1)).toMatch(/^1 request, 1 error, /);
    for (const [flag, value, requests] of [
      ['--user', 'ada@example.com', 2],
      ['--group', 'research', 2],
      ['--model', 'claude-opus-5-5', 2],
      ['--platform', 'vertex', 1],
    ] as const) {
      const filtered = await runCli([
        'report',
        '--by',
        'platform',
        flag,
        value,
        ...WINDOW,
        '--config',
        config,
      ]);
      expect(filtered.out.at(-1), `${flag} ${value}`).toMatch(new RegExp(`^${requests} requests?, `));
    }
    const none = await runCli([
      'report',
      '--by',
      'hour',
      '--since',
      '2024-01-01',
      '--until',
      '2024-01-02',
      '--config',
      config,
    ]);
    expect(none.out[0]).toBe('No requests match.');
  });

  it('prints CSV (totals on stderr) and the JSON of GET /admin/report', async () => {
    const csv = await runCli(['report', '--by', 'key,platform', ...WINDOW, '--csv', '--config', config]);
    expect(csv.out).toEqual([
      'key,platform,requests,errors,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,costUsd,costEstimated',
      '"ci, nightly",anthropic,1,1,10,5,0,0,0.05,false',
      ',vertex,1,0,10,5,0,0,1.5,true',
      ',bedrock,1,0,1000,100,40,0,0.25,false',
    ]);
    expect(csv.error[0]).toMatch(/^3 requests, /);
    const json = await runCli(['report', '--by', 'group', ...WINDOW, '--json', '--config', config]);
    expect(JSON.parse(json.text)).toStrictEqual({
      by: ['group'],
      since: '2025-01-01T00:00:00.000Z',
      until: '2025-01-03T00:00:00.000Z',
      rows: [
        {
          group: 'research',
          requests: 2,
          errors: 0,
          inputTokens: 1010,
          outputTokens: 105,
          cacheReadTokens: 40,
          cacheWriteTokens: 0,
          costUsd: 1.75,
          costEstimated: true,
        },
        {
          group: null,
          requests: 1,
          errors: 1,
          inputTokens: 10,
          outputTokens: 5,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          costUsd: 0.05,
          costEstimated: false,
        },
      ],
      totals: {
        requests: 3,
        errors: 1,
        inputTokens: 1020,
        outputTokens: 110,
        cacheReadTokens: 40,
        cacheWriteTokens: 0,
        costUsd: 1.8,
        costEstimated: true,
      },
    });
  });

  it('lets logs filter by user and group too', async () => {
    const run = await runCli([
      'logs',
      '--user',
      'Ada',
      '--group',
      'research',
      '--since',
      '2025-01-01',
      '--config',
      config,
    ]);
    expect(run.out[1]).toMatch(/^2025-01-02 00:00:00\s+-\s+Ada\s+research\s+/);
    expect(run.out.at(-1)).toMatch(/^2 requests, /);
  });

  it.each([
    [[], 2, '--by is required: one or two (comma-separated) of user, group, key, model, platform, day, hour'],
    [['--by', 'team'], 2, '--by must be one or two (comma-separated) of user, group'],
    [['--by', 'day', '--since', 'last week'], 2, '--since must be a time ago (30m, 12h, 30d) or an ISO date'],
    [['--by', 'day', '--since', '1d', '--until', '2d'], 2, '--since ('],
    [['--by', 'day', '--csv', '--json'], 2, 'give --csv or --json, not both'],
    [['--by', 'day', '--key', 'nobody'], 1, 'no gateway key matches "nobody"'],
  ])('refuses %j with one clear line', async (flags, code, expected) => {
    const run = await runCli(['report', ...flags, '--config', config]);
    expect(run.code).toBe(code);
    expect(run.error).toHaveLength(1);
    expect(run.error[0]).toContain(`claude-gateway report: ${expected}`);
  });
});
