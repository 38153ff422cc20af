import type { Platform } from '../catalog/types.js';
import { negotiateApiVersion } from '../platforms/api-version.js';
import { BetaMemory, isInvalidBetaFlagMessage, unexpectedBetas } from '../platforms/betas.js';
import { descriptorOf } from '../platforms/descriptors.js';
import { HttpTransport, type UpstreamResponse } from '../platforms/transport.js';
import type { MessagesCall, PlatformAdapter, PreparedRequest, ResolvedTarget } from '../platforms/types.js';
import type { Message } from '../wire/anthropic-events.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { PLATFORM_NAMES } from '../wire/errors/platform-names.js';
import { isModelUnavailable, shouldFailOver } from './failover.js';
import { backoffDelay, DEFAULT_RETRY, type RetryOptions, sleep } from './retry.js';
import { MemorySessionAffinity, type SessionAffinity } from './session-affinity.js';
import { targetKey } from './targets.js';
import type { Transport } from './transport.js';
import { explainUnknownModel } from './unknown-model.js';
import { UpstreamStream } from './upstream-stream.js';

export interface EngineOptions {
  adapters: Partial<Record<Platform, PlatformAdapter>>;
  /** How requests reach the platforms; an undici `HttpTransport` by default. */
  transport?: Transport;
  retry?: RetryOptions;
  betaMemory?: BetaMemory;
  affinity?: SessionAffinity;
  random?: () => number;
}

/** One upstream attempt, for the activity log. */
export interface AttemptReport {
  attempt: number;
  target: ResolvedTarget;
  startedAt: number;
  status?: number;
  error?: GatewayError;
  outcome: 'success' | 'retried' | 'failed-over' | 'failed' | 'cancelled';
  ttfbMs?: number;
  durationMs?: number;
  changes: string[];
}

export interface ExecuteOptions {
  signal?: AbortSignal;
  /** Session key for stickiness (`x-claude-code-session-id` or `metadata.user_id`). */
  session?: string;
  /** Called after every attempt ends (success included). */
  onAttempt?: (report: AttemptReport) => void;
  /** Called as each attempt starts: headers to add to its upstream request (a trace context: `traceparent`). */
  attemptHeaders?: (report: AttemptReport) => Readonly<Record<string, string>>;
  /** Stream event types to parse; others arrive with only their type (see StreamDecoderOptions). */
  parseEvents?: (type: string) => boolean;
}

interface Served {
  target: ResolvedTarget;
  attempts: AttemptReport[];
  /** What the gateway changed, across attempts: dropped betas, failover. */
  changes: string[];
  headers: Headers;
}

interface Failed {
  ok: false;
  error: GatewayError;
  attempts: AttemptReport[];
  changes: string[];
}

/** What an engine call gives back: the operation's answer with the target that served it, or why every target failed. */
export type Outcome<Answer> = (Served & { ok: true } & Answer) | Failed;

/** A Messages answer: the whole message, or a stream whose first event is in hand. */
export type MessagesAnswer =
  | { kind: 'message'; status: number; bodyText: string; message: Message }
  | { kind: 'stream'; stream: UpstreamStream };

export type MessagesOutcome = Outcome<MessagesAnswer>;
export type CountTokensOutcome = Outcome<{ inputTokens: number }>;

/** One attempt's result: the answer and its response headers, or the error that ended it. */
type AttemptResult<Answer> =
  | { ok: true; answer: Answer; headers: Headers }
  | { ok: false; error: GatewayError };

/** How one operation prepares its request and reads a successful answer. */
interface Operation<Answer> {
  prepare(adapter: PlatformAdapter, call: MessagesCall, target: ResolvedTarget): PreparedRequest;
  /** Reads an answer with status < 400; a failure here fails the attempt (retried or failed over). */
  read(
    response: UpstreamResponse,
    adapter: PlatformAdapter,
    target: ResolvedTarget,
  ): Promise<{ ok: true; answer: Answer } | { ok: false; error: GatewayError }>;
}

/**
 * Sends one call through an ordered list of targets: retries a target with
 * backoff while its errors are transient, fails over to the next target,
 * learns betas a platform rejects, and commits to a target only once its
 * first event (or whole answer) is in hand, so a client never sees two
 * partial answers. Shared by the library and the gateway.
 */
export class Engine {
  readonly adapters: Partial<Record<Platform, PlatformAdapter>>;
  readonly transport: Transport;
  readonly betaMemory: BetaMemory;
  readonly affinity: SessionAffinity;
  private readonly retry: Required<RetryOptions>;
  private readonly random: () => number;

  constructor(options: EngineOptions) {
    this.adapters = options.adapters;
    this.transport = options.transport ?? new HttpTransport();
    this.betaMemory = options.betaMemory ?? new BetaMemory();
    this.affinity = options.affinity ?? new MemorySessionAffinity();
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.random = options.random ?? Math.random;
  }

  /** Platforms this engine can call. */
  platforms(): Set<Platform> {
    return new Set(Object.keys(this.adapters) as Platform[]);
  }

  /** The target that served a session last, if any. */
  async stickyTarget(session: string | undefined): Promise<string | undefined> {
    return session ? await this.affinity.lookup(session) : undefined;
  }

  /** A Messages call, streaming or not. */
  messages(
    call: MessagesCall,
    targets: readonly ResolvedTarget[],
    options: ExecuteOptions = {},
  ): Promise<MessagesOutcome> {
    return this.run<MessagesAnswer>(
      {
        prepare: (adapter, prepared, target) => adapter.prepareMessages(prepared, target),
        read: async (response, adapter, target) => {
          if (call.stream) {
            const decoder = adapter.createStreamDecoder(
              options.parseEvents ? { parse: options.parseEvents } : {},
            );
            const stream = new UpstreamStream(response.body, decoder, target.platform, response.discard);
            const first = await stream.prefetch();
            return first.ok ? { ok: true, answer: { kind: 'stream', stream } } : first;
          }
          const json = await readJson(response, target);
          if (!json.ok) return json;
          return {
            ok: true,
            answer: {
              kind: 'message',
              status: response.status,
              bodyText: json.text,
              message: json.value as Message,
            },
          };
        },
      },
      call,
      targets,
      options,
    );
  }

  /** A count-tokens call. */
  countTokens(
    call: MessagesCall,
    targets: readonly ResolvedTarget[],
    options: ExecuteOptions = {},
  ): Promise<CountTokensOutcome> {
    return this.run<{ inputTokens: number }>(
      {
        prepare: (adapter, prepared, target) => adapter.prepareCountTokens(prepared, target),
        read: async (response, adapter, target) => {
          const json = await readJson(response, target);
          return json.ok ? { ok: true, answer: { inputTokens: adapter.parseCountTokens(json.value) } } : json;
        },
      },
      { ...call, stream: false },
      targets,
      options,
    );
  }

  private async run<Answer>(
    operation: Operation<Answer>,
    call: MessagesCall,
    targets: readonly ResolvedTarget[],
    options: ExecuteOptions,
  ): Promise<Outcome<Answer>> {
    const attempts: AttemptReport[] = [];
    const changes: string[] = [];
    let lastError: GatewayError | undefined;
    let attemptNumber = 0;
    for (const [targetIndex, target] of targets.entries()) {
      const adapter = this.adapters[target.platform];
      if (!adapter) continue;
      if (targetIndex > 0 && lastError) {
        changes.push(
          `failover:${targetKey(targets[targetIndex - 1] as ResolvedTarget)}→${targetKey(target)}`,
        );
      }
      let betaRetryUsed = false;
      for (let tryOnTarget = 1; ; tryOnTarget++) {
        if (options.signal?.aborted) {
          return { ok: false, error: GatewayError.fromCode('CLIENT_CLOSED_REQUEST'), attempts, changes };
        }
        attemptNumber += 1;
        const report: AttemptReport = {
          attempt: attemptNumber,
          target,
          startedAt: Date.now(),
          outcome: 'failed',
          changes: [],
        };
        attempts.push(report);
        const result = await this.attempt(operation, adapter, call, target, report, options);
        report.durationMs = Date.now() - report.startedAt;
        if (result.ok) {
          report.outcome = 'success';
          for (const change of report.changes) if (!changes.includes(change)) changes.push(change);
          options.onAttempt?.(report);
          if (options.session) await this.affinity.record(options.session, targetKey(target));
          return { ...result.answer, ok: true, headers: result.headers, target, attempts, changes };
        }
        const error = result.error;
        lastError = error;
        report.error = error;
        if (options.signal?.aborted || error.code === 'CLIENT_CLOSED_REQUEST') {
          report.outcome = 'cancelled';
          options.onAttempt?.(report);
          return { ok: false, error: GatewayError.fromCode('CLIENT_CLOSED_REQUEST'), attempts, changes };
        }
        if (!betaRetryUsed && this.learnRejectedBetas(target.platform, call, error)) {
          betaRetryUsed = true;
          report.outcome = 'retried';
          options.onAttempt?.(report);
          tryOnTarget -= 1;
          continue;
        }
        const delay =
          error.retryable && tryOnTarget < this.retry.attemptsPerTarget
            ? backoffDelay(tryOnTarget, error.retryAfterSeconds, this.retry, this.random)
            : undefined;
        if (delay !== undefined) {
          report.outcome = 'retried';
          options.onAttempt?.(report);
          await sleep(delay, options.signal);
          continue;
        }
        const more = targetIndex < targets.length - 1 && shouldFailOver(error);
        report.outcome = more ? 'failed-over' : 'failed';
        if (more && isModelUnavailable(error)) changes.push(`model-unavailable:${targetKey(target)}`);
        options.onAttempt?.(report);
        if (!more)
          return { ok: false, error: explainUnknownModel(error, target.resolved), attempts, changes };
        break;
      }
    }
    return {
      ok: false,
      error: lastError ?? GatewayError.fromCode('NO_ROUTE', { model: '(none)', reason: 'no target to try' }),
      attempts,
      changes,
    };
  }

  /**
   * Remembers betas a platform refused, so the retry and later requests go
   * without them. Returns true when something was learned.
   */
  private learnRejectedBetas(platform: Platform, call: MessagesCall, error: GatewayError): boolean {
    if (error.status !== 400) return false;
    const named = unexpectedBetas(error.message).filter(
      (beta) => !this.betaMemory.isRejected(platform, beta),
    );
    if (named.length > 0) {
      this.betaMemory.remember(platform, named);
      return true;
    }
    if (isInvalidBetaFlagMessage(error.message)) {
      // Bedrock does not say which beta it refused: drop those it is not known to accept.
      const accepted = new Set(descriptorOf(platform).betas.accepted);
      const unknown = call.betas.filter(
        (beta) => !accepted.has(beta) && !this.betaMemory.isRejected(platform, beta),
      );
      if (unknown.length > 0) {
        this.betaMemory.remember(platform, unknown);
        return true;
      }
    }
    return false;
  }

  private async attempt<Answer>(
    operation: Operation<Answer>,
    adapter: PlatformAdapter,
    call: MessagesCall,
    target: ResolvedTarget,
    report: AttemptReport,
    options: ExecuteOptions,
  ): Promise<AttemptResult<Answer>> {
    let response: UpstreamResponse;
    try {
      if (adapter.ready) await adapter.ready();
      // The version the platform and model take; what a later version removed is dropped and said.
      const negotiated = negotiateApiVersion(call, target);
      const prepared = operation.prepare(adapter, negotiated.call, target);
      report.changes = [...negotiated.changes, ...prepared.changes];
      const extra = options.attemptHeaders?.(report);
      const unsigned = extra
        ? { ...prepared.request, headers: { ...prepared.request.headers, ...extra } }
        : prepared.request;
      const request = await adapter.authorize(unsigned, target);
      response = await this.transport.send(request, target.platform, options.signal);
    } catch (error) {
      return { ok: false, error: GatewayError.from(error) };
    }
    report.status = response.status;
    report.ttfbMs = Date.now() - report.startedAt;
    if (response.status >= 400) {
      let text = '';
      try {
        text = await response.text();
      } catch {
        // the error body could not be read; the status still says what happened
      }
      return { ok: false, error: adapter.parseError(response.status, response.headers, text) };
    }
    const read = await operation.read(response, adapter, target);
    return read.ok ? { ok: true, answer: read.answer, headers: response.headers } : read;
  }
}

/** Reads a whole answer as JSON; an answer that is not JSON fails the attempt, quoting it. */
async function readJson(
  response: UpstreamResponse,
  target: ResolvedTarget,
): Promise<{ ok: true; text: string; value: unknown } | { ok: false; error: GatewayError }> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    return { ok: false, error: GatewayError.from(error) };
  }
  try {
    return { ok: true, text, value: JSON.parse(text) };
  } catch {
    return {
      ok: false,
      error: GatewayError.fromCode(
        'UPSTREAM_STREAM_INTERRUPTED',
        {
          platform: PLATFORM_NAMES[target.platform],
          reason: `the answer is not JSON: ${text.slice(0, 200)}`,
        },
        { platform: target.platform },
      ),
    };
  }
}
