import { randomUUID } from 'node:crypto';
import type { ModelEntry, Platform } from '../../catalog/types.js';
import { isEventOfType, type Message } from '../../wire/anthropic-events.js';
import { encodeBedrockChunk, encodeBedrockException } from '../../wire/bedrock-chunk.js';
import { renderBedrockStreamException } from '../../wire/errors/bedrock.js';
import type { GatewayError } from '../../wire/errors/gateway-error.js';
import { renderStreamError } from '../../wire/errors/stream-error.js';
import { encodeEventStreamMessage } from '../../wire/eventstream.js';
import { faultError } from '../fault-errors.js';
import type { Fault } from '../faults.js';
import type { JournalEntry } from '../journal.js';
import { type RenderedEvent, replyToEvents, replyToMessage } from '../model/render.js';
import { planReply, type Reply } from '../model/reply.js';
import { type EmulatorScript, parseScript, scriptInMessages } from '../model/script.js';
import type { EmulatorState } from '../state.js';
import { platformErrorResponse } from './platform-error-response.js';
import { scheduledStream } from './scheduled-stream.js';

/** A validated Messages call to one emulated platform. */
export interface EmulatedCall {
  platform: Platform;
  region: string | undefined;
  model: ModelEntry | undefined;
  /** The model as the client named it. */
  modelName: string;
  body: Record<string, unknown>;
  stream: boolean;
  betas: ReadonlySet<string>;
  scriptHeader: string | undefined;
  journal: JournalEntry;
  /** For an API answered in other shapes than Messages (Bedrock Converse). */
  shape?: AnswerShape;
}

/** How an API built on Messages writes the model's answer (Bedrock Converse). */
export interface AnswerShape {
  /** The whole answer's body. */
  whole(message: Message, latencyMs: number): string;
  /** The stream's frames, in order. */
  frames(events: RenderedEvent[], started: number): Uint8Array[];
  /** The in-stream error frame for a `stream-error` fault. */
  streamError(error: GatewayError): Uint8Array;
}

/** Control over the client's connection, for the reset faults. */
export interface ClientConnection {
  reset(): void;
}

const encoder = new TextEncoder();

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** The fault that applies to a call, if any (used up by taking it). */
export function takeFault(
  state: EmulatorState,
  call: Pick<EmulatedCall, 'platform' | 'region' | 'modelName' | 'stream'>,
  operation: 'messages' | 'count_tokens',
): Fault | undefined {
  return state.faults.take({
    platform: call.platform,
    region: call.region,
    model: call.modelName,
    operation,
    stream: call.stream,
  });
}

/**
 * Applies the faults that act before an answer: an HTTP error, a reset before
 * headers, a slow first byte. Returns the response to send instead, or
 * undefined to go on with the answer.
 */
export async function applyLeadingFault(
  fault: Fault | undefined,
  call: Pick<EmulatedCall, 'platform' | 'journal'>,
  connection: ClientConnection,
): Promise<Response | undefined> {
  if (!fault) return undefined;
  call.journal.faultId = fault.id;
  if (fault.kind === 'http') {
    const error = faultError(fault, call.platform);
    call.journal.status = error.status;
    call.journal.errorType = error.upstreamCode ?? error.type;
    return platformErrorResponse(call.platform, error);
  }
  if (fault.kind === 'reset-before-headers') {
    call.journal.status = 0;
    connection.reset();
    return new Response(null, { status: 500 });
  }
  if (fault.kind === 'slow-first-byte' && fault.delayMs) await sleep(fault.delayMs);
  return undefined;
}

function resolveScript(
  state: EmulatorState,
  call: EmulatedCall,
): { script?: EmulatorScript; error?: string } {
  const queued = state.takeScript(call.platform, call.model?.name ?? call.modelName);
  if (queued) return { script: queued };
  if (call.scriptHeader) {
    const parsed = parseScript(call.scriptHeader);
    return 'error' in parsed ? { error: `x-emulator-script: ${parsed.error}` } : parsed;
  }
  const inMessage = scriptInMessages(call.body['messages']);
  if (!inMessage) return {};
  return 'error' in inMessage ? { error: inMessage.error } : inMessage;
}

/**
 * Answers a Messages call as the platform would: the scripted model's reply as
 * one JSON message, or as a stream in the platform's framing (SSE, or AWS
 * event-stream with Bedrock's chunk payloads), with faults applied.
 */
export async function answerMessages(
  state: EmulatorState,
  call: EmulatedCall,
  connection: ClientConnection,
  invalidRequest: (message: string) => GatewayError,
): Promise<Response> {
  const fault = takeFault(state, call, 'messages');
  const early = await applyLeadingFault(fault, call, connection);
  if (early) return early;

  const { script, error } = resolveScript(state, call);
  if (error) return platformErrorResponse(call.platform, invalidRequest(error));
  const badSignature = state.options.verifyThinkingSignatures
    ? state.signer.checkMessages(call.platform, call.body['messages'])
    : undefined;
  if (badSignature) {
    call.journal.status = 400;
    return platformErrorResponse(call.platform, invalidRequest(badSignature));
  }
  const started = Date.now();
  const reply = planReply({
    platform: call.platform,
    cacheScope: `${call.platform}/${call.region ?? ''}/${call.model?.name ?? call.modelName}`,
    body: call.body,
    responseModel: call.model?.anthropicId ?? call.modelName,
    betas: call.betas,
    script,
    cache: state.cache,
    signer: state.signer,
  });
  const delayMs =
    fault?.kind === 'latency' ? (fault.delayMs ?? 0) : (script?.delay_ms ?? state.options.eventDelayMs);
  call.journal.status = 200;

  if (!call.stream) {
    if (delayMs > 0) await sleep(delayMs);
    const message = replyToMessage(reply);
    if (call.shape) {
      return new Response(call.shape.whole(message, Date.now() - started), {
        status: 200,
        headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() },
      });
    }
    return new Response(JSON.stringify(message), {
      status: 200,
      headers: { 'content-type': 'application/json', ...platformHeaders(call.platform, reply, started) },
    });
  }

  const events = replyToEvents(reply);
  const frames = call.shape
    ? call.shape.frames(events, started)
    : script?.stamp
      ? events.map((event) =>
          stampedFrame(event, (one) => encodeFrames(call.platform, [one], reply, started)),
        )
      : encodeFrames(call.platform, events, reply, started);
  const midStream =
    fault && ['reset-mid-stream', 'stream-error', 'stall'].includes(fault.kind) ? fault : undefined;
  const body = scheduledStream({
    frames,
    delayMs,
    ...(midStream ? { fault: midStream } : {}),
    ...(midStream?.kind === 'stream-error'
      ? {
          errorFrame: call.shape
            ? call.shape.streamError(faultError(midStream, call.platform))
            : encodeStreamError(call.platform, faultError(midStream, call.platform)),
        }
      : {}),
    resetConnection: () => connection.reset(),
  });
  return new Response(body, { status: 200, headers: streamHeaders(call.platform) });
}

function streamHeaders(platform: Platform): Record<string, string> {
  if (platform === 'bedrock') {
    return {
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-requestid': randomUUID(),
      'x-amzn-bedrock-content-type': 'application/json',
    };
  }
  return {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    ...(platform === 'vertex' ? {} : { 'request-id': `req_${randomUUID().replaceAll('-', '')}` }),
  };
}

function platformHeaders(platform: Platform, reply: Reply, started: number): Record<string, string> {
  if (platform === 'bedrock') {
    return {
      'x-amzn-requestid': randomUUID(),
      'x-amzn-bedrock-invocation-latency': String(Date.now() - started),
      'x-amzn-bedrock-input-token-count': String(reply.usage.input_tokens),
      'x-amzn-bedrock-output-token-count': String(reply.usage.output_tokens),
      'x-amzn-bedrock-cache-read-input-token-count': String(reply.usage.cache_read_input_tokens),
      'x-amzn-bedrock-cache-write-input-token-count': String(reply.usage.cache_creation_input_tokens),
    };
  }
  if (platform === 'vertex') return {};
  return { 'request-id': `req_${randomUUID().replaceAll('-', '')}` };
}

/** Encodes each event in the platform's stream framing. */
/** A text delta encoded when it is sent, its text led by `@sent=<monotonic ns>;`; any other event as it is. */
function stampedFrame(
  rendered: RenderedEvent,
  encode: (event: RenderedEvent) => Uint8Array[],
): Uint8Array | (() => Uint8Array) {
  const { event } = rendered;
  if (!isEventOfType(event, 'content_block_delta') || event.delta.type !== 'text_delta')
    return encode(rendered)[0] as Uint8Array;
  const delta = event.delta;
  return () => {
    const stamped = { ...event, delta: { ...delta, text: `@sent=${process.hrtime.bigint()};${delta.text}` } };
    return encode({ event: stamped, json: JSON.stringify(stamped) })[0] as Uint8Array;
  };
}

function encodeFrames(
  platform: Platform,
  events: RenderedEvent[],
  reply: Reply,
  started: number,
): Uint8Array[] {
  if (platform !== 'bedrock') {
    return events.map(({ event, json }) => encoder.encode(`event: ${event.type}\ndata: ${json}\n\n`));
  }
  return events.map(({ event, json }) => {
    const last = event.type === 'message_stop';
    return encodeEventStreamMessage(
      encodeBedrockChunk(
        json,
        last
          ? {
              invocationMetrics: {
                inputTokenCount: reply.usage.input_tokens,
                outputTokenCount: reply.usage.output_tokens,
                invocationLatency: Date.now() - started,
                firstByteLatency: Math.min(50, Date.now() - started),
                cacheReadInputTokenCount: reply.usage.cache_read_input_tokens,
                cacheWriteInputTokenCount: reply.usage.cache_creation_input_tokens,
              },
            }
          : {},
      ),
    );
  });
}

/** An in-stream error in the platform's framing: an SSE `error` event or a Bedrock exception frame. */
export function encodeStreamError(platform: Platform, error: GatewayError): Uint8Array {
  if (platform !== 'bedrock') return encoder.encode(renderStreamError(error));
  const { exceptionType } = renderBedrockStreamException(error);
  return encodeEventStreamMessage(encodeBedrockException(exceptionType, error.message));
}
