import type { RequestRecord, SessionSummary } from '../store/types.js';
import { attributionFilter, keyFilter, parseSince } from './admin.js';
import { adminError, adminStore, json } from './admin-http.js';
import type { GatewayContext } from './context.js';
import type { Exchange } from './exchange.js';

/** The most requests of one session the detail reads. */
const SESSION_REQUEST_LIMIT = 1000;

/** One agent of a session: the main agent (no `agentId`) or a subagent, with what it did. */
export interface SessionAgent {
  agentId?: string;
  parentAgentId?: string;
  requests: number;
  turns: number;
  toolTurns: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  firstTime: number;
  lastTime: number;
  /** Tool calls by tool name; only when the log keeps bodies. */
  tools?: Record<string, number>;
}

/** A request of a session as the detail lists it: no bodies, the tools its answer called when known. */
export type SessionRequest = Omit<RequestRecord, 'requestBody' | 'responseBody'> & { tools?: string[] };

/**
 * The tools an answer called, from its kept body (the final message, whole or
 * as the stream built it); undefined when the body is not kept or not whole.
 */
export function toolsCalled(responseBody: string | undefined): string[] | undefined {
  if (!responseBody?.startsWith('{')) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(responseBody);
  } catch {
    return undefined;
  }
  const content = (message as { content?: unknown }).content;
  if (!Array.isArray(content)) return undefined;
  return content
    .filter((block): block is { type: string; name: string } => block?.type === 'tool_use')
    .map((block) => String(block.name));
}

/** The agents of a session, the main agent first, then subagents by first request. */
export function sessionAgents(requests: readonly SessionRequest[], withTools: boolean): SessionAgent[] {
  const agents = new Map<string, SessionAgent>();
  for (const request of requests) {
    const id = request.agentId ?? '';
    let agent = agents.get(id);
    if (!agent) {
      agent = {
        ...(request.agentId ? { agentId: request.agentId } : {}),
        ...(request.parentAgentId ? { parentAgentId: request.parentAgentId } : {}),
        requests: 0,
        turns: 0,
        toolTurns: 0,
        errors: 0,
        inputTokens: 0,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0,
        firstTime: request.time,
        lastTime: request.time,
        ...(withTools ? { tools: {} } : {}),
      };
      agents.set(id, agent);
    }
    agent.requests += 1;
    if (request.operation === 'messages') agent.turns += 1;
    if (request.stopReason === 'tool_use') agent.toolTurns += 1;
    if (request.status >= 400) agent.errors += 1;
    agent.inputTokens += request.inputTokens;
    agent.outputTokens += request.outputTokens;
    agent.cacheReadTokens += request.cacheReadTokens;
    agent.cacheWriteTokens += request.cacheWriteTokens;
    agent.costUsd += request.costUsd ?? 0;
    agent.firstTime = Math.min(agent.firstTime, request.time);
    agent.lastTime = Math.max(agent.lastTime, request.time);
    if (agent.tools) for (const tool of request.tools ?? []) agent.tools[tool] = (agent.tools[tool] ?? 0) + 1;
  }
  return [...agents.values()].sort(
    (a, b) => Number(a.agentId !== undefined) - Number(b.agentId !== undefined) || a.firstTime - b.firstTime,
  );
}

/**
 * `GET /admin/sessions[?since=7d&key=…&user=…&group=…&limit=…]`: sessions with their totals,
 * the latest first. `GET /admin/sessions/{id}`: one session with its agents,
 * the tools called (when the log keeps bodies) and its requests, oldest first.
 */
export async function handleAdminSessions(
  context: GatewayContext,
  exchange: Exchange,
  segments: readonly string[],
): Promise<void> {
  if (segments.length === 1) {
    const since = parseSince(exchange.query.get('since'));
    const sessions = await adminStore(context).sessions({
      ...(since !== undefined ? { since } : {}),
      ...(await keyFilter(context, exchange.query.get('key'))),
      ...attributionFilter(exchange),
      limit: Math.min(1000, Number(exchange.query.get('limit') ?? 100) || 100),
    });
    return json(exchange, 200, { sessions });
  }
  const sessionId = segments[1];
  if (segments.length !== 2 || !sessionId) {
    return adminError(exchange, 404, `The admin API has no GET ${exchange.path}.`);
  }
  const [session]: (SessionSummary | undefined)[] = await adminStore(context).sessions({
    sessionId,
    limit: 1,
  });
  if (!session) return adminError(exchange, 404, `No session ${sessionId} in the activity log.`);
  const withTools = context.config.store.bodies === 'full';
  const rows = await adminStore(context).queryRequests({
    sessionId,
    includeBodies: withTools,
    limit: SESSION_REQUEST_LIMIT,
  });
  const requests: SessionRequest[] = rows.reverse().map(({ requestBody: _request, responseBody, ...row }) => {
    const tools = withTools ? toolsCalled(responseBody) : undefined;
    return tools && tools.length > 0 ? { ...row, tools } : row;
  });
  const agents = sessionAgents(requests, withTools);
  const tools: Record<string, number> = {};
  for (const agent of agents)
    for (const [name, count] of Object.entries(agent.tools ?? {})) tools[name] = (tools[name] ?? 0) + count;
  return json(exchange, 200, {
    session,
    agents,
    // Null when the log keeps no bodies: then only `toolTurns` (answers that stopped to call tools) is known.
    tools: withTools ? tools : null,
    requests,
    truncated: session.requests > requests.length,
  });
}
