import { GatewayError } from '../wire/errors/gateway-error.js';
import { admit } from './call/admit.js';
import { CallScope } from './call/call-scope.js';
import { type Executed, execute } from './call/execute.js';
import { type PlannedCall, planCall } from './call/plan-call.js';
import { respond } from './call/respond.js';
import type { GatewayContext } from './context.js';
import type { Dialect, IngressCall } from './dialect.js';
import type { Exchange } from './exchange.js';

export { newRequestId } from './call/call-scope.js';

/**
 * The steps before the answer. Their own frame, so the request as read (its
 * parsed body) is garbage once the engine has sent it, not kept alive for the
 * whole of a stream: the log keeps the body's bytes, once.
 */
async function admitPlanExecute(
  scope: CallScope,
  read: (rawBody: Buffer) => IngressCall,
): Promise<{ planned: PlannedCall; executed: Executed } | undefined> {
  const admitted = await admit(scope, read);
  if (!admitted) return undefined;
  const planned = await planCall(scope, admitted);
  const executed = await execute(scope, admitted.ingress, planned);
  return executed ? { planned, executed } : undefined;
}

/**
 * Serves one Messages or count-tokens request in any dialect, in four steps:
 * admit (caller, body, model, allowlists) → plan (targets, limits) → execute
 * (the engine's attempts) → respond (the answer in the client's dialect).
 * Every request, whatever its end, lands in the activity log.
 */
export async function serveCall(
  context: GatewayContext,
  exchange: Exchange,
  dialect: Dialect,
  operation: IngressCall['operation'],
  read: (rawBody: Buffer) => IngressCall,
  /** What the log calls the operation when the request is refused before it is read (`converse`). */
  loggedOperation: string = operation,
): Promise<void> {
  const scope = new CallScope(context, exchange, dialect, operation, loggedOperation);
  context.requestsInFlight += 1;
  context.inFlight.add(scope.activity, exchange);
  try {
    const served = await admitPlanExecute(scope, read);
    if (served) await respond(scope, served.planned, served.executed);
  } catch (error) {
    const gatewayError = GatewayError.from(error);
    if (exchange.streamStarted) {
      const stopped = exchange.stoppedBy;
      scope.activity.finish(stopped ? stopped.status : 200, stopped ?? gatewayError);
      await scope.activity.recorded();
      await exchange.write(scope.streamError(stopped ?? gatewayError));
      exchange.end();
    } else {
      if (gatewayError.code === 'INTERNAL_ERROR')
        context.logger.error({ requestId: scope.requestId, err: error }, 'internal error');
      await scope.fail(gatewayError);
    }
  } finally {
    context.requestsInFlight -= 1;
    context.inFlight.remove(scope.activity);
    context.requestDone();
  }
}
