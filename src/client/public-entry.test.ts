import { describe, expect, it } from 'vitest';
import * as entry from '../index.js';

describe('the package entry', () => {
  it('exports the client, its error, the streaming helpers, catalog lookups, the emulator and the gateway', () => {
    for (const name of [
      'Claude',
      'ClaudeError',
      'MessageStream',
      'GatewayError',
      'ConfigError',
      'MessageAccumulator',
      'buildInvalidToolResult',
      'wrapInvalidJson',
      'hasFineGrainedToolStreaming',
      'resolveModel',
      'findModel',
      'listModels',
      'deprecationNotice',
      'costOfUsage',
      'startEmulator',
      'startGateway',
      'parseTarget',
    ]) {
      expect(entry, name).toHaveProperty(name);
    }
    expect(
      new entry.ClaudeError(new entry.GatewayError({ status: 529, message: 'Overloaded' })),
    ).toMatchObject({
      name: 'ClaudeError',
      type: 'overloaded_error',
      retryable: true,
    });
    expect(entry.resolveModel('sonnet').model?.name).toBe('claude-sonnet-5-5');
  });
});
