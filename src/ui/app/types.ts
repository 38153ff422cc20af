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

/** `GET /admin/report` (the report API): one row per combination of the asked dimensions. */
export type { ReportAnswer as Report } from '../../gateway/admin-report.js';
export type { SessionAgent } from '../../gateway/admin-sessions.js';
/** `GET /admin/in-flight`. */
export type { InFlightRequest } from '../../gateway/in-flight.js';
export type { ReportDimension, ReportRow } from '../../store/report-sql.js';

import type { SessionAgent } from '../../gateway/admin-sessions.js';

/** Users, groups and service tokens (see src/gateway/admin-identity.ts). */
export type { GroupRecord, MemberPolicy, UserRecord } from '../../store/identity-types.js';

import type { GroupRecord, ServiceTokenRecord } from '../../store/identity-types.js';

/** `GET /admin/groups`: each group with its members. */
export type GroupWithMembers = GroupRecord & { members: { id: string; name: string }[] };
export type PublicToken = Omit<ServiceTokenRecord, 'hash'>;
