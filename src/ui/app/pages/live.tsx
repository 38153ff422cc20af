import { Failure, Loading, PageTitle } from '../components/bits.js';
import { bytes, duration, short, time } from '../format.js';
import { page } from '../router.js';
import type { InFlightRequest } from '../types.js';
import { useApi } from '../use-api.js';

const REFRESH_MS = 2000;

/** The requests being answered right now (this replica), refreshed every two seconds. */
export function LivePage() {
  const { data, error } = useApi<{ requests: InFlightRequest[] }>('/admin/in-flight', REFRESH_MS);
  return (
    <section>
      <PageTitle>Live</PageTitle>
      <p class="muted">
        Requests this gateway process is answering now, refreshed every {REFRESH_MS / 1000} s. Each replica
        shows its own.
      </p>
      <Failure message={error} />
      {!data ? <Loading what="in-flight requests" /> : null}
      {data ? (
        <>
          <p aria-live="polite">
            <strong>{data.requests.length}</strong> in flight,{' '}
            {data.requests.filter((r) => r.phase === 'streaming').length} streaming.
          </p>
          {data.requests.length > 0 ? (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Started (UTC)</th>
                    <th scope="col">Request</th>
                    <th scope="col">Key</th>
                    <th scope="col">Model</th>
                    <th scope="col">Target</th>
                    <th scope="col">Phase</th>
                    <th scope="col" class="number">
                      Elapsed
                    </th>
                    <th scope="col" class="number">
                      First byte
                    </th>
                    <th scope="col" class="number">
                      Sent
                    </th>
                    <th scope="col">Session</th>
                  </tr>
                </thead>
                <tbody>
                  {data.requests.map((request) => (
                    <tr key={request.id}>
                      <td class="when">{time(request.time)}</td>
                      <td>
                        <code title={request.id}>{short(request.id, 14)}</code>
                      </td>
                      <td>{request.keyName ?? '—'}</td>
                      <td>{request.model ?? request.requestedModel ?? '—'}</td>
                      <td>
                        {request.platform
                          ? [request.platform, request.region].filter(Boolean).join('/')
                          : '—'}
                      </td>
                      <td>
                        <span class={`badge ${request.phase === 'waiting' ? 'warn' : 'good'}`}>
                          {request.phase}
                        </span>
                      </td>
                      <td class="number">{duration(request.elapsedMs)}</td>
                      <td class="number">{duration(request.ttfbMs)}</td>
                      <td class="number">{bytes(request.bytesSent)}</td>
                      <td>
                        {request.sessionId ? (
                          <a href={page('sessions', request.sessionId)}>{short(request.sessionId, 10)}</a>
                        ) : (
                          '—'
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p>Nothing in flight.</p>
          )}
        </>
      ) : null}
    </section>
  );
}
