import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { Failure, Loading, PageTitle } from '../components/bits.js';
import { FormBox, useFields } from '../components/form.js';
import { PolicyInputs } from '../components/policy.js';
import { FormMistake } from '../form-values.js';
import { groupBudgetBody, groupBudgetSummary, groupBudgetText } from '../group-budget-text.js';
import { NO_POLICY, policyBody, policySummary } from '../policy-text.js';
import { navigate, page } from '../router.js';
import type { GroupRecord, GroupWithMembers } from '../types.js';
import { useApi } from '../use-api.js';

function NewGroupForm({ names, onCancel }: { names: string[]; onCancel: () => void }) {
  const fields = useFields('new-group', { name: '', ...groupBudgetText(undefined), ...NO_POLICY });
  const { values } = fields;
  return (
    <FormBox
      label="New group"
      submitLabel="Create group"
      onCancel={onCancel}
      onSubmit={async () => {
        const name = values.name.trim();
        if (!name) throw new FormMistake('A group needs a name.');
        if (names.includes(name)) throw new FormMistake(`There is a group "${name}" already.`);
        const answer = await api.post<{ group: GroupRecord }>('/admin/groups', {
          name,
          ...groupBudgetBody(values, false),
          memberPolicy: policyBody(values, false),
        });
        navigate(page('groups', answer.group.name));
      }}
    >
      {fields.text('name', 'Name', { placeholder: 'eng', required: true })}
      {fields.text('description', 'Description', { placeholder: 'optional' })}
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

/** Groups: rules for each member, budgets for all of them together, members; create one. */
export function GroupsPage() {
  const [creating, setCreating] = useState(false);
  const { data, error, loading } = useApi<{ groups: GroupWithMembers[] }>('/admin/groups');
  return (
    <section>
      <PageTitle
        actions={
          <button type="button" onClick={() => setCreating(!creating)} aria-expanded={creating}>
            New group
          </button>
        }
      >
        Groups
      </PageTitle>
      {creating ? (
        <NewGroupForm
          names={data?.groups.map((group) => group.name) ?? []}
          onCancel={() => setCreating(false)}
        />
      ) : null}
      <Failure message={error} />
      {!data && loading ? <Loading what="groups" /> : null}
      {data ? (
        data.groups.length === 0 ? (
          <p>No groups yet.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Groups</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Description</th>
                  <th scope="col">Rules for each member</th>
                  <th scope="col">Budgets of the whole group</th>
                  <th scope="col">Members</th>
                </tr>
              </thead>
              <tbody>
                {data.groups.map((group) => (
                  <tr key={group.name}>
                    <th scope="row">
                      <a href={page('groups', group.name)}>{group.name}</a>
                    </th>
                    <td>{group.description ?? '—'}</td>
                    <td>{policySummary(group.memberPolicy)}</td>
                    <td>{groupBudgetSummary(group)}</td>
                    <td>
                      {group.members.length === 0
                        ? 'none'
                        : group.members.map((member) => member.name).join(', ')}
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
