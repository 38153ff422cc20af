import type { AttemptRecord, RequestRecord } from '../types.js';

/** 2025-01-01T00:00:00Z: a fixed clock for activity rows in tests. */
export const T0 = Date.UTC(2025, 0, 1);
export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

/** A request record with every optional field set (so round trips check them all). */
export function fullRequest(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: 'req_full',
    time: T0,
    keyId: 'key_full',
    keyName: 'full',
    userId: 'user-00u1ab',
    userName: 'Ada Lovelace',
    userEmail: 'ada@example.com',
    group: 'platform-team',
    sessionId: 'session-full',
    agentId: 'agent-7f3a',
    parentAgentId: 'agent-root',
    dialect: 'bedrock',
    operation: 'messages',
    requestedModel: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    model: 'claude-sonnet-4-5',
    platform: 'vertex',
    region: 'global',
    scope: 'global',
    upstreamModelId: 'claude-sonnet-4-5@20250929',
    stream: true,
    status: 200,
    errorType: 'overloaded_error',
    errorMessage: 'first attempt: Overloaded – “quoted” ✓',
    stopReason: 'end_turn',
    inputTokens: 1200,
    outputTokens: 345,
    cacheReadTokens: 1000,
    cacheWriteTokens: 50,
    costUsd: 0.012345,
    ttfbMs: 412.5,
    durationMs: 2301,
    attemptCount: 2,
    changes: ['dropped-beta:web-search-2025-03-05', 'failover:bedrock/global→vertex/global'],
    requestBody: '{"max_tokens":1024,"messages":[{"role":"user","content":"héllo 👋"}]}',
    responseBody: 'event: message_start\ndata: {}\n\n',
    clientAddress: '10.0.0.7',
    userAgent: 'claude-cli/2.1.197 (external, cli)',
    clientDisconnected: false,
    ...overrides,
  };
}

/** A request record with only the required fields. */
export function request(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: 'req_1',
    time: T0,
    dialect: 'anthropic',
    operation: 'messages',
    stream: false,
    status: 200,
    inputTokens: 10,
    outputTokens: 5,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    attemptCount: 1,
    changes: [],
    clientDisconnected: false,
    ...overrides,
  };
}

/** An attempt record. */
export function attempt(overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    requestId: 'req_1',
    attempt: 1,
    time: T0,
    platform: 'bedrock',
    region: 'us-east-1',
    scope: 'global',
    upstreamModelId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    status: 200,
    outcome: 'success',
    ttfbMs: 300,
    durationMs: 1000,
    inputTokens: 10,
    outputTokens: 5,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0.001,
    ...overrides,
  };
}
