import { useState } from 'preact/hooks';
import { api, query } from '../api.js';
import { FormMistake } from '../form-values.js';
import { time } from '../format.js';
import { page } from '../router.js';
import type { PublicToken } from '../types.js';
import { useApi } from '../use-api.js';
import { Failure } from './bits.js';
import { ConfirmButton, FormBox, useFields } from './form.js';
import { SecretPanel, type ShownSecret } from './secret.js';

/**
 * Service tokens (CI, applications), one group's or all: list, create (the
 * secret shown once, copyable), revoke. A token always has an expiry.
 */
export function ServiceTokens({ group, groups }: { group?: string; groups?: string[] }) {
  const [showRevoked, setShowRevoked] = useState(false);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<ShownSecret | undefined>();
  const { data, error, reload } = useApi<{ tokens: PublicToken[] }>(
    `/admin/tokens${query({ all: showRevoked })}`,
  );
  const scope = group ?? 'all';
  const fields = useFields(`token-${scope}`, { name: '', group: '', expiresAt: '90d', description: '' });
  const tokens = data?.tokens.filter((token) => group === undefined || token.group === group);
  return (
    <>
      {shown ? <SecretPanel shown={shown} onDone={() => setShown(undefined)} /> : null}
      {creating ? (
        <FormBox
          label="New service token"
          submitLabel="Create token"
          onCancel={() => setCreating(false)}
          onSubmit={async () => {
            const { name, expiresAt, description } = fields.values;
            if (!name.trim()) throw new FormMistake('A service token needs a name.');
            const tokenGroup = group ?? fields.values.group;
            if (!tokenGroup) throw new FormMistake('Choose the group whose rules the token holds to.');
            // The gateway checks the form of the expiry (and names what it takes); blank is the obvious mistake.
            if (!expiresAt.trim()) {
              throw new FormMistake(
                'A service token always expires: give a length of time (90d, 12h, 2w) or a date (2027-01-31).',
              );
            }
            const answer = await api.post<{ token: PublicToken; secret: string }>('/admin/tokens', {
              name: name.trim(),
              group: tokenGroup,
              expiresAt: expiresAt.trim(),
              ...(description.trim() ? { description: description.trim() } : {}),
            });
            setShown({
              what: `Service token ${answer.token.name}`,
              secret: answer.secret,
              note: `It expires ${time(answer.token.expiresAt)} UTC.`,
            });
            setCreating(false);
            fields.set('name', '');
            fields.set('description', '');
            reload();
          }}
        >
          {fields.text('name', 'Token name', { placeholder: 'deploy', required: true })}
          {group === undefined
            ? fields.select('group', 'Group', [
                { value: '', label: 'Choose a group…' },
                ...(groups ?? []).map((name) => ({ value: name, label: name })),
              ])
            : null}
          {fields.text('expiresAt', 'Expires in or on', { placeholder: '90d, 2027-01-31', required: true })}
          {fields.text('description', 'Description', { placeholder: 'optional' })}
        </FormBox>
      ) : (
        <p>
          <button type="button" onClick={() => setCreating(true)}>
            New service token
          </button>
        </p>
      )}
      <p class="field checkbox">
        <input
          id={`tokens-revoked-${scope}`}
          type="checkbox"
          checked={showRevoked}
          onChange={(event) => setShowRevoked((event.target as HTMLInputElement).checked)}
        />
        <label for={`tokens-revoked-${scope}`}>Show revoked tokens</label>
      </p>
      <Failure message={error} />
      {tokens === undefined ? null : tokens.length === 0 ? (
        <p>No service tokens.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">
              {group === undefined ? 'Service tokens' : `Service tokens of ${group}`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Token</th>
                {group === undefined ? <th scope="col">Group</th> : null}
                <th scope="col">Description</th>
                <th scope="col">Created (UTC)</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id} class={token.revokedAt !== undefined ? 'revoked' : undefined}>
                  <th scope="row">
                    {token.name}
                    <br />
                    <code class="muted">{token.prefix}…</code>
                  </th>
                  {group === undefined ? (
                    <td>
                      <a href={page('groups', token.group)}>{token.group}</a>
                    </td>
                  ) : null}
                  <td>{token.description ?? '—'}</td>
                  <td class="when">{time(token.createdAt)}</td>
                  <td class="when">{token.lastUsedAt ? time(token.lastUsedAt) : 'never'}</td>
                  <td>
                    {token.revokedAt !== undefined ? (
                      <>
                        revoked <span class="when">{time(token.revokedAt)}</span>
                      </>
                    ) : (
                      <>
                        expires <span class="when">{time(token.expiresAt)}</span>
                      </>
                    )}
                  </td>
                  <td class="row-actions">
                    {token.revokedAt === undefined ? (
                      <ConfirmButton
                        label={
                          <>
                            Revoke<span class="visually-hidden"> {token.name}</span>
                          </>
                        }
                        question={`Revoke ${token.name}? Its callers are refused at once.`}
                        confirmLabel="Yes, revoke"
                        onConfirm={async () => {
                          await api.delete(`/admin/tokens/${encodeURIComponent(token.id)}`);
                          reload();
                        }}
                      />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
