/**
 * Rate limit messages in plain English: "1 request per minute", "Retry after 1 second".
 */

import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord, Store } from '../store/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { KeyLimits } from './limits.js';

describe('KeyLimits messages', () => {
  it('says "1 request per minute" and "Retry after 1 second"', async () => {
    let now = 1_000_000;
    const limits = new KeyLimits({} as Store, () => now);
    const key = {
      id: 'k',
      name: 'k',
      prefix: 'p',
      hash: 'h',
      createdAt: 0,
      requestsPerMinute: 1,
    } as ApiKeyRecord;
    await limits.admit(key);
    now += 59_500;
    const error = await limits.admit(key).catch((thrown: unknown) => thrown as GatewayError);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).message).toBe(
      'This gateway key exceeded its rate limit of 1 request per minute. Retry after 1 second, or ask for a higher limit.',
    );
  });
});
