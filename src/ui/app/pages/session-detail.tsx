import { Failure, Loading, PageTitle, Stat, Stats, StatusCode } from '../components/bits.js';
import { count, duration, short, time, usd } from '../format.js';
import { page } from '../router.js';
import type { SessionAgent, SessionDetail } from '../types.js';
import { useApi } from '../use-api.js';

/** The agents in tree order: each subagent under the agent that started it. */
function agentTree(agents: SessionAgent[]): { agent: SessionAgent; depth: number }[] {
  const byParent = new Map<string, SessionAgent[]>();
  const known = new Set(agents.map((agent) => agent.agentId ?? ''));
  for (const agent of agents) {
    // A subagent whose parent sent nothing (or the main agent's children) hangs under the main agent.
    const parent =
      agent.agentId === undefined
        ? undefined
        : known.has(agent.parentAgentId ?? '')
          ? (agent.parentAgentId ?? '')
          : '';
    if (parent === undefined) continue;
    byParent.set(parent, [...(byParent.get(parent) ?? []), agent]);
  }
  const ordered: { agent: SessionAgent; depth: number }[] = [];
  const visit = (agent: SessionAgent, depth: number) => {
    ordered.push({ agent, depth });
    for (const child of byParent.get(agent.agentId ?? '') ?? []) if (child !== agent) visit(child, depth + 1);
  };
  const main = agents.find((agent) => agent.agentId === undefined);
  if (main) visit(main, 0);
  else for (const agent of byParent.get('') ?? []) visit(agent, 0);
  return ordered;
}

function toolList(tools: Record<string, number> | undefined): string {
  const entries = Object.entries(tools ?? {}).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? '—' : entries.map(([name, calls]) => `${name} ×${calls}`).join(', ');
}

/** One session: what it cost, its agents, the tools it called and each request in order. */
export function SessionDetailPage({ id }: { id: string }) {
  const { data, error, loading } = useApi<SessionDetail>(`/admin/sessions/${encodeURIComponent(id)}`);
  if (error) return <Failure message={error} />;
  if (!data || loading) return <Loading what="the session" />;
  const { session, agents, tools, requests } = data;
  const toolCalls = tools ? Object.values(tools).reduce((sum, calls) => sum + calls, 0) : undefined;
  return (
    <section>
      <p class="crumbs">
        <a href={page('sessions')}>Sessions</a> /{' '}
        <span title={session.sessionId}>{short(session.sessionId, 24)}</span>
      </p>
      <PageTitle>Session {short(session.sessionId, 24)}</PageTitle>
      <Stats>
        <Stat label="Cost" value={usd(session.costUsd)} />
        <Stat label="Turns" value={session.turns} />
        <Stat
          label="Tool calls"
          value={toolCalls ?? `${session.toolTurns} turns`}
          hint={tools ? 'from the kept answers' : 'the log keeps no bodies: answers that stopped for tools'}
        />
        <Stat label="Subagents" value={session.agents} />
        <Stat label="Input tokens" value={count(session.inputTokens)} />
        <Stat label="Output tokens" value={count(session.outputTokens)} />
        <Stat
          label="Cache read / write"
          value={`${count(session.cacheReadTokens)} / ${count(session.cacheWriteTokens)}`}
        />
        <Stat label="Duration" value={duration(session.endTime - session.firstTime)} />
        <Stat label="Errors" value={session.errors} />
      </Stats>
      <p class="muted">
        {session.keyName ? `Key ${session.keyName}, ` : ''}from {time(session.firstTime)} to{' '}
        {time(session.endTime)} UTC.
      </p>

      <h2>Agents</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col" class="number">
                Turns
              </th>
              <th scope="col" class="number">
                Tool turns
              </th>
              <th scope="col">Tools called</th>
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
            {agentTree(agents).map(({ agent, depth }) => (
              <tr key={agent.agentId ?? 'main'}>
                <td class={`depth-${Math.min(depth, 4)}`}>
                  {depth > 0 ? '└ ' : ''}
                  {agent.agentId ? (
                    <span title={agent.agentId}>subagent {short(agent.agentId, 16)}</span>
                  ) : (
                    'main agent'
                  )}
                </td>
                <td class="number">{agent.turns}</td>
                <td class="number">{agent.toolTurns}</td>
                <td>{agent.tools ? toolList(agent.tools) : '(bodies not kept)'}</td>
                <td class="number">
                  {count(agent.inputTokens)} / {count(agent.outputTokens)}
                </td>
                <td class="number">{usd(agent.costUsd)}</td>
                <td class="number">{agent.errors}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {tools ? (
        <>
          <h2>Tools</h2>
          {Object.keys(tools).length === 0 ? (
            <p>No tool calls.</p>
          ) : (
            <ul class="tools">
              {Object.entries(tools)
                .sort((a, b) => b[1] - a[1])
                .map(([name, calls]) => (
                  <li key={name}>
                    <code>{name}</code> <span class="muted">×{calls}</span>
                  </li>
                ))}
            </ul>
          )}
        </>
      ) : null}

      <h2>Requests</h2>
      {data.truncated ? <p class="muted">The first {requests.length} requests of the session.</p> : null}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              <th scope="col">Agent</th>
              <th scope="col">Model</th>
              <th scope="col">Status</th>
              <th scope="col">Stop</th>
              <th scope="col">Tools</th>
              <th scope="col" class="number">
                Tokens in / out
              </th>
              <th scope="col" class="number">
                Cost
              </th>
              <th scope="col" class="number">
                Duration
              </th>
            </tr>
          </thead>
          <tbody>
            {requests.map((request) => (
              <tr key={request.id}>
                <td class="when">
                  <a href={page('requests', request.id)}>{time(request.time)}</a>
                </td>
                <td title={request.agentId}>{request.agentId ? short(request.agentId, 10) : 'main'}</td>
                <td>{request.model ?? request.requestedModel ?? '—'}</td>
                <td>
                  <StatusCode status={request.status} />
                </td>
                <td>{request.stopReason ?? request.errorType ?? '—'}</td>
                <td>{request.tools?.join(', ') ?? '—'}</td>
                <td class="number">
                  {count(request.inputTokens)} / {count(request.outputTokens)}
                </td>
                <td class="number">{usd(request.costUsd, request.costEstimated)}</td>
                <td class="number">{duration(request.durationMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
