import { deprecationNotice } from '../../catalog/deprecation.js';
import type { ExecuteOptions } from '../../engine/engine.js';
import { estimateUsage } from '../limits.js';
import { planRequest, type RequestPlan, requestResidency } from '../routing.js';
import type { Admitted } from './admit.js';
import type { CallScope } from './call-scope.js';

/** The stream events the activity log reads (usage, stop reason) when it does not keep bodies. */
const LOGGED_EVENTS = new Set(['message_start', 'message_delta', 'message_stop']);

/** Models whose deprecation this process has logged (once per model: a warning per request would flood the log). */
const warnedModels = new Set<string>();

/** A request's plan, with what the engine and the answer need from it. */
export interface PlannedCall {
  plan: RequestPlan;
  /** Headers every successful answer carries (a deprecation warning). */
  extraHeaders: Record<string, string>;
  options: ExecuteOptions;
}

/**
 * Plans an admitted request: its targets (routes, residency, the session's
 * last target first), then admission against the limits (the targets price
 * what it may cost), the 1M-context beta, and the deprecation warning.
 */
export async function planCall(scope: CallScope, admitted: Admitted): Promise<PlannedCall> {
  const { context, exchange } = scope;
  const { caller, ingress, requested } = admitted;
  const sticky = await context.engine.stickyTarget(ingress.session);
  const residency = requestResidency(
    context.routing,
    context.config.clientGeography,
    caller.policy ? caller.policy.residency : caller.key?.residency,
    ingress.hint,
  );
  const plan = planRequest(context.routing, requested, {
    ...(ingress.hint ? { hint: ingress.hint } : {}),
    ...(residency ? { residency } : {}),
    ...(sticky ? { stickyTarget: sticky } : {}),
  });
  if (scope.limitSubjects.length > 0) {
    const admittedAll = await context.limits.admitAll(
      scope.limitSubjects,
      estimateUsage(admitted.bodyBytes, ingress.call.body['max_tokens'], ingress.operation, plan.targets),
    );
    for (const { subject, reservation } of admittedAll) scope.reservations.set(subject.id, reservation);
  }
  const served = plan.served;
  const model = served.model;
  // `claude-opus-4-8[1m]`: the suffix never reaches a platform; a model whose 1M window needs a beta gets it.
  const contextBeta = served.context1m ? model?.extendedContext?.beta : undefined;
  if (contextBeta && !ingress.call.betas.includes(contextBeta)) {
    ingress.call.betas = [...ingress.call.betas, contextBeta];
  }
  const warning = model ? deprecationNotice(model, context.clock(), plan.targets[0]?.platform) : undefined;
  if (warning && model && !warnedModels.has(model.name)) {
    warnedModels.add(model.name);
    context.logger.warn({ requestId: scope.requestId, model: model.name }, warning);
  }
  const options: ExecuteOptions = {
    signal: exchange.signal,
    ...scope.trace?.engineOptions,
    ...(ingress.session ? { session: ingress.session } : {}),
    // Without full bodies the log needs only usage and the stop reason: the deltas are forwarded unparsed
    // (unless the answer is re-written from every event).
    ...(context.config.store.bodies === 'full' || scope.answer
      ? {}
      : { parseEvents: (type: string) => LOGGED_EVENTS.has(type) }),
  };
  return { plan, extraHeaders: warning ? { 'x-claude-gateway-warning': warning } : {}, options };
}
