import { keyForFilter } from '../store/key-reference.js';
import type { ReportRow, ReportTotals } from '../store/report-sql.js';
import type { Store } from '../store/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import type { Exchange } from './exchange.js';
import { ReportParameterError, type ReportRequest, reportRequest } from './report-parameters.js';

/** `GET /admin/report`'s answer: what was asked, the buckets and their sum. */
export interface ReportAnswer {
  by: ReportRequest['by'];
  /** ISO times: the window is `since` inclusive, `until` exclusive. */
  since: string;
  until: string;
  rows: ReportRow[];
  totals: ReportTotals;
}

function badParameter(message: string): GatewayError {
  return new GatewayError({ status: 400, type: 'invalid_request_error', message });
}

/**
 * Runs a report request against the store: resolves `key` (an id, name or
 * prefix, revoked keys too), then the one report query. An unknown key is a 404.
 *
 * @example
 * await runReport(store, reportRequest({ by: 'day,model' }, Date.now())) // { by: ['day', 'model'], since: '…', rows: […], totals: {…} }
 */
export async function runReport(
  store: Pick<Store, 'report' | 'listKeys'>,
  request: ReportRequest,
): Promise<ReportAnswer> {
  let keyId: string | undefined;
  if (request.keyReference !== undefined) {
    const key = keyForFilter(await store.listKeys({ includeRevoked: true }), request.keyReference);
    if (!key) {
      throw new GatewayError({
        status: 404,
        type: 'not_found_error',
        message: `No gateway key matches "${request.keyReference}" (by id, name or prefix); see GET /admin/keys?all=true.`,
      });
    }
    keyId = key.id;
  }
  const report = await store.report(request.by, {
    ...request.filter,
    since: request.since,
    until: request.until,
    ...(keyId ? { keyId } : {}),
  });
  return {
    by: request.by,
    since: new Date(request.since).toISOString(),
    until: new Date(request.until).toISOString(),
    rows: report.rows,
    totals: report.totals,
  };
}

/**
 * `GET /admin/report?by=day,model&since=30d[&until=…][&key=…][&user=…][&group=…][&model=…][&platform=…]`:
 * spend, tokens, requests and errors per bucket. A bad parameter is a 400
 * naming it and what it accepts. Times are relative to the wall clock, as the
 * log's rows are.
 */
export async function reportAnswer(
  exchange: Exchange,
  store: Pick<Store, 'report' | 'listKeys'>,
): Promise<ReportAnswer> {
  const parameters: Record<string, string> = {};
  for (const [name, value] of exchange.query) {
    if (name in parameters) {
      const hint = name === 'by' ? ' (two dimensions go in one, comma-separated: by=day,model)' : '';
      throw badParameter(`${name} is given more than once; give it once${hint}`);
    }
    parameters[name] = value;
  }
  let request: ReportRequest;
  try {
    request = reportRequest(parameters, Date.now());
  } catch (error) {
    if (error instanceof ReportParameterError) throw badParameter(error.message);
    throw error;
  }
  return runReport(store, request);
}
