import { describe, expect, it } from 'vitest';
import { FailedSignIns, tooManyFailures } from './failed-sign-ins.js';

describe('failed sign-ins per address', () => {
  it('lets an address fail `limit` times in the window, then makes it wait for the oldest to leave', () => {
    let now = 1_000_000;
    const failures = new FailedSignIns({ clock: () => now, limit: 3, windowMs: 60_000 });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(failures.retryAfterMs('10.0.0.1')).toBe(0);
      failures.note('10.0.0.1');
      now += 1000;
    }
    expect(failures.retryAfterMs('10.0.0.1')).toBe(57_000);
    expect(failures.retryAfterMs('10.0.0.2')).toBe(0);
    now += 57_000;
    expect(failures.retryAfterMs('10.0.0.1')).toBe(0);
    failures.note('10.0.0.1');
    expect(failures.retryAfterMs('10.0.0.1')).toBe(1000);
  });

  it('says how long in whole seconds and minutes', () => {
    expect(tooManyFailures(61_500)).toEqual({
      retryAfter: '62',
      message: 'Too many failed sign-ins from your address: try again in 2 minutes.',
    });
    expect(tooManyFailures(10).retryAfter).toBe('1');
  });
});
