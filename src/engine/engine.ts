import type { Platform } from '../catalog/types.js';
import { negotiateApiVersion } from '../platforms/api-version.js';
import { BetaMemory, isInvalidBetaFlagMessage, unexpectedBetas } from '../platforms/betas.js';
import { descriptorOf } from '../platforms/descriptors.js';
import { HttpTransport, type UpstreamResponse } from '../platforms/transport.js';
import type { MessagesCall, PlatformAdapter, PreparedRequest, ResolvedTarget } from '../platforms/types.js';
import type { Message } from '../wire/anthropic-events.js';
import { GatewayError } from '../wire/errors/gateway-error.js';
import { PLATFORM_NAMES } from '../wire/errors/platform-names.js';
import { backoffDelay, DEFAULT_RETRY, type RetryOptions, sleep } from './retry.js';
import { MemorySessionAffinity, type SessionAffinity } from './session-affinity.js';
import { targetKey } from './targets.js';
import { explainUnknownModel } from './unknown-model.js';
import { UpstreamStream } from './upstream-stream.js';

export interface EngineOptions {
  adapters: Partial<Record<Platform, PlatformAdapter>>;
  transport?: HttpTransport;
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

export type MessagesOutcome =
  | (Served & { ok: true; kind: 'message'; status: number; bodyText: string; message: Message })
  | (Served & { ok: true; kind: 'stream'; stream: UpstreamStream })
  | { ok: false; error: GatewayError; attempts: AttemptReport[]; changes: string[] };

export type CountTokensOutcome =
  | (Served & { ok: true; inputTokens: number })
  | { ok: false; error: GatewayError; attempts: AttemptReport[]; changes: string[] };

/** Errors worth trying on the next target: transient ones, and a platform refusing this caller or model. */
function shouldFailOver(error: GatewayError): boolean {
  if (error.retryable) return true;
  if (error.code === 'PLATFORM_CREDENTIALS_UNAVAILABLE') return true;
  return error.status === 401 || error.status === 403 || error.status === 404 || isModelUnavailable(error);
}

/**
 * A platform's way of saying it does not serve this model id (here): Bedrock's
 * 400 "The provided model identifier is invalid" or "on-demand throughput isn't
 * supported", Vertex's "Publisher model … not found", a 404 anywhere. It says
 * nothing about the other targets, so the request moves on.
 */
export function isModelUnavailable(error: GatewayError): boolean {
  if (error.status === 404) return true;
  if (error.status !== 400) return false;
  return /model identifier is invalid|on-demand throughput isn.t supported|publisher model .* not found|model .*(not found|does not exist|is not supported)/i.test(
    error.message,
  );
}

type Operation = 'messages' | 'count_tokens';

/**
 * Sends one call through an ordered list of targets: retries a target with
 * backoff while its errors are transient, fails over to the next target,
 * learns betas a platform rejects, and commits to a target only once its
 * first event (or whole answer) is in hand, so a client never sees two
 * partial answers. Shared by the library and the gateway.
 */
export class Engine {
  readonly adapters: Partial<Record<Platform, PlatformAdapter>>;
  readonly transport: HttpTransport;
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
  async messages(
    call: MessagesCall,
    targets: readonly ResolvedTarget[],
    options: ExecuteOptions = {},
  ): Promise<MessagesOutcome> {
    return this.run('messages', call, targets, options) as Promise<MessagesOutcome>;
  }

  /** A count-tokens call. */
  async countTokens(
    call: MessagesCall,
    targets: readonly ResolvedTarget[],
    options: ExecuteOptions = {},
  ): Promise<CountTokensOutcome> {
    return this.run(
      'count_tokens',
      { ...call, stream: false },
      targets,
      options,
    ) as Promise<CountTokensOutcome>;
  }

  private async run(
    operation: Operation,
    call: MessagesCall,
    targets: readonly ResolvedTarget[],
    options: ExecuteOptions,
  ): Promise<MessagesOutcome | CountTokensOutcome> {
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
          return { ...result.value, target, attempts, changes } as MessagesOutcome | CountTokensOutcome;
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

  private async attempt(
    operation: Operation,
    adapter: PlatformAdapter,
    call: MessagesCall,
    target: ResolvedTarget,
    report: AttemptReport,
    options: ExecuteOptions,
  ): Promise<{ ok: true; value: Record<string, unknown> } | { ok: false; error: GatewayError }> {
    const signal = options.signal;
    let response: UpstreamResponse;
    try {
      if (adapter.ready) await adapter.ready();
      // The version the platform and model take; what a later version removed is dropped and said.
      const negotiated = negotiateApiVersion(call, target);
      const prepared: PreparedRequest =
        operation === 'messages'
          ? adapter.prepareMessages(negotiated.call, target)
          : adapter.prepareCountTokens(negotiated.call, target);
      report.changes = [...negotiated.changes, ...prepared.changes];
      const extra = options.attemptHeaders?.(report);
      const unsigned = extra
        ? { ...prepared.request, headers: { ...prepared.request.headers, ...extra } }
        : prepared.request;
      const request = await adapter.authorize(unsigned, target);
      response = await this.transport.send(request, target.platform, signal);
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
    if (operation === 'messages' && call.stream) {
      const decoder = adapter.createStreamDecoder(options.parseEvents ? { parse: options.parseEvents } : {});
      const stream = new UpstreamStream(response.body, decoder, target.platform, response.discard);
      const first = await stream.prefetch();
      if (!first.ok) return { ok: false, error: first.error };
      return { ok: true, value: { ok: true, kind: 'stream', stream, headers: response.headers } };
    }
    let bodyText: string;
    try {
      bodyText = await response.text();
    } catch (error) {
      return { ok: false, error: GatewayError.from(error) };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(bodyText);
    } catch {
      return {
        ok: false,
        error: GatewayError.fromCode(
          'UPSTREAM_STREAM_INTERRUPTED',
          {
            platform: PLATFORM_NAMES[target.platform],
            reason: `the answer is not JSON: ${bodyText.slice(0, 200)}`,
          },
          { platform: target.platform },
        ),
      };
    }
    if (operation === 'count_tokens') {
      return {
        ok: true,
        value: { ok: true, inputTokens: adapter.parseCountTokens(parsed), headers: response.headers },
      };
    }
    return {
      ok: true,
      value: {
        ok: true,
        kind: 'message',
        status: response.status,
        bodyText,
        message: parsed as Message,
        headers: response.headers,
      },
    };
  }
}
