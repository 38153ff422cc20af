import { useState } from 'preact/hooks';
import { query } from '../api.js';
import { Failure, Loading, PageTitle, StatusCode } from '../components/bits.js';
import { RangeSelect } from '../components/range.js';
import { count, duration, short, time, usd } from '../format.js';
import { navigate, page, type Route } from '../router.js';
import type { RequestRecord } from '../types.js';
import { useApi } from '../use-api.js';

const FILTERS = [
  'since',
  'key',
  'user',
  'group',
  'model',
  'platform',
  'status',
  'session',
  'errors',
] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

function filtersOf(route: Route): Filters {
  const filters = {} as Filters;
  for (const name of FILTERS) filters[name] = route.query.get(name) ?? (name === 'since' ? '24h' : '');
  return filters;
}

/** The activity log, newest first, with filters kept in the address (so a view can be shared). */
export function RequestsPage({ route }: { route: Route }) {
  const applied = filtersOf(route);
  const [draft, setDraft] = useState<Filters>(applied);
  const { data, error, loading } = useApi<{ requests: RequestRecord[] }>(
    `/admin/requests${query({ ...applied, limit: 200 })}`,
  );
  const apply = (filters: Filters) => navigate(page('requests') + query(filters), { replace: true });
  const field = (name: keyof Filters, label: string, placeholder = '') => (
    <span class="field">
      <label for={`requests-${name}`}>{label}</label>
      <input
        id={`requests-${name}`}
        value={draft[name]}
        placeholder={placeholder}
        onInput={(event) => setDraft({ ...draft, [name]: (event.target as HTMLInputElement).value })}
      />
    </span>
  );
  return (
    <section>
      <PageTitle>Requests</PageTitle>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          apply(draft);
        }}
      >
        <RangeSelect
          id="requests-range"
          value={draft.since}
          onChange={(since) => {
            setDraft({ ...draft, since });
            apply({ ...draft, since });
          }}
        />
        {field('key', 'Key', 'name, id or prefix')}
        {field('user', 'User')}
        {field('group', 'Group')}
        {field('model', 'Model', 'claude-sonnet-4-5')}
        {field('platform', 'Platform', 'bedrock')}
        {field('status', 'Status', '429')}
        {field('session', 'Session')}
        <span class="field checkbox">
          <input
            id="requests-errors"
            type="checkbox"
            checked={draft.errors === 'true'}
            onChange={(event) => {
              const errors = (event.target as HTMLInputElement).checked ? 'true' : '';
              setDraft({ ...draft, errors });
              apply({ ...draft, errors });
            }}
          />
          <label for="requests-errors">Errors only</label>
        </span>
        <button type="submit">Filter</button>
      </form>
      <Failure message={error} />
      {!data && loading ? <Loading what="requests" /> : null}
      {data ? (
        data.requests.length === 0 ? (
          <p>No requests match.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Requests, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Time (UTC)</th>
                  <th scope="col">Key / user</th>
                  <th scope="col">Dialect</th>
                  <th scope="col">Model</th>
                  <th scope="col">Target</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="number">
                    Tokens in / out
                  </th>
                  <th scope="col" class="number">
                    Cost
                  </th>
                  <th scope="col" class="number">
                    First byte
                  </th>
                  <th scope="col" class="number">
                    Duration
                  </th>
                  <th scope="col">Session</th>
                </tr>
              </thead>
              <tbody>
                {data.requests.map((request) => (
                  <tr key={request.id}>
                    <td class="when">
                      <a href={page('requests', request.id)} title={request.id}>
                        {time(request.time)}
                      </a>
                    </td>
                    <td>{[request.keyName, request.userName].filter(Boolean).join(' / ') || '—'}</td>
                    <td>
                      {request.dialect}
                      {request.operation !== 'messages' ? ` · ${request.operation}` : ''}
                    </td>
                    <td>{request.model ?? request.requestedModel ?? '—'}</td>
                    <td>
                      {request.platform ? [request.platform, request.region].filter(Boolean).join('/') : '—'}
                    </td>
                    <td>
                      <StatusCode status={request.status} />
                    </td>
                    <td class="number">
                      {count(request.inputTokens)} / {count(request.outputTokens)}
                    </td>
                    <td class="number">{usd(request.costUsd, request.costEstimated)}</td>
                    <td class="number">{duration(request.ttfbMs)}</td>
                    <td class="number">{duration(request.durationMs)}</td>
                    <td>
                      {request.sessionId ? (
                        <a href={page('sessions', request.sessionId)} title={request.sessionId}>
                          {short(request.sessionId, 10)}
                        </a>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </section>
  );
}
