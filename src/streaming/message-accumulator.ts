import type {
  ContentBlock,
  ContentBlockDeltaEvent,
  ContentBlockStartEvent,
  ContentBlockStopEvent,
  ErrorEvent,
  Message,
  MessageDeltaEvent,
  MessageStartEvent,
  StreamEvent,
  Usage,
} from '../wire/anthropic-events.js';
import { wrapInvalidJson } from './invalid-tool-input.js';
import { IncrementalJsonParser } from './partial-json/incremental-json-parser.js';
import type { PartialJsonState } from './partial-json/partial-json-state.js';
import {
  attachToolInputReport,
  describeToolInput,
  type InvalidToolInput,
  type ToolInputReport,
} from './tool-input-report.js';

/**
 * What `finalMessage` puts in `input` when a tool call's streamed input is
 * not usable JSON (invalid, or cut short by a max_tokens stop):
 * - `snapshot` (default): the best-effort value parsed so far, or `{}` when it
 *   is not an object. A valid API shape: safe to forward or to send back.
 * - `wrap`: `{ INVALID_JSON: "<raw text>" }`, the guide's wrapping: the model
 *   sees exactly what it wrote when the message is sent back.
 * - `raw`: the raw text itself, a string. Not a valid API shape: for logs and
 *   debugging only.
 * In every mode the block carries the non-standard `TOOL_INPUT_REPORT`
 * marker (non-enumerable, never serialized), and `invalidToolInputs()` lists
 * the same facts on the side.
 */
export type InvalidToolInputMode = 'snapshot' | 'wrap' | 'raw';

/** Options for `MessageAccumulator.finalMessage`. */
export interface FinalMessageOptions {
  invalidToolInput?: InvalidToolInputMode;
  /** The key for `wrap`; `INVALID_JSON` by default. */
  wrapKey?: string;
}

interface BlockState {
  /** The block's position in `message.content`. */
  position: number;
  block: ContentBlock;
  parser: IncrementalJsonParser | undefined;
  /** Whether the parser grew since `block.input` was last refreshed. */
  unread: boolean;
  /** Whether `block.citations` is our own array (not the event's). */
  ownsCitations: boolean;
  stopped: boolean;
}

/**
 * Builds a message from stream events, like the SDK's `MessageStream`, with
 * tool input parsed incrementally (`block.input` shows partial strings as
 * they grow) and without ever throwing on odd events or invalid tool input.
 *
 * It never mutates the events it is given, so the same event objects can be
 * forwarded to clients, and it copies nothing per event: text grows by
 * concatenation, tool input by the incremental parser. The message is live:
 * read it through `message` (which writes the open tool-input string into
 * `block.input`) rather than holding on to an old block.
 *
 * @example
 * const accumulator = new MessageAccumulator();
 * for await (const event of events) accumulator.push(event);
 * accumulator.usage; // { input_tokens: 12, output_tokens: 85, … }
 * const message = accumulator.finalMessage();
 * for (const invalid of accumulator.invalidToolInputs()) console.warn(invalid.error, invalid.rawJson);
 */
export class MessageAccumulator {
  #message: Message | undefined = undefined;
  #blocks = new Map<number, BlockState>();
  #unread: BlockState[] = [];
  #stopped = false;
  #error: ErrorEvent['error'] | undefined = undefined;
  #unhandled: StreamEvent[] = [];

  /** Applies one event. Unknown event and delta types are kept in `unhandledEvents`. */
  push(event: StreamEvent): void {
    switch (event.type) {
      case 'message_start':
        this.#start(event as MessageStartEvent);
        return;
      case 'content_block_start':
        this.#startBlock(event as ContentBlockStartEvent);
        return;
      case 'content_block_delta':
        this.#applyDelta(event as ContentBlockDeltaEvent);
        return;
      case 'content_block_stop':
        this.#stopBlock(event as ContentBlockStopEvent);
        return;
      case 'message_delta':
        this.#applyMessageDelta(event as MessageDeltaEvent);
        return;
      case 'message_stop':
        this.#stopped = true;
        return;
      case 'ping':
        return;
      case 'error':
        this.#error = (event as ErrorEvent).error;
        return;
      default:
        this.#unhandled.push(event);
    }
  }

  /** The message so far (live), or `undefined` before `message_start`. */
  get message(): Message | undefined {
    const unread = this.#unread;
    for (let state = unread.pop(); state !== undefined; state = unread.pop()) this.#refreshInput(state);
    return this.#message;
  }

  get usage(): Usage | undefined {
    return this.#message?.usage;
  }

  get stopReason(): string | null {
    return this.#message?.stop_reason ?? null;
  }

  get stopSequence(): string | null {
    return this.#message?.stop_sequence ?? null;
  }

  /** Whether `message_stop` arrived. */
  get isStopped(): boolean {
    return this.#stopped;
  }

  /** The error of an in-stream `error` event, if one arrived. */
  get error(): ErrorEvent['error'] | undefined {
    return this.#error;
  }

  /** Events (and deltas) of types this accumulator does not know, in arrival order, not copied. */
  get unhandledEvents(): readonly StreamEvent[] {
    return this.#unhandled;
  }

  /**
   * The streamed-input state of the block at `index` (as in the events), or
   * `undefined` when that block received no `input_json_delta`.
   */
  toolInput(index: number): PartialJsonState | undefined {
    return this.#blocks.get(index)?.parser;
  }

  /**
   * The blocks whose streamed input is not usable JSON: invalid so far, or
   * unfinished although the block (or the message) has stopped.
   */
  invalidToolInputs(): InvalidToolInput[] {
    return this.#invalidToolInputs(false).map(([, invalid]) => invalid);
  }

  /**
   * The message as it ended. Tool inputs still open count as finished. Returns
   * a shallow copy (the content array is new; blocks are shared unless the
   * mode replaced their input). Throws only when no `message_start` arrived.
   *
   * @example
   * const message = accumulator.finalMessage({ invalidToolInput: 'wrap' });
   */
  finalMessage(options: FinalMessageOptions = {}): Message {
    const message = this.message;
    if (message === undefined) {
      throw new Error('No message_start event arrived, so the stream produced no message.');
    }
    const content = [...message.content];
    for (const state of this.#blocks.values()) {
      if (state.parser !== undefined) attachToolInputReport(state.block, describeToolInput(state.parser));
    }
    const mode = options.invalidToolInput ?? 'snapshot';
    for (const [state, invalid] of this.#invalidToolInputs(true)) {
      const current = state.block.input;
      const input =
        mode === 'raw'
          ? invalid.rawJson
          : mode === 'wrap'
            ? wrapInvalidJson(invalid.rawJson, options.wrapKey)
            : isPlainObject(current)
              ? current
              : {};
      if (input === current) continue;
      const replaced: ContentBlock = { ...state.block, input };
      attachToolInputReport(replaced, describeToolInput(state.parser as IncrementalJsonParser));
      content[state.position] = replaced;
    }
    return { ...message, content };
  }

  #invalidToolInputs(assumeFinished: boolean): [BlockState, InvalidToolInput][] {
    const found: [BlockState, InvalidToolInput][] = [];
    for (const state of this.#blocks.values()) {
      const parser = state.parser;
      if (parser === undefined) continue;
      const finished = assumeFinished || state.stopped || this.#stopped;
      if (parser.isValid && (!finished || parser.isComplete || !parser.hasValue)) continue;
      const report: ToolInputReport = describeToolInput(parser);
      const block = state.block;
      found.push([
        state,
        {
          index: state.position,
          id: typeof block.id === 'string' ? block.id : '',
          name: typeof block.name === 'string' ? block.name : undefined,
          type: block.type,
          rawJson: report.rawJson,
          error: report.error ?? 'The tool input is not complete JSON.',
          incomplete: report.incomplete,
        },
      ]);
    }
    return found;
  }

  #start(event: MessageStartEvent): void {
    const source = event.message;
    if (typeof source !== 'object' || source === null) {
      this.#unhandled.push(event);
      return;
    }
    this.#blocks.clear();
    this.#unread = [];
    this.#stopped = false;
    const content = Array.isArray(source.content) ? source.content.map((block) => ({ ...block })) : [];
    this.#message = { ...source, content, usage: { ...source.usage } };
    content.forEach((block, position) => {
      this.#blocks.set(position, newBlockState(position, block));
    });
  }

  #startBlock(event: ContentBlockStartEvent): void {
    const message = this.#message;
    if (message === undefined || typeof event.content_block !== 'object' || event.content_block === null) {
      this.#unhandled.push(event);
      return;
    }
    const block = { ...event.content_block };
    const position = message.content.push(block) - 1;
    this.#blocks.set(event.index, newBlockState(position, block));
  }

  #applyDelta(event: ContentBlockDeltaEvent): void {
    const state = this.#blocks.get(event.index);
    const delta = event.delta;
    if (state === undefined || typeof delta !== 'object' || delta === null) {
      this.#unhandled.push(event);
      return;
    }
    const block = state.block;
    switch (delta.type) {
      case 'text_delta':
        if (typeof delta.text !== 'string') break;
        block.text = (typeof block.text === 'string' ? block.text : '') + delta.text;
        return;
      case 'thinking_delta':
        if (typeof delta.thinking !== 'string') break;
        block.thinking = (typeof block.thinking === 'string' ? block.thinking : '') + delta.thinking;
        return;
      case 'signature_delta':
        if (typeof delta.signature !== 'string') break;
        block.signature = delta.signature;
        return;
      case 'citations_delta':
        if (!('citation' in delta)) break;
        if (!state.ownsCitations) {
          block.citations = Array.isArray(block.citations) ? [...block.citations] : [];
          state.ownsCitations = true;
        }
        (block.citations as unknown[]).push(delta.citation);
        return;
      case 'input_json_delta':
        if (typeof delta.partial_json !== 'string') break;
        state.parser ??= new IncrementalJsonParser();
        state.parser.push(delta.partial_json);
        if (!state.unread) {
          state.unread = true;
          this.#unread.push(state);
        }
        return;
    }
    this.#unhandled.push(event);
  }

  #stopBlock(event: ContentBlockStopEvent): void {
    const state = this.#blocks.get(event.index);
    if (state === undefined) {
      this.#unhandled.push(event);
      return;
    }
    state.stopped = true;
    const parser = state.parser;
    if (parser === undefined) return;
    parser.end();
    this.#refreshInput(state);
    attachToolInputReport(state.block, describeToolInput(parser));
  }

  #refreshInput(state: BlockState): void {
    state.unread = false;
    const parser = state.parser;
    if (parser?.hasValue) state.block.input = parser.snapshot;
  }

  #applyMessageDelta(event: MessageDeltaEvent): void {
    const message = this.#message;
    if (message === undefined) {
      this.#unhandled.push(event);
      return;
    }
    if (typeof event.delta === 'object' && event.delta !== null) mergeFields(message, event.delta, false);
    if (typeof event.usage === 'object' && event.usage !== null)
      mergeFields(message.usage, event.usage, true);
  }
}

function newBlockState(position: number, block: ContentBlock): BlockState {
  return { position, block, parser: undefined, unread: false, ownsCitations: false, stopped: false };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Copies a delta's fields onto a target. `undefined` is skipped; `null` never
 * replaces a non-null value (usage: `null` is always skipped), so counters
 * omitted or nulled in `message_delta` keep their `message_start` values.
 */
function mergeFields(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
  skipNull: boolean,
): void {
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (value === undefined || key === '__proto__') continue;
    if (value === null && (skipNull || (target[key] !== null && target[key] !== undefined))) continue;
    target[key] = value;
  }
}
