/** The admin API's answers, as the pages read them. */
export type {
  ApiKeyRecord,
  AttemptRecord,
  RequestRecord,
  RequestSummary,
  SessionSummary,
  UsageTotals,
} from '../../store/types.js';

import type { ApiKeyRecord, RequestRecord, SessionSummary } from '../../store/types.js';

export type PublicKey = Omit<ApiKeyRecord, 'hash'>;

/** `GET /admin/sessions/{id}` (see src/gateway/admin-sessions.ts). */
export interface SessionDetail {
  session: SessionSummary;
  agents: SessionAgent[];
  tools: Record<string, number> | null;
  requests: (RequestRecord & { tools?: string[] })[];
  truncated: boolean;
}

export interface SessionAgent {
  agentId?: string;
  parentAgentId?: string;
  requests: number;
  turns: number;
  toolTurns: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  firstTime: number;
  lastTime: number;
  tools?: Record<string, number>;
}

/** `GET /admin/in-flight` (see src/gateway/in-flight.ts). */
export interface InFlightRequest {
  id: string;
  time: number;
  elapsedMs: number;
  phase: 'waiting' | 'streaming' | 'answering';
  dialect: string;
  operation: string;
  stream: boolean;
  keyId?: string;
  keyName?: string;
  sessionId?: string;
  agentId?: string;
  requestedModel?: string;
  model?: string;
  platform?: string;
  region?: string;
  ttfbMs?: number;
  bytesSent: number;
  clientAddress?: string;
}

/** `GET /admin/report` (the report API): one row per combination of the asked dimensions. */
export type ReportDimension = 'user' | 'group' | 'key' | 'model' | 'platform' | 'day' | 'hour';

export interface ReportRow {
  day?: string;
  hour?: string;
  user?: string | null;
  group?: string | null;
  key?: string | null;
  model?: string | null;
  platform?: string | null;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  costEstimated?: boolean;
}

export interface Report {
  by: ReportDimension[];
  since: string;
  until: string;
  rows: ReportRow[];
  totals: Omit<ReportRow, ReportDimension>;
}
