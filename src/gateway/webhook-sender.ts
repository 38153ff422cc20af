import { setTimeout as sleep } from 'node:timers/promises';

/** Where the sender reports a delivery given up on or dropped (never per attempt). */
export type WebhookLogger = (
  level: 'warn' | 'error',
  message: string,
  fields?: Record<string, unknown>,
) => void;

export interface WebhookSenderOptions {
  url: string;
  /** Sent with every POST (a receiver's token); `content-type` is JSON unless given. */
  headers?: Record<string, string>;
  /** Tries per delivery, the first included. Default 6 (about a minute of retries). */
  attempts?: number;
  /** The wait before the first retry; it doubles each time up to `maxDelayMs`. Default 1000. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The longest one POST may take. Default 10 000. */
  timeoutMs?: number;
  /** Deliveries under way at most; more are dropped with a warning. Default 1000. */
  maxPending?: number;
  logger?: WebhookLogger;
}

/** Statuses worth another try: the receiver was busy, down or timed out; any other 4xx will not change. */
function retryable(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * POSTs JSON to one webhook, off the caller's path: `send` returns at once,
 * each delivery is retried with exponential backoff on a network error, a
 * timeout, 408, 429 or 5xx, and given up on (logged) after its last try.
 * `close` lets deliveries under way finish for a moment, then abandons them.
 *
 * @example
 * const sender = new WebhookSender({ url: 'https://hooks.example.com/budget' });
 * sender.send({ text: 'budget 80% spent' });
 */
export class WebhookSender {
  readonly #options: Required<Omit<WebhookSenderOptions, 'logger' | 'headers'>> &
    Pick<WebhookSenderOptions, 'logger'>;
  readonly #headers: Record<string, string>;
  readonly #pending = new Set<Promise<void>>();
  readonly #stop = new AbortController();

  constructor(options: WebhookSenderOptions) {
    this.#options = {
      url: options.url,
      attempts: options.attempts ?? 6,
      baseDelayMs: options.baseDelayMs ?? 1000,
      maxDelayMs: options.maxDelayMs ?? 30_000,
      timeoutMs: options.timeoutMs ?? 10_000,
      maxPending: options.maxPending ?? 1000,
      logger: options.logger,
    };
    const headers = Object.fromEntries(
      Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    );
    this.#headers = { 'content-type': 'application/json', 'user-agent': 'claude-gateway', ...headers };
  }

  /** Deliveries under way (retries waiting included). */
  get pending(): number {
    return this.#pending.size;
  }

  /** Starts delivering one JSON body; never throws, never waits. */
  send(body: unknown): void {
    if (this.#stop.signal.aborted) return;
    if (this.#pending.size >= this.#options.maxPending) {
      this.#options.logger?.('warn', 'webhook delivery dropped: too many deliveries under way', {
        pending: this.#pending.size,
      });
      return;
    }
    const delivery = this.#deliver(JSON.stringify(body)).finally(() => this.#pending.delete(delivery));
    this.#pending.add(delivery);
  }

  /** Waits up to `graceMs` for deliveries under way, then abandons the rest. */
  async close(graceMs = 2000): Promise<void> {
    if (this.#pending.size > 0) {
      await Promise.race([Promise.allSettled([...this.#pending]), sleep(graceMs, undefined, { ref: false })]);
    }
    this.#stop.abort();
    await Promise.allSettled([...this.#pending]);
  }

  async #deliver(payload: string): Promise<void> {
    const { attempts, baseDelayMs, maxDelayMs, timeoutMs, url } = this.#options;
    let problem = '';
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      if (attempt > 1) {
        const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 2));
        try {
          await sleep(delay, undefined, { signal: this.#stop.signal, ref: false });
        } catch {
          break;
        }
      }
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: this.#headers,
          body: payload,
          signal: AbortSignal.any([this.#stop.signal, AbortSignal.timeout(timeoutMs)]),
        });
        await response.arrayBuffer().catch(() => {});
        if (response.ok) return;
        problem = `HTTP ${response.status}`;
        if (!retryable(response.status)) break;
      } catch (error) {
        problem =
          error instanceof Error
            ? error.cause instanceof Error
              ? error.cause.message
              : error.message
            : String(error);
        if (this.#stop.signal.aborted) break;
      }
    }
    this.#options.logger?.('error', `webhook delivery to ${redact(url)} failed (${problem}); given up`, {
      url: redact(url),
    });
  }
}

/** The URL's origin only: a token often rides in the path (Slack), the query or the user info. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}/…`;
  } catch {
    return '(unparsable URL)';
  }
}
