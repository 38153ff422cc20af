import type { AttemptReport } from '../engine/engine.js';
import { GatewayError } from '../wire/errors/gateway-error.js';

/**
 * What the library throws: a GatewayError (status, Anthropic error `type`,
 * `platform`, the platform's own message kept, `retryable`,
 * `retryAfterSeconds`, `upstreamCode` such as `ThrottlingException`), plus the
 * upstream attempts made before giving up.
 *
 * @example
 * try {
 *   await claude.messages.create(body);
 * } catch (error) {
 *   if (error instanceof ClaudeError && error.retryable) console.log(`retry in ${error.retryAfterSeconds}s`);
 * }
 */
export class ClaudeError extends GatewayError {
  /** Every upstream attempt made for the call, in order (empty when none was made). */
  readonly attempts: readonly AttemptReport[];

  constructor(error: GatewayError, attempts: readonly AttemptReport[] = []) {
    super({
      message: error.message,
      status: error.status,
      type: error.type,
      ...(error.code === undefined ? {} : { code: error.code }),
      ...(error.platform === undefined ? {} : { platform: error.platform }),
      ...(error.upstreamCode === undefined ? {} : { upstreamCode: error.upstreamCode }),
      retryable: error.retryable,
      ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
      cause: error.cause ?? error,
    });
    Object.defineProperty(this, 'name', { value: 'ClaudeError', enumerable: false });
    this.attempts = attempts;
  }

  /**
   * Any thrown value as a ClaudeError (itself when it already is one).
   *
   * @example
   * ClaudeError.from(new Error('boom')).code; // 'INTERNAL_ERROR'
   */
  static override from(error: unknown, attempts: readonly AttemptReport[] = []): ClaudeError {
    if (error instanceof ClaudeError) return error;
    return new ClaudeError(GatewayError.from(error), attempts);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), name: 'ClaudeError' };
  }
}
