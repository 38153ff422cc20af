import { PageTitle } from '../components/bits.js';
import { ServiceTokens } from '../components/service-tokens.js';
import { page } from '../router.js';
import type { GroupWithMembers } from '../types.js';
import { useApi } from '../use-api.js';

/** Every group's service tokens in one list (each group's page has its own). */
export function TokensPage() {
  const groups = useApi<{ groups: GroupWithMembers[] }>('/admin/groups');
  return (
    <section>
      <PageTitle>Service tokens</PageTitle>
      <p class="muted">
        For CI and applications: each belongs to one <a href={page('groups')}>group</a>, holds to its rules
        for a member, counts toward its budgets, and always expires.
      </p>
      <ServiceTokens groups={groups.data?.groups.map((group) => group.name)} />
    </section>
  );
}
