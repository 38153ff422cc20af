import type { CountTokensOutcome, MessagesOutcome } from '../../engine/engine.js';
import type { IngressCall } from '../dialect.js';
import type { CallScope } from './call-scope.js';
import type { PlannedCall } from './plan-call.js';

/** What the engine served. */
export type Executed =
  | { operation: 'count_tokens'; outcome: Extract<CountTokensOutcome, { ok: true }> }
  | { operation: 'messages'; outcome: Extract<MessagesOutcome, { ok: true }> };

/**
 * Runs the plan through the engine (attempts, retries, failover). When every
 * target failed it answers the failure (or logs a client that went away) and
 * returns undefined.
 */
export async function execute(
  scope: CallScope,
  ingress: IngressCall,
  planned: PlannedCall,
): Promise<Executed | undefined> {
  const { context, exchange, activity } = scope;
  const { targets } = planned.plan;
  if (ingress.operation === 'count_tokens') {
    const outcome = await context.engine.countTokens(ingress.call, targets, planned.options);
    context.metrics.attempts(outcome.attempts);
    if (outcome.ok) return { operation: 'count_tokens', outcome };
    activity.failedAttempts(outcome.attempts, outcome.changes);
    await scope.fail(exchange.stoppedBy ?? outcome.error, outcome.changes);
    return undefined;
  }
  const outcome = await context.engine.messages(ingress.call, targets, planned.options);
  context.metrics.attempts(outcome.attempts);
  if (outcome.ok) return { operation: 'messages', outcome };
  activity.failedAttempts(outcome.attempts, outcome.changes);
  // The gateway stopped it (shutting down): say so in the client's dialect, not as a client disconnect.
  if (exchange.stoppedBy) await scope.fail(exchange.stoppedBy);
  else if (exchange.clientGone) {
    activity.clientGone();
    activity.finish(499, outcome.error);
  } else await scope.fail(outcome.error, outcome.changes);
  return undefined;
}
