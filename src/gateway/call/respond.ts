import type { CountTokensOutcome, MessagesOutcome } from '../../engine/engine.js';
import { wrapInvalidToolInputs } from '../invalid-tool-input.js';
import { type CallScope, changesHeader, describeServed } from './call-scope.js';
import type { Executed } from './execute.js';
import type { PlannedCall } from './plan-call.js';
import { streamAnswer } from './stream-answer.js';

/**
 * Answers what the engine served, in the client's dialect: a token count, a
 * whole message, or a stream. Throughout, the row is recorded (journaled,
 * see store.journal) before the answer's last byte goes out, so a request the
 * client saw finish is in the log even if the process dies right after.
 */
export async function respond(scope: CallScope, planned: PlannedCall, executed: Executed): Promise<void> {
  scope.activity.served(executed.outcome.target, executed.outcome.attempts, executed.outcome.changes);
  if (executed.operation === 'count_tokens') return await respondCount(scope, executed.outcome);
  const outcome = executed.outcome;
  const headers = scope.headers({ ...describeServed(outcome), ...planned.extraHeaders });
  if (outcome.kind === 'message') return await respondMessage(scope, planned, outcome, headers);
  // Returned, not awaited: this frame then ends here instead of staying suspended for the stream's whole life.
  return streamAnswer(scope, outcome, headers);
}

async function respondCount(
  scope: CallScope,
  outcome: Extract<CountTokensOutcome, { ok: true }>,
): Promise<void> {
  const { activity } = scope;
  activity.answered({ input_tokens: outcome.inputTokens, output_tokens: 0 }, undefined);
  activity.finish(200);
  await activity.recorded();
  scope.exchange.send(
    200,
    { 'content-type': 'application/json', ...scope.headers(describeServed(outcome)) },
    scope.egress.countTokensBody(outcome.inputTokens),
  );
  scope.done(200);
}

async function respondMessage(
  scope: CallScope,
  planned: PlannedCall,
  outcome: Extract<MessagesOutcome, { ok: true; kind: 'message' }>,
  headers: Record<string, string>,
): Promise<void> {
  const { activity, exchange, answer } = scope;
  activity.firstByte();
  let bodyText = outcome.bodyText;
  const wrapped = wrapInvalidToolInputs(
    outcome.message,
    planned.plan.route?.options?.invalidToolInput === 'wrap',
  );
  if (wrapped.changes.length > 0) {
    activity.addChanges(wrapped.changes);
    if (wrapped.message) bodyText = JSON.stringify(wrapped.message);
    // The client sees what the gateway did to the answer, as for any other change.
    Object.assign(headers, changesHeader([...outcome.changes, ...wrapped.changes]));
  }
  const usage = outcome.message.usage;
  const latencyMs = () => Date.now() - exchange.startedAt;
  if (answer) bodyText = answer.whole(wrapped.message ?? outcome.message, latencyMs());
  activity.answered(usage, outcome.message.stop_reason, bodyText);
  activity.finish(200);
  await activity.recorded();
  exchange.send(
    200,
    {
      'content-type': 'application/json',
      ...headers,
      // A client API with its own answers (Converse) says its usage in the body.
      ...(answer ? {} : scope.egress.wholeAnswerHeaders(usage, latencyMs())),
    },
    bodyText,
  );
  scope.done(200);
}
