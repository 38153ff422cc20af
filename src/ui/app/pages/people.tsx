import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import { Failure, Loading, PageTitle } from '../components/bits.js';
import { time, usd } from '../format.js';

type Item = Record<string, unknown>;

/** A cell for any value the users and groups endpoints give: times, money, lists, objects. */
function cell(name: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'number' && /(At|Time)$/.test(name)) return time(value);
  if (typeof value === 'number' && /Usd$/.test(name)) return usd(value);
  if (Array.isArray(value))
    return value.map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item))).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The columns: every field any row has, in first-seen order (ids and names first). */
function columnsOf(items: Item[]): string[] {
  const seen = new Set<string>(['name', 'email', 'id']);
  for (const item of items) for (const name of Object.keys(item)) seen.add(name);
  return [...seen].filter((name) => items.some((item) => item[name] !== undefined));
}

/**
 * Users or groups from `/admin/users` and `/admin/groups` (sign-in with OIDC),
 * with their budgets and limits as the gateway gives them; "not configured"
 * when this gateway has no such endpoint.
 */
export function PeoplePage({ kind }: { kind: 'users' | 'groups' }) {
  const [state, setState] = useState<{ items?: Item[]; notConfigured?: string; error?: string }>({});
  useEffect(() => {
    setState({});
    api.get<Record<string, unknown>>(`/admin/${kind}`).then(
      (answer) => {
        const list = answer[kind];
        setState({ items: Array.isArray(list) ? (list as Item[]) : [] });
      },
      (error: Error) =>
        setState(
          error instanceof ApiError && error.status === 404
            ? { notConfigured: error.message }
            : { error: error.message },
        ),
    );
  }, [kind]);
  const title = kind === 'users' ? 'Users' : 'Groups';
  return (
    <section>
      <PageTitle>{title}</PageTitle>
      <Failure message={state.error} />
      {state.notConfigured !== undefined ? (
        <div class="notice" role="status">
          <p>
            <strong>Not configured.</strong> {title} come from sign-in with OIDC (<code>auth.oidc</code>),
            with their budgets and limits; this gateway has none.
          </p>
          <p class="muted">{state.notConfigured}</p>
        </div>
      ) : null}
      {!state.items && !state.error && state.notConfigured === undefined ? <Loading what={kind} /> : null}
      {state.items ? (
        state.items.length === 0 ? (
          <p>No {kind} yet.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  {columnsOf(state.items).map((name) => (
                    <th scope="col" key={name}>
                      {name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {state.items.map((item, index) => (
                  <tr key={String(item.id ?? item.name ?? index)}>
                    {columnsOf(state.items ?? []).map((name) => (
                      <td key={name}>{cell(name, item[name])}</td>
                    ))}
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
