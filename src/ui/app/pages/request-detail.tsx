import type { ComponentChildren } from 'preact';
import { Failure, Loading, PageTitle, StatusCode } from '../components/bits.js';
import { count, duration, prettyBody, time, usd } from '../format.js';
import { page } from '../router.js';
import type { AttemptRecord, RequestRecord } from '../types.js';
import { useApi } from '../use-api.js';

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children ?? '—'}</dd>
    </>
  );
}

function Body({ title, text }: { title: string; text: string | undefined }) {
  return (
    <details class="body" open={text !== undefined && text.length < 20_000}>
      <summary>{title}</summary>
      {text === undefined ? <p class="muted">Not kept (store.bodies).</p> : <pre>{prettyBody(text)}</pre>}
    </details>
  );
}

/** One request of the activity log: who, what, where it went, each attempt, what changed, the bodies as kept. */
export function RequestDetailPage({ id }: { id: string }) {
  const { data, error, loading } = useApi<{ request: RequestRecord; attempts: AttemptRecord[] }>(
    `/admin/requests/${encodeURIComponent(id)}`,
  );
  if (error) return <Failure message={error} />;
  if (!data || loading) return <Loading what="the request" />;
  const { request, attempts } = data;
  return (
    <section>
      <p class="crumbs">
        <a href={page('requests')}>Requests</a> / {request.id}
      </p>
      <PageTitle>
        Request <code>{request.id}</code> <StatusCode status={request.status} />
      </PageTitle>
      <dl class="facts">
        <Row label="Time (UTC)">{time(request.time)}</Row>
        <Row label="Key">{request.keyName}</Row>
        <Row label="User / group">
          {[request.userName ?? request.userEmail, request.group].filter(Boolean).join(' / ') || undefined}
        </Row>
        <Row label="Dialect">
          {request.dialect} · {request.operation}
          {request.stream ? ' · streamed' : ''}
        </Row>
        <Row label="Model asked for">{request.requestedModel}</Row>
        <Row label="Model">{request.model}</Row>
        <Row label="Served by">
          {request.platform
            ? `${request.platform}${request.region ? ` ${request.region}` : ''}${request.scope ? ` (${request.scope})` : ''} · ${request.upstreamModelId ?? ''}`
            : undefined}
        </Row>
        <Row label="Session">
          {request.sessionId ? (
            <a href={page('sessions', request.sessionId)}>{request.sessionId}</a>
          ) : undefined}
        </Row>
        <Row label="Agent">
          {request.agentId
            ? `${request.agentId}${request.parentAgentId ? ` (started by ${request.parentAgentId})` : ''}`
            : undefined}
        </Row>
        <Row label="Stop reason">{request.stopReason}</Row>
        <Row label="Error">
          {request.errorType ? `${request.errorType}: ${request.errorMessage ?? ''}` : undefined}
        </Row>
        <Row label="Tokens">
          {count(request.inputTokens)} in, {count(request.outputTokens)} out, {count(request.cacheReadTokens)}{' '}
          cache read, {count(request.cacheWriteTokens)} cache write
        </Row>
        <Row label="Cost">{usd(request.costUsd, request.costEstimated)}</Row>
        <Row label="First byte / duration">
          {duration(request.ttfbMs)} / {duration(request.durationMs)}
        </Row>
        <Row label="Client">
          {[request.clientAddress, request.userAgent].filter(Boolean).join(' · ') || undefined}
          {request.clientDisconnected ? ' (went away)' : ''}
        </Row>
      </dl>

      <h2>Attempts</h2>
      {attempts.length === 0 ? (
        <p>No upstream attempt (answered by the gateway itself).</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Target</th>
                <th scope="col">Upstream model</th>
                <th scope="col">Status</th>
                <th scope="col">Outcome</th>
                <th scope="col">Error</th>
                <th scope="col" class="number">
                  First byte
                </th>
                <th scope="col" class="number">
                  Duration
                </th>
              </tr>
            </thead>
            <tbody>
              {attempts.map((attempt) => (
                <tr key={attempt.attempt}>
                  <td>{attempt.attempt}</td>
                  <td>{[attempt.platform, attempt.region, attempt.scope].filter(Boolean).join(' ')}</td>
                  <td>
                    <code>{attempt.upstreamModelId}</code>
                  </td>
                  <td>
                    {attempt.status !== undefined ? <StatusCode status={attempt.status} /> : 'no answer'}
                  </td>
                  <td>{attempt.outcome}</td>
                  <td>{attempt.errorType ? `${attempt.errorType}: ${attempt.errorMessage ?? ''}` : '—'}</td>
                  <td class="number">{duration(attempt.ttfbMs)}</td>
                  <td class="number">{duration(attempt.durationMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>Changes</h2>
      {request.changes.length === 0 ? (
        <p>The gateway changed nothing.</p>
      ) : (
        <ul class="changes">
          {request.changes.map((change) => (
            <li key={change}>
              <code>{change}</code>
            </li>
          ))}
        </ul>
      )}

      <h2>Bodies</h2>
      <Body title="Request body" text={request.requestBody} />
      <Body title="Response body" text={request.responseBody} />
    </section>
  );
}
