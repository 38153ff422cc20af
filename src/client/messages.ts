import type { AttemptReport, Engine, ExecuteOptions } from '../engine/engine.js';
import { mergeBetas } from '../platforms/betas.js';
import type { MessagesCall, ResolvedTarget } from '../platforms/types.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { ClaudeError } from './claude-error.js';
import { MessageStream } from './message-stream.js';
import { type Message, typedMessage } from './message-types.js';

/**
 * An Anthropic Messages body. `model` is any name: canonical
 * (`claude-sonnet-4-5`), an alias (`sonnet`), or a platform id
 * (`us.anthropic.claude-…-v1:0`, `claude-sonnet-4-5@20250929`). Every other
 * field, block and role goes to the platform untouched.
 */
export interface MessageCreateParams {
  model: string;
  messages: readonly unknown[];
  max_tokens: number;
  /** Betas to turn on; each platform gets them where it takes them (header or `anthropic_beta`). */
  betas?: readonly string[];
  [field: string]: unknown;
}

/** A count-tokens body: a Messages body, `max_tokens` optional. */
export type MessageCountTokensParams = Omit<MessageCreateParams, 'max_tokens'> & { max_tokens?: number };

export interface RequestOptions {
  signal?: AbortSignal;
  /** More betas, added to the body's `betas`. */
  betas?: readonly string[];
  /** Session key: later calls with the same session go to the target that served it last. */
  session?: string;
  /** Headers to send upstream as they are. */
  headers?: Readonly<Record<string, string>>;
  /** Called after each upstream attempt (retries and failover included). */
  onAttempt?: (report: AttemptReport) => void;
}

/** What the resources need from the client: the engine and the targets for a model. */
export interface ClientCore {
  engine: Engine;
  plan(model: string, session: string | undefined): Promise<ResolvedTarget[]>;
}

function invalid(reason: string): ClaudeError {
  return new ClaudeError(GatewayError.fromCode('INVALID_REQUEST', { reason }));
}

/** The engine call for a body: `betas` and `stream` taken out of the body, every other field kept. */
function messagesCall(
  body: MessageCountTokensParams,
  stream: boolean,
  options: RequestOptions,
): { call: MessagesCall; model: string } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw invalid('the body must be an object like { model, max_tokens, messages }');
  }
  const { betas, stream: _stream, ...rest } = body;
  const model = rest.model;
  if (model === undefined || model === '') throw new ClaudeError(GatewayError.fromCode('MISSING_MODEL'));
  if (typeof model !== 'string') throw invalid(`\`model\` must be a string, got ${JSON.stringify(model)}`);
  if (betas !== undefined && !Array.isArray(betas)) throw invalid('`betas` must be a list of beta names');
  return {
    model,
    call: {
      body: rest,
      stream,
      betas: mergeBetas(options.betas, betas, rest['anthropic_beta'] as unknown[] | undefined),
      ...(options.headers ? { forwardHeaders: options.headers } : {}),
    },
  };
}

function executeOptions(options: RequestOptions, signal?: AbortSignal): ExecuteOptions {
  const abort = signal ?? options.signal;
  return {
    ...(abort ? { signal: abort } : {}),
    ...(options.session ? { session: options.session } : {}),
    ...(options.onAttempt ? { onAttempt: options.onAttempt } : {}),
  };
}

/**
 * `claude.messages`: create, stream and count tokens through the engine
 * (retries and failover across the client's targets).
 */
export class Messages {
  constructor(private readonly core: ClientCore) {}

  /**
   * Sends a Messages call and returns the whole message.
   *
   * @example
   * const message = await claude.messages.create({
   *   model: 'sonnet',
   *   max_tokens: 1024,
   *   messages: [{ role: 'user', content: 'Hello' }],
   * });
   */
  async create(body: MessageCreateParams, options: RequestOptions = {}): Promise<Message> {
    try {
      const { call, model } = messagesCall(body, false, options);
      const targets = await this.core.plan(model, options.session);
      const outcome = await this.core.engine.messages(call, targets, executeOptions(options));
      if (!outcome.ok) throw new ClaudeError(outcome.error, outcome.attempts);
      if (outcome.kind !== 'message') {
        outcome.stream.cancel();
        throw new Error('the engine answered a whole-message call with a stream');
      }
      return typedMessage(outcome.message);
    } catch (error) {
      throw ClaudeError.from(error);
    }
  }

  /**
   * Starts a streaming Messages call. See MessageStream for its helpers.
   *
   * @example
   * const stream = claude.messages.stream({ model: 'sonnet', max_tokens: 1024, messages });
   * for await (const text of stream.textStream) process.stdout.write(text);
   */
  stream(body: MessageCreateParams, options: RequestOptions = {}): MessageStream {
    const stream = new MessageStream(async (signal) => {
      const { call, model } = messagesCall(body, true, options);
      const targets = await this.core.plan(model, options.session);
      return this.core.engine.messages(call, targets, executeOptions(options, signal));
    });
    const external = options.signal;
    if (external) {
      if (external.aborted) stream.abort();
      else external.addEventListener('abort', () => stream.abort(), { once: true });
    }
    return stream;
  }

  /**
   * Counts the input tokens of a Messages body on the platform that would
   * serve it (Anthropic and Foundry count_tokens, Vertex
   * `count-tokens:rawPredict`, Bedrock CountTokens).
   *
   * @example
   * const { input_tokens } = await claude.messages.countTokens({ model: 'sonnet', messages });
   */
  async countTokens(
    body: MessageCountTokensParams,
    options: RequestOptions = {},
  ): Promise<{ input_tokens: number }> {
    try {
      const { call, model } = messagesCall(body, false, options);
      const targets = await this.core.plan(model, options.session);
      const outcome = await this.core.engine.countTokens(call, targets, executeOptions(options));
      if (!outcome.ok) throw new ClaudeError(outcome.error, outcome.attempts);
      return { input_tokens: outcome.inputTokens };
    } catch (error) {
      throw ClaudeError.from(error);
    }
  }
}
