import type { AttemptReport, MessagesOutcome } from '../engine/engine.js';
import type { StreamChunk, UpstreamStream } from '../engine/upstream-stream.js';
import type { ResolvedTarget, UpstreamStreamItem } from '../platforms/types.js';
import { type FinalMessageOptions, MessageAccumulator } from '../streaming/message-accumulator.js';
import type { InvalidToolInput } from '../streaming/tool-input-report.js';
import type {
  ContentBlockDeltaEvent,
  ContentBlockStartEvent,
  ContentBlockStopEvent,
  StreamEvent,
  ContentBlock as WireContentBlock,
} from '../wire/anthropic-events.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { ClaudeError } from './claude-error.js';
import { type ContentBlock, type Message, typedBlock, typedMessage } from './message-types.js';

/** The helper events of a MessageStream and their listeners' arguments. */
export interface MessageStreamEvents {
  /** A target accepted the call and its first event arrived (retries and failover are over). */
  connect: () => void;
  /** Every stream event, with the message so far (live: read it, do not keep it). */
  streamEvent: (event: StreamEvent, snapshot: Message) => void;
  /** A text delta and the block's text so far. */
  text: (delta: string, snapshot: string) => void;
  /** A thinking delta and the block's thinking so far. */
  thinking: (delta: string, snapshot: string) => void;
  /**
   * A tool-input fragment and the input parsed so far (partial strings
   * included). The snapshot is live, updated in place by later fragments.
   */
  inputJson: (partialJson: string, snapshot: unknown) => void;
  /** A content block as it ended. */
  contentBlock: (block: ContentBlock) => void;
  /** The final message, once `message_stop` arrived. */
  message: (message: Message) => void;
  /** The call failed (before or after the first event). */
  error: (error: ClaudeError) => void;
  /** The stream is over, whichever way. */
  end: () => void;
}

type Listeners = { [Name in keyof MessageStreamEvents]: Set<MessageStreamEvents[Name]> };

/** Starts the engine call; the stream gives the signal that aborts it. */
export type StartStream = (signal: AbortSignal) => Promise<MessagesOutcome>;

const ABORTED = () =>
  new GatewayError({
    status: 499,
    type: 'api_error',
    code: 'CLIENT_CLOSED_REQUEST',
    platform: 'gateway',
    retryable: false,
    message: 'The stream was aborted (abort() was called, or the loop over it stopped early).',
  });

/**
 * A streaming Messages call: an async iterable of typed stream events, with
 * helpers like the Anthropic SDK's `MessageStream` (`on('text')`,
 * `on('inputJson')`, `textStream`, `finalMessage()`, `finalText()`,
 * `abort()`).
 *
 * The request starts at once; retries and failover happen before the first
 * event. Events are read as they are consumed: iterate the stream (or
 * `textStream`), or await `finalMessage()`/`finalText()`/`done()`, which read
 * to the end and fire the `on(...)` listeners on the way. A failure after the
 * first event is thrown from the iterator and from `finalMessage()` as a
 * ClaudeError that keeps the platform's message. Tool input that is not valid
 * JSON (fine-grained tool streaming) never throws: see `invalidToolInputs()`.
 *
 * @example
 * const stream = claude.messages.stream({ model: 'sonnet', max_tokens: 1024, messages })
 *   .on('text', (delta) => process.stdout.write(delta));
 * const message = await stream.finalMessage();
 */
export class MessageStream implements AsyncIterable<StreamEvent> {
  readonly #accumulator = new MessageAccumulator();
  readonly #controller = new AbortController();
  readonly #listeners: Listeners = {
    connect: new Set(),
    streamEvent: new Set(),
    text: new Set(),
    thinking: new Set(),
    inputJson: new Set(),
    contentBlock: new Set(),
    message: new Set(),
    error: new Set(),
    end: new Set(),
  };
  readonly #connection: Promise<MessagesOutcome>;
  readonly #blocks = new Map<number, WireContentBlock>();
  #upstream: UpstreamStream | undefined;
  #chunks: AsyncIterator<StreamChunk> | undefined;
  #items: UpstreamStreamItem[] = [];
  #outcome: 'open' | 'done' | 'failed' = 'open';
  #error: ClaudeError | undefined;
  #consumer: 'none' | 'iterator' | 'drain' = 'none';
  readonly #ended = Promise.withResolvers<void>();
  #target: ResolvedTarget | undefined;
  #attempts: readonly AttemptReport[] = [];
  #changes: readonly string[] = [];

  constructor(start: StartStream) {
    this.#connection = start(this.#controller.signal).catch(
      (error: unknown): MessagesOutcome => ({
        ok: false,
        error: GatewayError.from(error),
        attempts: [],
        changes: [],
      }),
    );
  }

  /** Adds a listener; returns the stream, so calls chain. */
  on<Name extends keyof MessageStreamEvents>(name: Name, listener: MessageStreamEvents[Name]): this {
    this.#listeners[name].add(listener);
    return this;
  }

  off<Name extends keyof MessageStreamEvents>(name: Name, listener: MessageStreamEvents[Name]): this {
    this.#listeners[name].delete(listener);
    return this;
  }

  /** Like `on`, for one call only. */
  once<Name extends keyof MessageStreamEvents>(name: Name, listener: MessageStreamEvents[Name]): this {
    const wrapper = ((...args: unknown[]) => {
      this.off(name, wrapper);
      (listener as (...values: unknown[]) => void)(...args);
    }) as MessageStreamEvents[Name];
    return this.on(name, wrapper);
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    if (this.#consumer !== 'none') {
      throw new Error(
        this.#consumer === 'iterator'
          ? 'This MessageStream is already being iterated; a stream can be read once (use on(...) listeners for more readers).'
          : 'This MessageStream is already being read by finalMessage()/done(); iterate it before awaiting them.',
      );
    }
    this.#consumer = 'iterator';
    return {
      next: async (): Promise<IteratorResult<StreamEvent>> => {
        const event = await this.#pull();
        return event === undefined ? { done: true, value: undefined } : { done: false, value: event };
      },
      return: async (): Promise<IteratorResult<StreamEvent>> => {
        if (this.#outcome === 'open') this.abort();
        return { done: true, value: undefined };
      },
    };
  }

  /** The text deltas, as an async iterable (reads the stream: use it instead of iterating the events). */
  get textStream(): AsyncIterable<string> {
    const events = this;
    return {
      async *[Symbol.asyncIterator]() {
        for await (const event of events) {
          if (event.type !== 'content_block_delta') continue;
          const delta = (event as ContentBlockDeltaEvent).delta;
          if (delta?.type === 'text_delta' && typeof delta.text === 'string') yield delta.text;
        }
      },
    };
  }

  /** Waits for the end of the stream, reading it when nothing else does; throws the ClaudeError it failed with. */
  async done(): Promise<void> {
    if (this.#consumer === 'none') {
      this.#consumer = 'drain';
      void this.#drain();
    }
    await this.#ended.promise;
    if (this.#error) throw this.#error;
  }

  /**
   * The message as it ended. Tool input that is not valid JSON is given as
   * the `invalidToolInput` option says (`snapshot` by default, `wrap`, `raw`);
   * it never throws for it.
   */
  async finalMessage(options?: FinalMessageOptions): Promise<Message> {
    await this.done();
    return typedMessage(this.#accumulator.finalMessage(options));
  }

  /** The text blocks of the final message, joined. */
  async finalText(): Promise<string> {
    const message = await this.finalMessage();
    return message.content
      .filter((block) => block.type === 'text')
      .map((block) => block.text)
      .join('');
  }

  /** Tool calls whose streamed input is not usable JSON (invalid, or cut short). */
  invalidToolInputs(): InvalidToolInput[] {
    return this.#accumulator.invalidToolInputs();
  }

  /** The message so far (live), or undefined before `message_start`. */
  get currentMessage(): Message | undefined {
    const message = this.#accumulator.message;
    return message ? typedMessage(message) : undefined;
  }

  /** The target that served the call, once connected. */
  get target(): ResolvedTarget | undefined {
    return this.#target;
  }

  /** The upstream attempts made before the stream was connected (or failed). */
  get attempts(): readonly AttemptReport[] {
    return this.#attempts;
  }

  /** What was changed on the way (betas dropped, failover), once connected. */
  get changes(): readonly string[] {
    return this.#changes;
  }

  /** The error the stream failed with, if it failed. */
  get error(): ClaudeError | undefined {
    return this.#error;
  }

  /** Stops the call: cancels the upstream request; readers get a ClaudeError (CLIENT_CLOSED_REQUEST). */
  abort(): void {
    if (this.#outcome !== 'open') return;
    this.#controller.abort();
    this.#fail(ABORTED());
    // A call that connects after the abort is dropped at once.
    void this.#connection.then((outcome) => {
      if (outcome.ok && outcome.kind === 'stream') outcome.stream.cancel();
    });
  }

  async #drain(): Promise<void> {
    try {
      while ((await this.#pull()) !== undefined) {
        // each event is applied and its listeners fired by #pull
      }
    } catch {
      // the error is kept in #error and thrown by done()
    }
  }

  /** The next event (applied to the message and given to listeners), undefined at the end; throws on failure. */
  async #pull(): Promise<StreamEvent | undefined> {
    if (!this.#chunks && this.#outcome === 'open') await this.#connect();
    for (;;) {
      if (this.#outcome === 'failed') throw this.#error;
      if (this.#outcome === 'done') return undefined;
      const item = this.#items.shift();
      if (item) {
        if (item.kind === 'error') {
          this.#fail(item.error);
          continue;
        }
        this.#apply(item.event);
        return item.event;
      }
      let next: IteratorResult<StreamChunk>;
      try {
        next = await (this.#chunks as AsyncIterator<StreamChunk>).next();
      } catch (error) {
        this.#fail(error);
        continue;
      }
      if (this.#outcome !== 'open') continue;
      if (next.done) {
        this.#finish();
        continue;
      }
      this.#items.push(...next.value.items);
    }
  }

  async #connect(): Promise<void> {
    const outcome = await this.#connection;
    this.#attempts = outcome.attempts;
    this.#changes = outcome.changes;
    if (!outcome.ok) {
      this.#fail(outcome.error);
      return;
    }
    if (outcome.kind !== 'stream') {
      this.#fail(new Error('the engine answered a streaming call with a whole message'));
      return;
    }
    this.#target = outcome.target;
    this.#upstream = outcome.stream;
    if (this.#outcome !== 'open') {
      outcome.stream.cancel();
      return;
    }
    this.#chunks = outcome.stream[Symbol.asyncIterator]();
    this.#emit('connect');
  }

  #apply(event: StreamEvent): void {
    const accumulator = this.#accumulator;
    accumulator.push(event);
    const snapshot = accumulator.message;
    if (snapshot && this.#listeners.streamEvent.size > 0)
      this.#emit('streamEvent', event, typedMessage(snapshot));
    switch (event.type) {
      case 'content_block_start': {
        const block = snapshot?.content.at(-1);
        if (block) this.#blocks.set((event as ContentBlockStartEvent).index, block);
        return;
      }
      case 'content_block_delta': {
        const { index, delta } = event as ContentBlockDeltaEvent;
        const block = this.#blocks.get(index);
        if (delta?.type === 'text_delta' && typeof delta.text === 'string') {
          this.#emit('text', delta.text, typeof block?.['text'] === 'string' ? block['text'] : delta.text);
        } else if (delta?.type === 'thinking_delta' && typeof delta.thinking === 'string') {
          const thinking = block?.['thinking'];
          this.#emit('thinking', delta.thinking, typeof thinking === 'string' ? thinking : delta.thinking);
        } else if (delta?.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
          if (this.#listeners.inputJson.size > 0)
            this.#emit('inputJson', delta.partial_json, accumulator.toolInput(index)?.snapshot);
        }
        return;
      }
      case 'content_block_stop': {
        const block = this.#blocks.get((event as ContentBlockStopEvent).index);
        if (block) this.#emit('contentBlock', typedBlock(block));
        return;
      }
    }
  }

  #finish(): void {
    if (this.#outcome !== 'open') return;
    if (!this.#accumulator.message) {
      this.#fail(new Error('the stream ended without a message_start event'));
      return;
    }
    this.#outcome = 'done';
    this.#emit('message', typedMessage(this.#accumulator.finalMessage()));
    this.#end();
  }

  #fail(cause: unknown): void {
    if (this.#outcome !== 'open') return;
    const error = cause instanceof GatewayError ? cause : GatewayError.from(cause);
    this.#outcome = 'failed';
    this.#error = new ClaudeError(error, this.#attempts);
    this.#items = [];
    this.#upstream?.cancel();
    this.#emit('error', this.#error);
    this.#end();
  }

  #end(): void {
    this.#emit('end');
    this.#ended.resolve();
  }

  #emit<Name extends keyof MessageStreamEvents>(
    name: Name,
    ...args: Parameters<MessageStreamEvents[Name]>
  ): void {
    for (const listener of this.#listeners[name]) (listener as (...values: unknown[]) => void)(...args);
  }
}
