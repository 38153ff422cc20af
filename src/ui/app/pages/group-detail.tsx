import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { Failure, Loading, PageTitle, Stat, Stats } from '../components/bits.js';
import { ConfirmButton, FormBox, useFields } from '../components/form.js';
import { PolicyFacts, PolicyInputs } from '../components/policy.js';
import { ServiceTokens } from '../components/service-tokens.js';
import { FormMistake } from '../form-values.js';
import { time, usd } from '../format.js';
import { groupBudgetBody, groupBudgetText } from '../group-budget-text.js';
import { policyBody, policyText } from '../policy-text.js';
import { navigate, page } from '../router.js';
import type { GroupRecord, UserRecord } from '../types.js';
import { useApi } from '../use-api.js';
import { useSpend } from '../use-spend.js';

interface GroupAnswer {
  group: GroupRecord;
  members: { id: string; name: string }[];
}

const groupPath = (name: string) => `/admin/groups/${encodeURIComponent(name)}`;

function EditGroupForm({ group, onDone }: { group: GroupRecord; onDone: (saved: boolean) => void }) {
  const fields = useFields(`edit-group-${group.name}`, {
    ...groupBudgetText(group),
    ...policyText(group.memberPolicy),
  });
  return (
    <FormBox
      label={`Edit ${group.name}`}
      submitLabel="Save"
      onCancel={() => onDone(false)}
      onSubmit={async () => {
        await api.patch(groupPath(group.name), {
          ...groupBudgetBody(fields.values, true),
          memberPolicy: policyBody(fields.values, true),
        });
        onDone(true);
      }}
    >
      {fields.text('description', 'Description', { placeholder: 'none' })}
      {fields.text('groupDailyBudgetUsd', 'Whole group: daily budget (USD)', {
        placeholder: 'none',
        numeric: true,
      })}
      {fields.text('groupMonthlyBudgetUsd', 'Whole group: monthly budget (USD)', {
        placeholder: 'none',
        numeric: true,
      })}
      <PolicyInputs fields={fields} whose=" per member" />
    </FormBox>
  );
}

function Members({ answer, onChanged }: { answer: GroupAnswer; onChanged: () => void }) {
  const { group, members } = answer;
  const users = useApi<{ users: UserRecord[] }>('/admin/users');
  const fields = useFields(`add-member-${group.name}`, { user: '' });
  const candidates = (users.data?.users ?? []).filter(
    (user) => !members.some((member) => member.id === user.id),
  );
  return (
    <>
      <h2>Members</h2>
      {members.length === 0 ? (
        <p>No members.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Members of {group.name}</caption>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((member) => (
                <tr key={member.id}>
                  <th scope="row">
                    <a href={page('users', member.id)}>{member.name}</a>
                  </th>
                  <td class="row-actions">
                    <ConfirmButton
                      label={
                        <>
                          Remove<span class="visually-hidden"> {member.name}</span>
                        </>
                      }
                      question={`Take ${member.name} out of ${group.name}?`}
                      confirmLabel="Yes, remove"
                      onConfirm={async () => {
                        await api.delete(`${groupPath(group.name)}/members/${encodeURIComponent(member.id)}`);
                        onChanged();
                      }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FormBox
        compact
        label="Add a member"
        submitLabel="Add member"
        onSubmit={async () => {
          const user = fields.values.user.trim();
          if (!user) throw new FormMistake('Give the user to add: their name, e-mail or id.');
          await api.post(`${groupPath(group.name)}/members`, { user });
          fields.set('user', '');
          onChanged();
          users.reload();
        }}
      >
        {fields.text('user', 'Add member', {
          placeholder: 'name, e-mail or id',
          list: `users-${group.name}`,
        })}
        <datalist id={`users-${group.name}`}>
          {candidates.map((user) => (
            <option key={user.id} value={user.email ?? user.name}>
              {user.name}
            </option>
          ))}
        </datalist>
      </FormBox>
    </>
  );
}

/** One group: spend against its budgets, its rules (edit), members (add, remove), service tokens; delete. */
export function GroupDetailPage({ name }: { name: string }) {
  const { data, error, reload } = useApi<GroupAnswer>(groupPath(name));
  const spend = useSpend({ group: name });
  const [editing, setEditing] = useState(false);
  if (error && !data) return <Failure message={error} />;
  if (!data) return <Loading what="the group" />;
  const { group } = data;
  const against = (spent: number | undefined, budget: number | undefined) =>
    budget === undefined ? usd(spent) : `${usd(spent)} of ${usd(budget)}`;
  return (
    <section>
      <p class="crumbs">
        <a href={page('groups')}>Groups</a> / {group.name}
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
            <ConfirmButton
              label="Delete group"
              question={`Delete ${group.name}? Its members lose its rules.`}
              confirmLabel="Yes, delete"
              onConfirm={async () => {
                await api.delete(groupPath(group.name));
                navigate(page('groups'));
              }}
            />
          </>
        }
      >
        {group.name}
      </PageTitle>
      <Failure message={error} />
      {group.description ? <p>{group.description}</p> : null}
      <Stats>
        <Stat
          label="Spend this month"
          value={against(spend.month, group.monthlyBudgetUsd)}
          hint="the whole group, UTC month"
        />
        <Stat
          label="Spend today"
          value={against(spend.today, group.dailyBudgetUsd)}
          hint="the whole group, UTC day"
        />
        <Stat label="Members" value={data.members.length} />
      </Stats>
      <h2>Rules and budgets</h2>
      {editing ? (
        <EditGroupForm
          group={group}
          onDone={(saved) => {
            setEditing(false);
            if (saved) reload();
          }}
        />
      ) : (
        <>
          <dl class="facts">
            <dt>Whole group: daily budget</dt>
            <dd>{group.dailyBudgetUsd === undefined ? 'none' : usd(group.dailyBudgetUsd)}</dd>
            <dt>Whole group: monthly budget</dt>
            <dd>{group.monthlyBudgetUsd === undefined ? 'none' : usd(group.monthlyBudgetUsd)}</dd>
            <dt>Created (UTC)</dt>
            <dd>{time(group.createdAt)}</dd>
          </dl>
          <h3>For each member</h3>
          <PolicyFacts policy={group.memberPolicy} whose=" per member" />
        </>
      )}
      <Members answer={data} onChanged={reload} />
      <h2>Service tokens</h2>
      <p class="muted">
        For CI and applications: each holds to this group's rules for a member and counts toward its budgets.
      </p>
      <ServiceTokens group={group.name} />
    </section>
  );
}
