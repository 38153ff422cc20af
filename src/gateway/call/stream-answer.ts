import type { MessagesOutcome } from '../../engine/engine.js';
import type { UpstreamStream } from '../../engine/upstream-stream.js';
import { MessageAccumulator } from '../../streaming/message-accumulator.js';
import type { GatewayError } from '../../wire/errors/gateway-error.js';
import { needsPings } from '../egress/index.js';
import { StreamEncoder } from '../egress/stream-encoder.js';
import { StreamPings } from '../stream-pings.js';
import type { CallScope } from './call-scope.js';

/**
 * Streams an upstream answer to the client as it arrives: bytes forwarded
 * untouched when the framing matches (a tap decodes a copy), re-encoded
 * events otherwise; a failure after the first byte ends the stream with the
 * dialect's error; a client that goes away cancels the upstream.
 */
export async function streamAnswer(
  scope: CallScope,
  outcome: Extract<MessagesOutcome, { ok: true; kind: 'stream' }>,
  headers: Record<string, string>,
): Promise<void> {
  const { context, exchange, activity, answer, dialect } = scope;
  const stream: UpstreamStream = outcome.stream;
  const accumulator = new MessageAccumulator();
  const encoder = answer
    ? answer.streamEncoder(accumulator, exchange.startedAt)
    : new StreamEncoder(dialect, outcome.target.platform, accumulator, exchange.startedAt);
  const cancel = () => stream.cancel();
  exchange.signal.addEventListener('abort', cancel, { once: true });
  let failure: GatewayError | undefined;
  try {
    exchange.startStream(200, { ...scope.egress.streamHeaders, ...headers });
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
      // The chunk that ends the answer: the row is recorded (journaled) before the client can see the end.
      if (last) {
        record(200);
        await activity.recorded();
      }
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
      await activity.recorded();
    }
    const pending = exchange.write(scope.streamError(stopped));
    if (pending) await pending;
  }
  record(exchange.clientGone ? 499 : 200);
  await activity.recorded();
  exchange.end();
  scope.done(recorded ?? 200);
}
