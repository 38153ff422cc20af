import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { Failure, Loading, PageTitle } from '../components/bits.js';
import { FormBox, useFields } from '../components/form.js';
import { PolicyInputs } from '../components/policy.js';
import { FormMistake, listField } from '../form-values.js';
import { time } from '../format.js';
import { NO_POLICY, policyBody, policySummary } from '../policy-text.js';
import { navigate, page } from '../router.js';
import type { GroupWithMembers, UserRecord } from '../types.js';
import { useApi } from '../use-api.js';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** A group name the gateway does not have, in a list typed into a form (the API refuses it too). */
export function unknownGroup(names: string[], groups: GroupWithMembers[] | undefined): string | undefined {
  if (!groups) return undefined;
  return names.find((name) => !groups.some((group) => group.name === name));
}

function NewUserForm({ groups, onCancel }: { groups: GroupWithMembers[] | undefined; onCancel: () => void }) {
  const fields = useFields('new-user', { name: '', email: '', groups: '', ...NO_POLICY });
  const { values } = fields;
  return (
    <FormBox
      label="New user"
      submitLabel="Create user"
      onCancel={onCancel}
      onSubmit={async () => {
        const name = values.name.trim();
        if (!name) throw new FormMistake('A user needs a name.');
        const email = values.email.trim();
        if (email && !EMAIL.test(email)) throw new FormMistake(`"${email}" is not an e-mail address.`);
        const memberOf = listField(values.groups);
        const missing = unknownGroup(memberOf, groups);
        if (missing)
          throw new FormMistake(`There is no group "${missing}": create it on the Groups page first.`);
        const answer = await api.post<{ user: UserRecord }>('/admin/users', {
          name,
          ...(email ? { email } : {}),
          ...(memberOf.length > 0 ? { groups: memberOf } : {}),
          policy: policyBody(values, false),
        });
        navigate(page('users', answer.user.id));
      }}
    >
      {fields.text('name', 'Name', { placeholder: 'alice', required: true })}
      {fields.text('email', 'E-mail', { placeholder: 'alice@example.com', type: 'email' })}
      {fields.text('groups', 'Groups', {
        placeholder: groups?.length ? groups.map((group) => group.name).join(', ') : 'none yet',
        hint: 'Comma-separated; the first is the one charged.',
      })}
      <PolicyInputs fields={fields} whose="" />
    </FormBox>
  );
}

/** Users (from sign-in or created here): their groups, own rules and state; create one. */
export function UsersPage() {
  const [creating, setCreating] = useState(false);
  const { data, error, loading } = useApi<{ users: UserRecord[] }>('/admin/users');
  const groups = useApi<{ groups: GroupWithMembers[] }>('/admin/groups');
  return (
    <section>
      <PageTitle
        actions={
          <button type="button" onClick={() => setCreating(!creating)} aria-expanded={creating}>
            New user
          </button>
        }
      >
        Users
      </PageTitle>
      {creating ? <NewUserForm groups={groups.data?.groups} onCancel={() => setCreating(false)} /> : null}
      <Failure message={error} />
      {!data && loading ? <Loading what="users" /> : null}
      {data ? (
        data.users.length === 0 ? (
          <p>
            No users yet. They come from sign-in with OIDC (<code>auth.oidc</code>) or are created here.
          </p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Users</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">E-mail</th>
                  <th scope="col">Groups</th>
                  <th scope="col">Own rules</th>
                  <th scope="col">From</th>
                  <th scope="col">Last sign-in (UTC)</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {data.users.map((user) => (
                  <tr key={user.id} class={user.disabledAt !== undefined ? 'revoked' : undefined}>
                    <th scope="row">
                      <a href={page('users', user.id)}>{user.name}</a>
                    </th>
                    <td>{user.email ?? '—'}</td>
                    <td>{user.groups.length > 0 ? user.groups.join(', ') : '—'}</td>
                    <td>{policySummary(user.policy)}</td>
                    <td>{user.source === 'oidc' ? 'sign-in' : 'admin'}</td>
                    <td class="when">{user.lastLoginAt ? time(user.lastLoginAt) : 'never'}</td>
                    <td>
                      {user.disabledAt !== undefined ? (
                        <span class="badge bad">disabled</span>
                      ) : (
                        <span class="badge good">active</span>
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
