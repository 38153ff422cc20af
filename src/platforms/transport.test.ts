/**
 * Transport failures as messages: each platform by one name, written for the
 * middle of a sentence and capitalised at its start; seconds in words.
 */

import { errors as undiciErrors } from 'undici';
import { describe, expect, it } from 'vitest';
import type { Platform } from '../catalog/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { PLATFORM_NAMES } from '../wire/errors/platform-names.js';
import { DEFAULT_TRANSPORT_OPTIONS, transportError } from './transport.js';

const PLATFORMS: Platform[] = ['anthropic', 'bedrock', 'vertex', 'foundry'];
const oneSecond = {
  ...DEFAULT_TRANSPORT_OPTIONS,
  firstByteTimeoutMs: 1_000,
  idleTimeoutMs: 1_000,
  connectTimeoutMs: 1_000,
};

describe('transportError messages', () => {
  it('reads "Could not reach the Anthropic API", never "The The" or a capital The mid-sentence', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(transportError(refused, 'anthropic', oneSecond).message).toBe(
      'Could not reach the Anthropic API: ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:9)',
    );
    for (const platform of PLATFORMS) {
      const messages = [
        transportError(refused, platform, oneSecond).message,
        transportError(new undiciErrors.HeadersTimeoutError(), platform, oneSecond).message,
        transportError(new undiciErrors.BodyTimeoutError(), platform, oneSecond).message,
        transportError(new undiciErrors.ConnectTimeoutError(), platform, oneSecond).message,
        GatewayError.fromCode('UPSTREAM_STREAM_INTERRUPTED', {
          platform: PLATFORM_NAMES[platform],
          reason: 'reset',
        }).message,
      ];
      for (const message of messages) {
        expect(message).not.toMatch(/The The|the The|the the/i);
        // "The Anthropic API" only where a sentence starts.
        expect(message).not.toMatch(/.The Anthropic API/);
        expect(message.charAt(0)).toBe(message.charAt(0).toUpperCase());
        expect(message).not.toMatch(/\b1 seconds\b/);
      }
    }
  });

  it('capitalises a name that starts a message', () => {
    expect(
      GatewayError.fromCode('UPSTREAM_STREAM_INTERRUPTED', {
        platform: PLATFORM_NAMES.anthropic,
        reason: 'reset',
      }).message,
    ).toBe('The Anthropic API stream ended before the message was complete: reset');
    expect(transportError(new undiciErrors.HeadersTimeoutError(), 'anthropic', oneSecond).message).toBe(
      'The Anthropic API did not answer within 1 second.',
    );
    expect(transportError(new undiciErrors.BodyTimeoutError(), 'bedrock', oneSecond).message).toBe(
      'Amazon Bedrock stream ended before the message was complete: no data for 1 second',
    );
  });
});
