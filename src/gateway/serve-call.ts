import { randomUUID } from 'node:crypto';
import { deprecationNotice } from '../catalog/deprecation.js';
import type { MessagesOutcome } from '../engine/engine.js';
import { targetKey } from '../engine/targets.js';
import type { UpstreamStream } from '../engine/upstream-stream.js';
import { checkModelAllowed } from '../identity/policy.js';
import { MessageAccumulator } from '../streaming/message-accumulator.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { ActivityEntry } from './activity.js';
import { modelAllowedBy } from './callers.js';
import type { GatewayContext } from './context.js';
import {
  type AnswerTranslation,
  type Dialect,
  encodeDialectStreamError,
  type IngressCall,
  renderDialectError,
  sameDialectUpstreamError,
} from './dialect.js';
import { bedrockWholeAnswerHeaders, needsPings, StreamEncoder, streamContentHeaders } from './egress.js';
import { bodyError, type Exchange } from './exchange.js';
import { wrapInvalidToolInputs } from './invalid-tool-input.js';
import { estimateUsage, type LimitSubject, type Reservation } from './limits.js';
import { planRequest, requestResidency } from './routing.js';
import { StreamPings } from './stream-pings.js';

const warnedModels = new Set<string>();

/** The stream events the activity log reads (usage, stop reason) when it does not keep bodies. */
const LOGGED_EVENTS = new Set(['message_start', 'message_delta', 'message_stop']);

/** A gateway request id: `req_gw_` and 32 hex characters (randomUUID draws from a cached pool of randomness). */
export function newRequestId(): string {
  return `req_gw_${randomUUID().replaceAll('-', '')}`;
}

/** Headers every gateway answer carries: its request id in the dialect's own header, and what the gateway did. */
function gatewayHeaders(
  dialect: Dialect,
  requestId: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    'x-claude-gateway-request-id': requestId,
    ...(dialect === 'bedrock' ? { 'x-amzn-requestid': requestId } : { 'request-id': requestId }),
    ...extra,
  };
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

/** A header value node accepts: the log's arrows as `->`, anything else outside ASCII percent-encoded. */
function headerSafe(value: string): string {
  return value.replace(/→/g, '->').replace(/[^\x20-\x7e]/g, (character) => encodeURIComponent(character));
}

function describeServed(outcome: {
  target: Parameters<typeof targetKey>[0];
  changes: string[];
}): Record<string, string> {
  return {
    'x-claude-gateway-target': targetKey(outcome.target),
    ...(outcome.changes.length > 0
      ? { 'x-claude-gateway-changes': headerSafe(outcome.changes.join(', ')) }
      : {}),
  };
}

/**
 * Serves one Messages or count-tokens request in any dialect: caller, body,
 * policy, plan, engine, and the answer re-encoded for the client. Every
 * request, whatever its end, lands in the activity log.
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
  const requestId = newRequestId();
  // What the request counts against (its key, user or service token, group) and holds from admission until its row is written.
  let limitSubjects: readonly LimitSubject[] = [];
  const reservations = new Map<string, Reservation | undefined>();
  const trace = context.telemetry?.startRequest({
    requestId,
    dialect,
    operation,
    header: (name) => exchange.header(name),
  });
  const activity = new ActivityEntry(context.store, context.config.store.bodies, {
    id: requestId,
    dialect,
    operation: loggedOperation,
    ...(exchange.clientAddress ? { clientAddress: exchange.clientAddress } : {}),
    ...(exchange.header('user-agent') ? { userAgent: exchange.header('user-agent') as string } : {}),
    onFinish: (record) => {
      trace?.finish(record);
      for (const subject of limitSubjects)
        context.limits.settle(
          reservations.get(subject.id),
          subject.id,
          // A token count uses no tokens of the key's rate (the row keeps the count it answered).
          record.operation === 'count_tokens' ? 0 : record.inputTokens + record.outputTokens,
          record.costUsd,
        );
    },
  });
  context.requestsInFlight += 1;
  // Set once the request is read when the client's API writes its own answers (Converse).
  let answer: AnswerTranslation | undefined;
  // Throughout: the row is recorded (journaled, see store.journal) before the answer's last byte goes
  // out, so a request the client saw finish is in the log even if the process dies right after.
  const fail = (error: GatewayError, changes: readonly string[] = []) => {
    // The platform's own answer goes back as it came when the client speaks its dialect; any note of ours in a header.
    const forwarded = sameDialectUpstreamError(dialect, error);
    const rendered = forwarded?.rendered ?? renderDialectError(dialect, error, requestId);
    activity.finish(rendered.status, error);
    // What the gateway did before giving up (the failovers) is part of the answer too.
    const extra: Record<string, string> = {
      ...(changes.length > 0 ? { 'x-claude-gateway-changes': headerSafe(changes.join(', ')) } : {}),
      ...(forwarded?.note ? { 'x-claude-gateway-note': headerSafe(forwarded.note) } : {}),
    };
    exchange.send(
      rendered.status,
      { ...rendered.headers, ...gatewayHeaders(dialect, requestId, extra) },
      rendered.body,
    );
    context.metrics.requestDone(dialect, rendered.status, activity);
  };
  try {
    if (context.shuttingDown) throw GatewayError.fromCode('SHUTTING_DOWN');
    const caller = await context.callers.identify(exchange);
    activity.caller(caller);
    limitSubjects = caller.policy?.subjects ?? (caller.key ? [caller.key] : []);
    const body = await exchange.readBody(context.config.server.maxBodyBytes);
    if (!body.ok) {
      if (body.reason === 'aborted') {
        activity.clientGone();
        activity.finish(499, GatewayError.fromCode('CLIENT_CLOSED_REQUEST'));
        return;
      }
      throw bodyError(body, context.config.server.maxBodyBytes);
    }
    const ingress = read(body.bytes);
    answer = ingress.answer;
    trace?.request(ingress.call.body);
    // The model is resolved once: the log, the allowlists and the plan all read this.
    const requested = context.catalog.resolve(ingress.requestedModel);
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
    } else if (caller.key) {
      if (!modelAllowedBy(caller.key.allowedModels, requested, context.catalog)) {
        throw GatewayError.fromCode('MODEL_NOT_ALLOWED', { model: ingress.requestedModel });
      }
    }
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
    // Admitted against the limits only now: the plan's targets price what the request may cost.
    if (limitSubjects.length > 0) {
      const admitted = await context.limits.admitAll(
        limitSubjects,
        estimateUsage(
          body.bytes.byteLength,
          ingress.call.body['max_tokens'],
          ingress.operation,
          plan.targets,
        ),
      );
      for (const { subject, reservation } of admitted) reservations.set(subject.id, reservation);
    }
    const served = plan.served;
    const model = served.model;
    // `claude-opus-4-8[1m]`: the suffix never reaches a platform; a model whose 1M window needs a beta gets it.
    const contextBeta = served.context1m ? model?.extendedContext?.beta : undefined;
    if (contextBeta && !ingress.call.betas.includes(contextBeta)) {
      ingress.call.betas = [...ingress.call.betas, contextBeta];
    }
    const warning = model ? deprecationNotice(model, context.clock(), plan.targets[0]?.platform) : undefined;
    // Logged once per model per process: a warning per request would flood the log and cost a sync write each time.
    if (warning && model && !warnedModels.has(model.name)) {
      warnedModels.add(model.name);
      context.logger.warn({ requestId, model: model.name }, warning);
    }
    const extraHeaders: Record<string, string> = warning ? { 'x-claude-gateway-warning': warning } : {};
    const options = {
      signal: exchange.signal,
      ...trace?.engineOptions,
      ...(ingress.session ? { session: ingress.session } : {}),
      // Without full bodies the log needs only usage and the stop reason: the deltas are forwarded unparsed
      // (unless the answer is re-written from every event).
      ...(context.config.store.bodies === 'full' || answer
        ? {}
        : { parseEvents: (type: string) => LOGGED_EVENTS.has(type) }),
    };

    if (ingress.operation === 'count_tokens') {
      const outcome = await context.engine.countTokens(ingress.call, plan.targets, options);
      context.metrics.attempts(outcome.attempts);
      if (!outcome.ok) {
        activity.failedAttempts(outcome.attempts, outcome.changes);
        fail(exchange.stoppedBy ?? outcome.error, outcome.changes);
        return;
      }
      activity.served(outcome.target, outcome.attempts, outcome.changes);
      const answer =
        dialect === 'bedrock' ? { inputTokens: outcome.inputTokens } : { input_tokens: outcome.inputTokens };
      activity.answered({ input_tokens: outcome.inputTokens, output_tokens: 0 }, undefined);
      activity.finish(200);
      exchange.send(
        200,
        {
          'content-type': 'application/json',
          ...gatewayHeaders(dialect, requestId, describeServed(outcome)),
        },
        JSON.stringify(answer),
      );
      context.metrics.requestDone(dialect, 200, activity);
      return;
    }

    const outcome: MessagesOutcome = await context.engine.messages(ingress.call, plan.targets, options);
    context.metrics.attempts(outcome.attempts);
    if (!outcome.ok) {
      activity.failedAttempts(outcome.attempts, outcome.changes);
      // The gateway stopped it (shutting down): say so in the client's dialect, not as a client disconnect.
      if (exchange.stoppedBy) {
        fail(exchange.stoppedBy);
        return;
      }
      if (exchange.clientGone) {
        activity.clientGone();
        activity.finish(499, outcome.error);
        return;
      }
      fail(outcome.error, outcome.changes);
      return;
    }
    activity.served(outcome.target, outcome.attempts, outcome.changes);
    const headers = gatewayHeaders(dialect, requestId, { ...describeServed(outcome), ...extraHeaders });
    if (outcome.kind === 'message') {
      activity.firstByte();
      let bodyText = outcome.bodyText;
      const wrapped = wrapInvalidToolInputs(
        outcome.message,
        plan.route?.options?.invalidToolInput === 'wrap',
      );
      if (wrapped.changes.length > 0) {
        activity.addChanges(wrapped.changes);
        if (wrapped.message) bodyText = JSON.stringify(wrapped.message);
        // The client sees what the gateway did to the answer, as for any other change.
        const all = [...outcome.changes, ...wrapped.changes];
        headers['x-claude-gateway-changes'] = headerSafe(all.join(', '));
      }
      const usage = outcome.message.usage;
      if (answer)
        bodyText = answer.whole(wrapped.message ?? outcome.message, Date.now() - exchange.startedAt);
      activity.answered(usage, outcome.message.stop_reason, bodyText);
      activity.finish(200);
      exchange.send(
        200,
        {
          'content-type': 'application/json',
          ...headers,
          ...(dialect === 'bedrock' && !answer
            ? bedrockWholeAnswerHeaders(usage, Date.now() - exchange.startedAt)
            : {}),
        },
        bodyText,
      );
      context.metrics.requestDone(dialect, 200, activity);
      return;
    }
    await streamAnswer(context, exchange, dialect, outcome, headers, activity, answer);
  } catch (error) {
    const gatewayError = GatewayError.from(error);
    if (exchange.streamStarted) {
      const stopped = exchange.stoppedBy;
      activity.finish(stopped ? stopped.status : 200, stopped ?? gatewayError);
      const failure = stopped ?? gatewayError;
      await exchange.write(answer ? answer.streamError(failure) : encodeDialectStreamError(dialect, failure));
      exchange.end();
    } else {
      if (gatewayError.code === 'INTERNAL_ERROR')
        context.logger.error({ requestId, err: error }, 'internal error');
      fail(gatewayError);
    }
  } finally {
    context.requestsInFlight -= 1;
    context.requestDone();
  }
}

/**
 * Streams an upstream answer to the client as it arrives: bytes forwarded
 * untouched when the framing matches (a tap decodes a copy), re-encoded
 * events otherwise; a failure after the first byte ends the stream with the
 * dialect's error; a client that goes away cancels the upstream.
 */
async function streamAnswer(
  context: GatewayContext,
  exchange: Exchange,
  dialect: Dialect,
  outcome: Extract<MessagesOutcome, { kind: 'stream' }>,
  headers: Record<string, string>,
  activity: ActivityEntry,
  answer: AnswerTranslation | undefined,
): Promise<void> {
  const stream: UpstreamStream = outcome.stream;
  const accumulator = new MessageAccumulator();
  const encoder = answer
    ? answer.streamEncoder(accumulator, exchange.startedAt)
    : new StreamEncoder(dialect, outcome.target.platform, accumulator, exchange.startedAt);
  const cancel = () => stream.cancel();
  exchange.signal.addEventListener('abort', cancel, { once: true });
  let failure: GatewayError | undefined;
  try {
    exchange.startStream(200, { ...streamContentHeaders(dialect), ...headers });
  } catch (error) {
    // The answer could not start (the client is gone, or a header was refused): stop the upstream too.
    stream.cancel();
    exchange.signal.removeEventListener('abort', cancel);
    throw error;
  }
  activity.firstByte();
  // Bedrock's event-stream has no pings: an SSE client gets them from the gateway while the upstream is silent.
  const pings = needsPings(dialect, outcome.target.platform)
    ? new StreamPings(context.config.timeouts.pingMs, (chunk) => exchange.write(chunk))
    : undefined;
  pings?.start();
  let recorded: number | undefined;
  const record = (status: number) => {
    if (recorded !== undefined) return;
    recorded = status;
    // Streamed tool input that is not valid JSON (fine-grained tool streaming): passed on as streamed,
    // and said in the log (the headers are long gone). Seen when the log keeps bodies (events parsed).
    const invalid = accumulator.invalidToolInputs();
    if (invalid.length > 0)
      activity.addChanges(invalid.map((input) => `streamed-invalid-tool-input:${input.id}`));
    activity.answered(
      accumulator.usage,
      accumulator.stopReason,
      accumulator.message && context.config.store.bodies === 'full'
        ? JSON.stringify(accumulator.finalMessage())
        : undefined,
    );
    activity.finish(status, failure);
  };
  try {
    for await (const chunk of stream) {
      let last = false;
      for (const item of chunk.items) {
        if (item.kind === 'error') {
          failure = item.error;
          last = true;
        } else {
          if (item.parsed !== false) accumulator.push(item.event);
          if (item.event.type === 'message_stop') last = true;
        }
      }
      if (exchange.signal.aborted) break;
      // The chunk that ends the answer: record the row before the client can see the end.
      if (last) record(200);
      const pending = exchange.write(encoder.encode(chunk));
      // After the answer's end (message_stop, or an error) nothing more goes out, pings included.
      if (last) pings?.stop();
      else pings?.wrote();
      if (pending) await pending;
    }
  } finally {
    pings?.stop();
    exchange.signal.removeEventListener('abort', cancel);
  }
  if (exchange.signal.aborted) stream.cancel();
  // A row already recorded is queued as it is: it is not changed afterwards.
  if (exchange.clientGone && recorded === undefined) activity.clientGone();
  // Stopped by the gateway (its shutdown grace ran out): the stream ends with the dialect's error, never silently.
  const stopped = exchange.stoppedBy;
  if (stopped) {
    if (recorded === undefined) {
      failure = stopped;
      record(stopped.status);
    }
    const pending = exchange.write(
      answer ? answer.streamError(stopped) : encodeDialectStreamError(dialect, stopped),
    );
    if (pending) await pending;
  }
  record(exchange.clientGone ? 499 : 200);
  exchange.end();
  context.metrics.requestDone(dialect, recorded ?? 200, activity);
}
