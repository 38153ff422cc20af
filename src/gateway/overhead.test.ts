import { describe, expect, it } from 'vitest';
import type { AttemptReport } from '../engine/engine.js';
import type { RequestRecord } from '../store/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { attemptFailureReason } from './attempt-reason.js';
import { gatewayOverhead } from './overhead.js';

const target = { platform: 'bedrock' } as AttemptReport['target'];
const row = (fields: Partial<RequestRecord>) =>
  ({ time: 1_000, status: 200, stream: false, ...fields }) as RequestRecord;
const attempt = (fields: Partial<AttemptReport>): AttemptReport => ({
  attempt: 1,
  target,
  startedAt: 1_000,
  outcome: 'success',
  changes: [],
  ...fields,
});

describe('gatewayOverhead', () => {
  it('is the time before the first attempt plus the time after the upstream answered (whole answers)', () => {
    // Arrived at 1000; first attempt at 1004 (failed, retried); serving attempt 1100–1300, first byte at 1150;
    // first byte to the client at 1302 (ttfb 302), last at 1303.
    const overhead = gatewayOverhead(
      row({ ttfbMs: 302 }),
      [
        attempt({ startedAt: 1_004, outcome: 'retried' }),
        attempt({ attempt: 2, startedAt: 1_100, ttfbMs: 50, durationMs: 200 }),
      ],
      1_303,
    );
    expect(overhead.firstByte).toBeCloseTo((302 - (1_150 - 1_004)) / 1000);
    expect(overhead.lastByte).toBeCloseTo((303 - (1_300 - 1_004)) / 1000);
  });

  it("ends a stream's upstream time at its row (finished on the last upstream chunk)", () => {
    const overhead = gatewayOverhead(
      row({ stream: true, ttfbMs: 12, durationMs: 900 }),
      [attempt({ startedAt: 1_003, ttfbMs: 8, durationMs: 8 })],
      1_905,
    );
    expect(overhead.firstByte).toBeCloseTo((12 - 8) / 1000);
    expect(overhead.lastByte).toBeCloseTo((905 - (1_900 - 1_003)) / 1000);
  });

  it('has none for refused, failed and abandoned requests', () => {
    expect(gatewayOverhead(row({ status: 403 }), [], 2_000)).toEqual({});
    expect(gatewayOverhead(row({ status: 502 }), [attempt({ outcome: 'failed', ttfbMs: 5 })], 2_000)).toEqual(
      {},
    );
    expect(
      gatewayOverhead(row({ clientDisconnected: true }), [attempt({ ttfbMs: 5, durationMs: 9 })], 2_000),
    ).toEqual({});
  });
});

describe('attemptFailureReason', () => {
  const reason = (error: GatewayError, outcome: AttemptReport['outcome'] = 'failed-over') =>
    attemptFailureReason({ error, outcome });
  it('names each kind of failure in a stable word', () => {
    expect(reason(new GatewayError({ status: 429, message: 'slow down' }))).toBe('rate_limited');
    expect(reason(new GatewayError({ status: 529, message: 'overloaded' }))).toBe('overloaded');
    expect(reason(new GatewayError({ status: 500, message: 'oops' }))).toBe('server_error');
    expect(reason(GatewayError.fromCode('UPSTREAM_TIMEOUT', { platform: 'x', duration: '1 s' }))).toBe(
      'timeout',
    );
    expect(reason(GatewayError.fromCode('UPSTREAM_UNREACHABLE', { platform: 'x', reason: 'reset' }))).toBe(
      'connection',
    );
    expect(reason(new GatewayError({ status: 403, message: 'no access' }))).toBe('denied');
    expect(reason(new GatewayError({ status: 404, message: 'no such model' }))).toBe('model_unavailable');
    expect(reason(new GatewayError({ status: 400, message: 'Unexpected value(s) `x`' }), 'retried')).toBe(
      'rejected_beta',
    );
  });
});
