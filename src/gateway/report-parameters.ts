import { REPORT_DIMENSIONS, type ReportDimension } from '../store/report-sql.js';
import type { ActivityFilter } from '../store/types.js';

/** The parameters of a usage report, as `GET /admin/report` and `claude-gateway report` take them. */
export const REPORT_PARAMETERS = [
  'by',
  'since',
  'until',
  'key',
  'user',
  'group',
  'model',
  'platform',
] as const;

export type ReportParameter = (typeof REPORT_PARAMETERS)[number];

/** How far back a report reaches unless `since` says otherwise (the log's default retention). */
export const DEFAULT_REPORT_SINCE = '30d';

/** A report parameter that cannot be used: names it (`by`, or `--by` on the command line) and what it accepts. */
export class ReportParameterError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

/** A report to run: its dimensions, window and filters (the key still as given: an id, name or prefix). */
export interface ReportRequest {
  by: ReportDimension[];
  since: number;
  until: number;
  filter: Omit<ActivityFilter, 'since' | 'until' | 'keyId'>;
  keyReference?: string;
}

const UNITS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

function timeOf(name: string, value: string, now: number): number {
  const relative = /^(\d+)([smhd])$/.exec(value.trim());
  if (relative) return now - Number(relative[1]) * UNITS[relative[2] as keyof typeof UNITS];
  const time = /^\d+$/.test(value.trim()) ? Number.NaN : Date.parse(value);
  if (Number.isNaN(time)) {
    throw new ReportParameterError(
      name,
      `${name} must be a time ago (30m, 12h, 30d) or an ISO date (2026-12-01, 2026-12-01T09:00Z); got "${value}"`,
    );
  }
  return time;
}

/**
 * The dimensions of `by`: one, or two comma-separated (`day,model`).
 *
 * @example
 * reportDimensions('day,model') // ['day', 'model']
 */
export function reportDimensions(value: string | undefined, name = 'by'): ReportDimension[] {
  const accepted = `one or two (comma-separated) of ${REPORT_DIMENSIONS.join(', ')}`;
  if (value === undefined || value.trim() === '') {
    throw new ReportParameterError(name, `${name} is required: ${accepted}, e.g. day,model`);
  }
  const parts = value.split(',').map((part) => part.trim().toLowerCase());
  const unknown = parts.find((part) => !(REPORT_DIMENSIONS as readonly string[]).includes(part));
  if (unknown !== undefined || parts.length > 2 || new Set(parts).size !== parts.length) {
    const problem =
      unknown !== undefined
        ? `"${unknown}" is not a dimension`
        : parts.length > 2
          ? 'at most two dimensions'
          : 'a dimension given twice';
    throw new ReportParameterError(name, `${name} must be ${accepted}; got "${value}" (${problem})`);
  }
  return parts as ReportDimension[];
}

/**
 * A report request from its parameters (query parameters, or the CLI's
 * options with `prefix: '--'` so errors name them as typed). `since` is 30
 * days ago unless given, `until` now. Unknown parameters are refused.
 *
 * @example
 * reportRequest({ by: 'user', since: '7d' }, Date.now()).by // ['user']
 */
export function reportRequest(
  parameters: Readonly<Record<string, string | undefined>>,
  now: number,
  prefix = '',
): ReportRequest {
  for (const name of Object.keys(parameters)) {
    if (!(REPORT_PARAMETERS as readonly string[]).includes(name)) {
      throw new ReportParameterError(
        `${prefix}${name}`,
        `${prefix}${name} is not a report parameter; the parameters are ${REPORT_PARAMETERS.map((parameter) => `${prefix}${parameter}`).join(', ')}`,
      );
    }
  }
  const by = reportDimensions(parameters.by, `${prefix}by`);
  const since = timeOf(`${prefix}since`, parameters.since ?? DEFAULT_REPORT_SINCE, now);
  const until = parameters.until === undefined ? now : timeOf(`${prefix}until`, parameters.until, now);
  if (since >= until) {
    throw new ReportParameterError(
      `${prefix}since`,
      `${prefix}since (${new Date(since).toISOString()}) must be before ${prefix}until (${new Date(until).toISOString()})`,
    );
  }
  const filter: ReportRequest['filter'] = {};
  for (const name of ['user', 'group', 'model', 'platform'] as const) {
    const value = parameters[name]?.trim();
    if (value) filter[name] = value;
  }
  const keyReference = parameters.key?.trim();
  return { by, since, until, filter, ...(keyReference ? { keyReference } : {}) };
}
