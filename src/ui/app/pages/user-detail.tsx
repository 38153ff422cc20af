import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { Failure, Loading, PageTitle, Stat, Stats } from '../components/bits.js';
import { ConfirmButton, FormBox, useFields } from '../components/form.js';
import { PolicyFacts, PolicyInputs } from '../components/policy.js';
import { FormMistake } from '../form-values.js';
import { time, usd } from '../format.js';
import { policyBody, policySummary, policyText } from '../policy-text.js';
import { navigate, page } from '../router.js';
import type { GroupWithMembers, PublicKey, UserRecord } from '../types.js';
import { useApi } from '../use-api.js';
import { useSpend } from '../use-spend.js';
import { keyLimits } from './keys.js';

const userPath = (user: UserRecord) => `/admin/users/${encodeURIComponent(user.id)}`;

function EditUserForm({ user, onDone }: { user: UserRecord; onDone: (changed: boolean) => void }) {
  const fields = useFields(`edit-${user.id}`, {
    name: user.name,
    email: user.email ?? '',
    ...policyText(user.policy),
  });
  const { values } = fields;
  return (
    <FormBox
      label={`Edit ${user.name}`}
      submitLabel="Save"
      onCancel={() => onDone(false)}
      onSubmit={async () => {
        const name = values.name.trim();
        if (!name) throw new FormMistake('A user needs a name.');
        const email = values.email.trim();
        if (email && !/^[^\s@]+@[^\s@]+$/.test(email))
          throw new FormMistake(`"${email}" is not an e-mail address.`);
        await api.patch(userPath(user), {
          ...(name !== user.name ? { name } : {}),
          ...(email !== (user.email ?? '') ? { email: email || null } : {}),
          policy: policyBody(values, true),
        });
        onDone(true);
      }}
    >
      {fields.text('name', 'Name', { required: true })}
      {fields.text('email', 'E-mail', { type: 'email', placeholder: 'none' })}
      <PolicyInputs fields={fields} whose="" />
    </FormBox>
  );
}

function Memberships({
  user,
  groups,
  onChanged,
}: {
  user: UserRecord;
  groups: GroupWithMembers[] | undefined;
  onChanged: () => void;
}) {
  const others = (groups ?? []).filter((group) => !user.groups.includes(group.name));
  const fields = useFields(`member-${user.id}`, { group: '' });
  const member = (group: string) =>
    `/admin/groups/${encodeURIComponent(group)}/members/${encodeURIComponent(user.id)}`;
  return (
    <>
      <h2>Groups</h2>
      {user.source === 'oidc' ? (
        <p class="muted">
          This user signs in through the identity provider: their groups are the IdP's again at their next
          sign-in.
        </p>
      ) : null}
      {user.groups.length === 0 ? (
        <p>Not in any group.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Groups of {user.name}</caption>
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">Rules for each member</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {user.groups.map((name, index) => {
                const group = groups?.find((each) => each.name === name);
                return (
                  <tr key={name}>
                    <th scope="row">
                      {group ? <a href={page('groups', name)}>{name}</a> : name}
                      {index === 0 ? <span class="muted"> (charged)</span> : null}
                    </th>
                    <td>{group ? policySummary(group.memberPolicy) : 'not a group here: no rules'}</td>
                    <td class="row-actions">
                      <ConfirmButton
                        label={
                          <>
                            Remove<span class="visually-hidden"> from {name}</span>
                          </>
                        }
                        question={`Take ${user.name} out of ${name}?`}
                        confirmLabel="Yes, remove"
                        onConfirm={async () => {
                          await api.delete(member(name));
                          onChanged();
                        }}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {others.length > 0 ? (
        <FormBox
          compact
          label="Add to a group"
          submitLabel="Add to group"
          onSubmit={async () => {
            const group = fields.values.group;
            if (!group) throw new FormMistake('Choose the group to add them to.');
            await api.post(`/admin/groups/${encodeURIComponent(group)}/members`, { user: user.id });
            fields.set('group', '');
            onChanged();
          }}
        >
          {fields.select('group', 'Add to group', [
            { value: '', label: 'Choose a group…' },
            ...others.map((group) => ({ value: group.name, label: group.name })),
          ])}
        </FormBox>
      ) : groups && groups.length === 0 ? (
        <p class="muted">
          No groups yet: <a href={page('groups')}>create one</a>.
        </p>
      ) : null}
    </>
  );
}

function UserKeys({ user }: { user: UserRecord }) {
  const { data, error } = useApi<{ keys: PublicKey[] }>('/admin/keys');
  const keys = data?.keys.filter((key) => key.userId === user.id);
  return (
    <>
      <h2>Keys</h2>
      <Failure message={error} />
      {keys === undefined ? null : keys.length === 0 ? (
        <p>
          No keys. Give one on the <a href={page('keys')}>Keys page</a> (User: {user.name}).
        </p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Keys of {user.name}</caption>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Budget and rates</th>
                <th scope="col">Last used (UTC)</th>
                <th scope="col">Expires</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id}>
                  <th scope="row">
                    {key.name} <code class="muted">{key.prefix}…</code>
                  </th>
                  <td>{keyLimits(key)}</td>
                  <td class="when">{key.lastUsedAt ? time(key.lastUsedAt) : 'never'}</td>
                  <td class="when">{key.expiresAt ? time(key.expiresAt) : 'never'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** One user: spend, own rules (edit), state (disable, enable, delete), groups (add, remove) and keys. */
export function UserDetailPage({ id }: { id: string }) {
  const { data, error, reload } = useApi<{ user: UserRecord }>(`/admin/users/${encodeURIComponent(id)}`);
  const groups = useApi<{ groups: GroupWithMembers[] }>('/admin/groups');
  const spend = useSpend({ user: id });
  const [editing, setEditing] = useState(false);
  const [note, setNote] = useState<string | undefined>();
  const [stateError, setStateError] = useState<string | undefined>();
  if (error && !data) return <Failure message={error} />;
  if (!data) return <Loading what="the user" />;
  const { user } = data;
  const disabled = user.disabledAt !== undefined;
  const changed = () => {
    reload();
    groups.reload();
  };
  const setDisabled = async (value: boolean) => {
    setStateError(undefined);
    setNote(undefined);
    try {
      await api.patch(userPath(user), { disabled: value });
      reload();
    } catch (failure) {
      setStateError((failure as Error).message);
    }
  };
  return (
    <section>
      <p class="crumbs">
        <a href={page('users')}>Users</a> / {user.name}
      </p>
      <PageTitle
        actions={
          <>
            <button
              type="button"
              class="secondary"
              onClick={() => setEditing(!editing)}
              aria-expanded={editing}
            >
              Edit
            </button>
            <button type="button" class="secondary" onClick={() => setDisabled(!disabled)}>
              {disabled ? 'Enable' : 'Disable'}
            </button>
            <ConfirmButton
              label="Delete user"
              question={`Delete ${user.name}? (Disabled instead if keys, sign-ins or the log name them.)`}
              confirmLabel="Yes, delete"
              onConfirm={async () => {
                const answer = await api.delete<{ deleted: boolean; note?: string }>(userPath(user));
                if (answer.deleted) navigate(page('users'));
                else {
                  setNote(answer.note);
                  reload();
                }
              }}
            />
          </>
        }
      >
        {user.name}{' '}
        {disabled ? <span class="badge bad">disabled</span> : <span class="badge good">active</span>}
      </PageTitle>
      <Failure message={stateError ?? error} />
      {note ? (
        <p class="notice" role="status">
          {note}
        </p>
      ) : null}
      <Stats>
        <Stat label="Spend this month" value={usd(spend.month)} hint="UTC month, from the activity log" />
        <Stat label="Spend today" value={usd(spend.today)} hint="UTC day" />
        <Stat
          label="Own monthly budget"
          value={user.policy.monthlyBudgetUsd === undefined ? 'none' : usd(user.policy.monthlyBudgetUsd)}
        />
        <Stat
          label="Own daily budget"
          value={user.policy.dailyBudgetUsd === undefined ? 'none' : usd(user.policy.dailyBudgetUsd)}
        />
      </Stats>
      <dl class="facts">
        <dt>Id</dt>
        <dd>
          <code>{user.id}</code>
        </dd>
        <dt>E-mail</dt>
        <dd>{user.email ?? '—'}</dd>
        <dt>From</dt>
        <dd>
          {user.source === 'oidc'
            ? `sign-in (${user.issuer ?? 'IdP'}, subject ${user.subject ?? '?'})`
            : 'created by an administrator'}
        </dd>
        <dt>Created (UTC)</dt>
        <dd>{time(user.createdAt)}</dd>
        <dt>Last sign-in (UTC)</dt>
        <dd>{user.lastLoginAt ? time(user.lastLoginAt) : 'never'}</dd>
        {disabled ? (
          <>
            <dt>Disabled since (UTC)</dt>
            <dd>{time(user.disabledAt)}</dd>
          </>
        ) : null}
      </dl>
      <h2>Own rules</h2>
      {editing ? (
        <EditUserForm
          user={user}
          onDone={(saved) => {
            setEditing(false);
            if (saved) reload();
          }}
        />
      ) : (
        <PolicyFacts policy={user.policy} />
      )}
      <p class="muted">Their groups' rules hold too: the strictest of each wins.</p>
      <Memberships user={user} groups={groups.data?.groups} onChanged={changed} />
      <UserKeys user={user} />
    </section>
  );
}
