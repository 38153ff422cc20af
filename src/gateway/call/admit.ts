import type { ResolvedModel } from '../../catalog/resolve.js';
import { checkModelAllowed } from '../../identity/policy.js';
import { GatewayError } from '../../wire/errors/gateway-error.js';
import { type Caller, modelAllowedBy } from '../callers.js';
import type { IngressCall } from '../dialect.js';
import { bodyError, type Exchange } from '../exchange.js';
import type { CallScope } from './call-scope.js';

/** A request the gateway has read and let in. */
export interface Admitted {
  caller: Caller;
  ingress: IngressCall;
  /** The model as asked for, resolved once: the log, the allowlists and the plan all read this. */
  requested: ResolvedModel;
  /** The body's size, for the limits' estimate. */
  bodyBytes: number;
}

/** An id header's value as logged: trimmed, at most 200 characters, absent when empty. */
function idHeader(exchange: Exchange, name: string): string | undefined {
  const value = exchange.header(name)?.trim().slice(0, 200);
  return value || undefined;
}

/** Claude Code's subagent ids, for the log: which subagent sent a request, and which one started it. */
function agentIds(exchange: Exchange): { agentId?: string; parentAgentId?: string } {
  const agentId = idHeader(exchange, 'x-claude-code-agent-id');
  const parentAgentId = idHeader(exchange, 'x-claude-code-parent-agent-id');
  return { ...(agentId ? { agentId } : {}), ...(parentAgentId ? { parentAgentId } : {}) };
}

/**
 * Admission: who calls, the body read and parsed by the dialect's ingress,
 * the model resolved, and the caller's allowlists checked. Throws the error
 * to answer; undefined when the client went away while sending the body (its
 * row is written).
 */
export async function admit(
  scope: CallScope,
  read: (rawBody: Buffer) => IngressCall,
): Promise<Admitted | undefined> {
  const { context, exchange, activity } = scope;
  if (context.shuttingDown) throw GatewayError.fromCode('SHUTTING_DOWN');
  const caller = await context.callers.identify(exchange);
  activity.caller(caller);
  scope.limitSubjects = caller.policy?.subjects ?? (caller.key ? [caller.key] : []);
  // Shared: the body goes to the activity log's writer thread after the request, without a copy.
  const body = await exchange.readBody(context.config.server.maxBodyBytes, { shared: true });
  if (!body.ok) {
    if (body.reason === 'aborted') {
      activity.clientGone();
      activity.finish(499, GatewayError.fromCode('CLIENT_CLOSED_REQUEST'));
      return undefined;
    }
    throw bodyError(body, context.config.server.maxBodyBytes);
  }
  const ingress = read(body.bytes);
  const answer = ingress.answer;
  scope.answer = answer;
  scope.trace?.request(ingress.call.body);
  const requested = ingress.resolved ?? context.catalog.resolve(ingress.requestedModel);
  activity.request({
    requested,
    stream: ingress.call.stream,
    operation: answer?.operation ?? ingress.operation,
    ...(answer?.requestMetadata ? { requestMetadata: answer.requestMetadata } : {}),
    body: body.bytes,
    ...(ingress.session ? { session: ingress.session } : {}),
    ...agentIds(exchange),
  });
  if (caller.policy) {
    if (caller.policy.residencyConflict) throw caller.policy.residencyConflict;
    checkModelAllowed(caller.policy, requested, context.catalog);
  } else if (caller.key && !modelAllowedBy(caller.key.allowedModels, requested, context.catalog)) {
    throw GatewayError.fromCode('MODEL_NOT_ALLOWED', { model: ingress.requestedModel });
  }
  return { caller, ingress, requested, bodyBytes: body.bytes.byteLength };
}
