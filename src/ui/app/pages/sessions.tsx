import { query } from '../api.js';
import { Failure, Loading, PageTitle } from '../components/bits.js';
import { RangeSelect } from '../components/range.js';
import { count, duration, short, time, usd } from '../format.js';
import { navigate, page, type Route } from '../router.js';
import type { SessionSummary } from '../types.js';
import { useApi } from '../use-api.js';

/** Claude Code sessions (and any client that sends a session id), the latest first. */
export function SessionsPage({ route }: { route: Route }) {
  const since = route.query.get('since') ?? '7d';
  const key = route.query.get('key') ?? '';
  const { data, error, loading } = useApi<{ sessions: SessionSummary[] }>(
    `/admin/sessions${query({ since, key, limit: 200 })}`,
  );
  const set = (field: string, value: string) =>
    navigate(page('sessions') + query({ since, key, [field]: value }), { replace: true });
  return (
    <section>
      <PageTitle>Sessions</PageTitle>
      <p class="muted">
        Requests grouped by <code>x-claude-code-session-id</code> (or <code>metadata.user_id</code>). Tool
        turns are answers that stopped to call tools.
      </p>
      <form class="filters" onSubmit={(event) => event.preventDefault()}>
        <RangeSelect id="sessions-range" value={since} onChange={(value) => set('since', value)} />
        <span class="field">
          <label for="sessions-key">Key</label>
          <input
            id="sessions-key"
            value={key}
            placeholder="name, id or prefix"
            onChange={(event) => set('key', (event.target as HTMLInputElement).value)}
          />
        </span>
      </form>
      <Failure message={error} />
      {!data && loading ? <Loading what="sessions" /> : null}
      {data ? (
        data.sessions.length === 0 ? (
          <p>No sessions in this range.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Sessions</caption>
              <thead>
                <tr>
                  <th scope="col">Session</th>
                  <th scope="col">Key / user</th>
                  <th scope="col">Model</th>
                  <th scope="col">Started (UTC)</th>
                  <th scope="col" class="number">
                    Duration
                  </th>
                  <th scope="col" class="number">
                    Turns
                  </th>
                  <th scope="col" class="number">
                    Tool turns
                  </th>
                  <th scope="col" class="number">
                    Subagents
                  </th>
                  <th scope="col" class="number">
                    Tokens in / out
                  </th>
                  <th scope="col" class="number">
                    Cost
                  </th>
                  <th scope="col" class="number">
                    Errors
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.sessions.map((session) => (
                  <tr key={session.sessionId}>
                    <td>
                      <a href={page('sessions', session.sessionId)} title={session.sessionId}>
                        {short(session.sessionId, 18)}
                      </a>
                    </td>
                    <td>{[session.keyName, session.userName].filter(Boolean).join(' / ') || '—'}</td>
                    <td>{session.model ?? '—'}</td>
                    <td class="when">{time(session.firstTime)}</td>
                    <td class="number">{duration(session.endTime - session.firstTime)}</td>
                    <td class="number">{session.turns}</td>
                    <td class="number">{session.toolTurns}</td>
                    <td class="number">{session.agents}</td>
                    <td class="number">
                      {count(session.inputTokens + session.cacheReadTokens + session.cacheWriteTokens)} /{' '}
                      {count(session.outputTokens)}
                    </td>
                    <td class="number">{usd(session.costUsd)}</td>
                    <td class={`number${session.errors > 0 ? ' warn-text' : ''}`}>{session.errors}</td>
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
